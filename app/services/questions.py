"""The question rounds: one active question at a time drives every table and phone."""

from typing import Literal

from sqlmodel import Session, select

from app.models import Event, Question, utcnow
from app.services import changes
from app.services.errors import Conflict, NotFound
from app.services.events import list_questions


def active_question(session: Session, event_id: int | None) -> Question | None:
    return session.exec(
        select(Question).where(Question.event_id == event_id, Question.status == "active")
    ).first()


def activate(session: Session, *, event: Event, question_id: int) -> Question:
    """Make one question active; the one before it is done, the ones after are upcoming."""
    questions = list_questions(session, event.id)
    target = next((q for q in questions if q.id == question_id), None)
    if target is None:
        raise NotFound("No such question in this event", field="question_id")
    if event.status == "closed":
        raise Conflict("The event is closed", field="status")
    for q in questions:
        before = q.position < target.position
        new_status = "active" if q is target else ("done" if before else "upcoming")
        if q.status != new_status:
            q.status = new_status
            if new_status == "active":
                q.activated_at = utcnow()
            session.add(q)
    session.flush()
    changes.record(session, "question", event.id, question_id=question_id)
    return target


def step(session: Session, *, event: Event, direction: Literal["next", "previous"]) -> Question:
    """Move to the next or previous question."""
    questions = list_questions(session, event.id)
    if not questions:
        raise Conflict("This event has no questions", field="question_id")
    current = next((i for i, q in enumerate(questions) if q.status == "active"), None)
    if current is None:
        done = [i for i, q in enumerate(questions) if q.status == "done"]
        index = (done[-1] + 1 if done else 0) if direction == "next" else (done[-1] if done else 0)
    else:
        index = current + (1 if direction == "next" else -1)
    if not 0 <= index < len(questions):
        edge = "last" if direction == "next" else "first"
        raise Conflict(f"This is already the {edge} question", field="question_id")
    question_id = questions[index].id
    assert question_id is not None
    return activate(session, event=event, question_id=question_id)


def finish(session: Session, *, event: Event) -> None:
    """Mark every question done (when the rounds are over)."""
    for q in list_questions(session, event.id):
        if q.status == "active":
            q.status = "done"
            session.add(q)
    session.flush()
    changes.record(session, "question", event.id)
