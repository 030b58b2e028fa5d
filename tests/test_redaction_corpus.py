"""The corpus of realistic comments: details gone, every listed word kept, plain text unchanged;
and the same through the residents' API, down to what the database holds."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Comment
from app.services import events
from app.services.redaction import TAGS, redact
from tests.data.redaction_corpus import CORPUS, PLAIN, TAG_FOR, WITH_DETAILS, Case
from tests.support import factories


def test_the_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 150
    kinds = {kind for case in WITH_DETAILS for kind in case.pii}
    assert kinds == set(TAG_FOR)


def _problems(case: Case, out: str) -> list[str]:
    problems = []
    for kind, details in case.pii.items():
        problems += [f"{kind} {d!r} survives" for d in details if d in out]
        if TAG_FOR[kind] not in out:
            problems.append(f"no {TAG_FOR[kind]}")
    problems += [f"{word!r} was lost" for word in case.keep if word not in out]
    unexpected = {tag for tag in TAGS if tag in out} - {TAG_FOR[kind] for kind in case.pii}
    problems += [f"unexpected {tag}" for tag in sorted(unexpected)]
    return problems


@pytest.mark.parametrize("case", WITH_DETAILS, ids=lambda c: c.text[:40])
def test_details_are_replaced_and_the_rest_kept(case: Case) -> None:
    out = redact(case.text)
    assert not _problems(case, out), out


@pytest.mark.parametrize("case", PLAIN, ids=lambda c: c.text[:40])
def test_plain_comments_come_back_unchanged(case: Case) -> None:
    assert redact(case.text) == case.text


def test_redaction_is_stable() -> None:
    # Redacting twice changes nothing more: tags are never taken for details.
    for case in CORPUS:
        once = redact(case.text)
        assert redact(once) == once


def test_every_case_posted_is_stored_redacted(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open")
    events.update_event(db, event=e, moderation="pre")
    db.commit()
    posted: dict[int, Case] = {}
    for case in CORPUS:
        r = client.post(f"/api/v1/join/{e.join_code}/comments", json={"body": case.text})
        assert r.status_code == 201, r.text
        assert r.json()["body"] == redact(case.text)
        posted[r.json()["id"]] = case
    stored = db.exec(select(Comment).where(Comment.event_id == e.id)).all()
    assert {c.id for c in stored} == set(posted)
    for comment in stored:
        assert comment.id is not None
        case = posted[comment.id]
        assert comment.body == redact(case.text)
        assert not _problems(case, comment.body), comment.body
