"""A closed meeting with everything a summary shows, made directly with the models."""

from dataclasses import dataclass, field

from sqlmodel import Session

from app.models import Comment, EqualityAnswer, Event, PanelQuestion, Programme
from app.services import attendance, events, programmes
from tests.support import factories

STARRED = "Police hubs closed in 2019, bring them back to Battersea"
TOP = "Stop and search needs community oversight"
HIDDEN = "An abusive remark that was hidden"
PENDING = "A comment still waiting for moderation"
KEY_POINT = "Table 1 wants regular ward panels, not crisis meetings"


@dataclass
class Meeting:
    event: Event
    programme: Programme
    comments: dict[str, Comment] = field(default_factory=dict)
    panel: list[PanelQuestion] = field(default_factory=list)


def comment(session: Session, event: Event, body: str, **kw: object) -> Comment:
    assert event.id is not None
    c = Comment(event_id=event.id, body=body, **kw)  # type: ignore[arg-type]
    session.add(c)
    session.flush()
    return c


def meeting(
    session: Session, w: factories.World, *, status: str = "closed", slug: str = "lrap-test"
) -> Meeting:
    """The world's event turned into a recorded meeting, then closed (or left as `status`)."""
    e = w.event
    assert w.org.id is not None
    programme = programmes.create_programme(
        session, organisation_id=w.org.id, name="Race Action Plan", slug=slug
    )
    e.programme_id = programme.id
    q1, q2, _ = events.list_questions(session, e.id)
    t1, t2 = events.list_groups(session, e.id)
    m = Meeting(event=e, programme=programme)
    m.comments["starred"] = comment(
        session,
        e,
        STARRED,
        question_id=q1.id,
        group_id=t1.id,
        starred=True,
        agree_count=7,
        disagree_count=1,
        pass_count=2,
        tags=["trust", "hubs"],
    )
    m.comments["top"] = comment(
        session,
        e,
        TOP,
        question_id=q1.id,
        group_id=t2.id,
        agree_count=12,
        disagree_count=2,
        tags=["trust"],
    )
    m.comments["low"] = comment(
        session, e, "More youth clubs", question_id=q2.id, agree_count=1, disagree_count=4
    )
    m.comments["key"] = comment(
        session, e, KEY_POINT, question_id=q1.id, group_id=t1.id, source="facilitator"
    )
    m.comments["hidden"] = comment(session, e, HIDDEN, question_id=q1.id, status="hidden")
    m.comments["pending"] = comment(session, e, PENDING, question_id=q2.id, status="pending")
    m.comments["loose"] = comment(session, e, "A general remark", agree_count=3)
    for body, state, upvotes, answer in (
        ("When will the hubs reopen?", "answered", 9, "A review reports in March."),
        ("Why did no councillor come?", "open", 4, ""),
        ("Something abusive", "dismissed", 0, ""),
    ):
        p = PanelQuestion(event_id=e.id or 0, body=body, status=state, upvotes=upvotes)
        p.answer = answer
        session.add(p)
        m.panel.append(p)
    for n, role in ((9, "Resident"), (2, "Young person"), (9, "Police officer")):
        attendance.record(session, event=e, role=role, delta=n)
    answers = [("Black or Black British: Caribbean", "25-34")] * 6 + [
        ("White: British", "35-44")
    ] * 2
    for ethnic, age in answers:
        session.add(EqualityAnswer(event_id=e.id or 0, ethnic_group=ethnic, age_band=age))
    if status == "closed" and e.status != "closed":
        events.set_status(session, event=e, status="closed")
    session.flush()
    return m
