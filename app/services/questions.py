"""The question rounds: one active question at a time drives every table and phone."""

from datetime import datetime
from typing import Literal

from sqlmodel import Session, select

from app.live import changes
from app.models import Event, Question, utcnow
from app.models.base import id_of
from app.models.events import EventStatus, QuestionStatus
from app.services.errors import Conflict, NotFound
from app.services.events import list_questions


def active_question(session: Session, event_id: int | None) -> Question | None:
    return session.exec(
        select(Question).where(
            Question.event_id == event_id, Question.status == QuestionStatus.ACTIVE
        )
    ).first()


def activate(session: Session, *, event: Event, question_id: int) -> Question:
    """Make one question active; the one before it is done, the ones after are upcoming."""
    questions = list_questions(session, event.id)
    target = next((q for q in questions if q.id == question_id), None)
    if target is None:
        raise NotFound("No such question in this event", field="question_id")
    if event.status == EventStatus.CLOSED:
        raise Conflict("The event is closed", field="status")
    for q in questions:
        before = q.position < target.position
        new_status = (
            QuestionStatus.ACTIVE
            if q is target
            else (QuestionStatus.DONE if before else QuestionStatus.UPCOMING)
        )
        if q.status != new_status:
            q.status = new_status
            if new_status == QuestionStatus.ACTIVE:
                q.activated_at = utcnow()
            # Each round's timer starts afresh from its time box when the round comes up again.
            q.timer_started_at, q.timer_remaining_seconds = None, None
            session.add(q)
    session.flush()
    changes.record(session, "question", event.id, question_id=question_id)
    return target


def step(session: Session, *, event: Event, direction: Literal["next", "previous"]) -> Question:
    """Move to the next or previous question."""
    questions = list_questions(session, event.id)
    if not questions:
        raise Conflict("This event has no questions", field="question_id")
    current = next((i for i, q in enumerate(questions) if q.status == QuestionStatus.ACTIVE), None)
    if current is None:
        done = [i for i, q in enumerate(questions) if q.status == QuestionStatus.DONE]
        index = (done[-1] + 1 if done else 0) if direction == "next" else (done[-1] if done else 0)
    else:
        index = current + (1 if direction == "next" else -1)
    if not 0 <= index < len(questions):
        edge = "last" if direction == "next" else "first"
        raise Conflict(f"This is already the {edge} question", field="question_id")
    return activate(session, event=event, question_id=id_of(questions[index]))


def finish(session: Session, *, event: Event) -> None:
    """Mark every question done (when the rounds are over)."""
    for q in list_questions(session, event.id):
        if q.status == QuestionStatus.ACTIVE:
            q.status = QuestionStatus.DONE
            session.add(q)
    session.flush()
    changes.record(session, "question", event.id)


TimerAction = Literal["start", "pause", "add"]
EXTRA_SECONDS = 5 * 60


def seconds_left(question: Question, now: datetime | None = None) -> int | None:
    """What the question's countdown shows now (negative once over time); None: no timer."""
    if question.timer_started_at is not None and question.timer_remaining_seconds is not None:
        elapsed = ((now or utcnow()) - question.timer_started_at).total_seconds()
        return question.timer_remaining_seconds - int(elapsed)
    if question.timer_remaining_seconds is not None:
        return question.timer_remaining_seconds
    return question.time_box_minutes * 60 if question.time_box_minutes else None


def timer(session: Session, *, event: Event, action: TimerAction) -> Question:
    """Start, pause or add five minutes to the active question's countdown."""
    question = active_question(session, event.id)
    if question is None:
        raise Conflict("No question is being discussed", field="timer")
    now = utcnow()
    left = seconds_left(question, now)
    running = question.timer_started_at is not None
    if action == "add":
        left = (left or 0) + EXTRA_SECONDS
    elif action == "start" and not left:
        raise Conflict("This question has no time box: add five minutes first", field="timer")
    if action == "start" or (action == "add" and running):
        question.timer_started_at = now
    elif action == "pause":
        question.timer_started_at = None
    question.timer_remaining_seconds = left
    session.add(question)
    session.flush()
    changes.record(session, "question", event.id, question_id=question.id)
    return question
