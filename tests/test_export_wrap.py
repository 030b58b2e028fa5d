"""Exports wrap long words: a 1,000-character word in a quoted comment stays on the PDF's page."""

from typing import Any

from sqlmodel import Session
from weasyprint import HTML

from app.routers.api_summary import summary_document
from app.services import events, summary
from tests.support import factories
from tests.support.meeting import comment, meeting

WORD = "Unbreakable" * 90 + "x" * 10  # 1,000 characters, no space


def _right_edges(box: Any) -> list[float]:
    edges = [box.position_x + box.width] if getattr(box, "width", None) else []
    for child in getattr(box, "children", None) or []:
        edges += _right_edges(child)
    return edges


def test_a_thousand_character_word_stays_inside_the_pdf_page(db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    q1 = events.list_questions(db, m.event.id)[0]
    comment(db, m.event, WORD, question_id=q1.id, starred=True, agree_count=30)
    document = HTML(string=summary_document(summary.build(db, event=m.event))).render()
    pages = [p for p in document.pages if WORD[:30] in _text(p._page_box)]
    assert pages, "the long comment is in the PDF"
    for page in document.pages:
        assert max(_right_edges(page._page_box)) <= page.width + 0.5


def _text(box: Any) -> str:
    own = getattr(box, "text", "") or ""
    return own + "".join(_text(c) for c in getattr(box, "children", None) or [])
