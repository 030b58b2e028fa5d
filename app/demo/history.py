"""The demo's earlier meeting: closed, summarised and published, with actions under way, so the
programme's public page (/p/lrap-battersea) has a summary and a "you said, we did" tracker from
the first start."""

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session

from app.models import Comment, Event, Programme
from app.models.actions import ActionStatus
from app.models.base import id_of
from app.models.comments import CommentSource
from app.models.events import EventStatus
from app.services import actions, attendance, comments, events, summary
from app.services.events import GroupSpec, QuestionSpec

SAID = (
    ("Bring back the police hub that closed in 2019", 14, 1, ("hubs", "trust")),
    ("Officers should explain why they stop someone, every time", 18, 2, ("stop and search",)),
    ("Meet us when nothing has gone wrong, not only after a crisis", 16, 0, ("engagement",)),
    ("Young people need somewhere to go in the evenings", 9, 3, ("youth",)),
)
KEY_POINT = "Table 1: residents want regular ward meetings, not one-off consultations"
ATTENDANCE = (("Resident", 23), ("Young person", 4), ("Police officer", 12), ("Council staff", 3))


def seed_past_meeting(
    session: Session, *, programme: Programme, starts: datetime, organiser_id: int | None
) -> Event:
    """A meeting eight weeks before `starts`, closed with its summary published."""
    when = starts - timedelta(weeks=8)
    event = events.create_event(
        session,
        organisation_id=programme.organisation_id,
        programme_id=id_of(programme),
        title="Community meeting: stop and search",
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        venue="York Gardens Library",
        area="Battersea, Wandsworth",
        questions=[QuestionSpec(text="What would make stop and search feel fair?")],
        groups=[GroupSpec(name="Table 1"), GroupSpec(name="Table 2")],
    )
    events.set_status(session, event=event, status=EventStatus.OPEN)
    question = events.list_questions(session, event.id)[0].id
    said = []
    for body, agree, disagree, tags in SAID:
        new = comments.submit_comment(session, event=event, body=body, question_id=question)
        c = session.get_one(Comment, new.id)
        for n in range(agree + disagree):
            comments.cast_vote(
                session,
                event=event,
                comment_id=id_of(c),
                voter_key=secrets.token_hex(16),
                vote="agree" if n < agree else "disagree",
            )
        comments.update_comment(
            session, comment=c, user_id=organiser_id, starred=agree >= 16, tags=list(tags)
        )
        said.append(c)
    comments.submit_comment(
        session, event=event, body=KEY_POINT, question_id=question, source=CommentSource.FACILITATOR
    )
    for role, n in ATTENDANCE:
        attendance.record(session, event=event, role=role, delta=n, user_id=organiser_id)
    events.set_status(session, event=event, status=EventStatus.CLOSED)
    hub = actions.create(
        session,
        event=event,
        text="Reopen a neighbourhood police contact point in Battersea",
        owner="Met SW BCU neighbourhood team",
        due_date=actions.today() + timedelta(days=90),
        status=ActionStatus.AGREED,
        user_id=organiser_id,
        comment_ids=[said[0].id or 0],
    )
    actions.add_update(
        session,
        action=hub,
        body="Two possible sites visited with residents from the meeting",
        user_id=organiser_id,
        status=ActionStatus.IN_PROGRESS,
    )
    actions.create(
        session,
        event=event,
        text="Hold a ward meeting every two months, whatever the news",
        owner="Wandsworth Council engagement team",
        due_date=actions.today() + timedelta(days=30),
        status=ActionStatus.AGREED,
        user_id=organiser_id,
        comment_ids=[said[2].id or 0],
    )
    summary.edit(
        session,
        event=event,
        intro="Thank you to everyone who came. This is what was said, and what is being done.",
        featured_comment_ids=[said[1].id or 0],
    )
    summary.publish(session, event=event)
    return event
