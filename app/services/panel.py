"""Panel questions (Q&A): asked anonymously, upvoted, answered or dismissed by staff."""

from sqlalchemy import update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.live import changes
from app.models import Event, PanelQuestion, PanelUpvote, utcnow
from app.models.base import id_of
from app.models.comments import PanelStatus
from app.services import blocklist, voters
from app.services.errors import DomainError, NotFound, one_of
from app.services.redaction import redact
from app.services.resident import clean_text, ensure_open, ensure_recorded

MAX_ANSWER = 2000


def ask_question(session: Session, *, event: Event, body: str) -> PanelQuestion:
    """Put a redacted question to the panel."""
    ensure_open(event)
    ensure_recorded(event)
    text = redact(clean_text(body))
    if blocklist.is_abusive(text):
        # A question goes straight to the room's screen, so abuse is refused rather than held.
        raise DomainError("Please ask your question without abusive words", field="body")
    event_id = id_of(event)
    question = PanelQuestion(event_id=event_id, body=text)
    session.add(question)
    session.flush()
    changes.record(session, "panel", event_id, question_id=question.id)
    return question


def upvote_question(
    session: Session, *, event: Event, question_id: int, voter_key: str | None
) -> PanelQuestion:
    """Add one upvote per voter key to an open question (a repeat changes nothing)."""
    ensure_open(event)
    event_id = id_of(event)
    voter = voters.voter_hash(event_id, voter_key)
    question = session.get(PanelQuestion, question_id)
    if question is None or question.event_id != event_id or question.status != PanelStatus.OPEN:
        raise NotFound("No such open question in this meeting", field="question_id")
    already = session.exec(
        select(PanelUpvote.id).where(
            PanelUpvote.question_id == question_id, PanelUpvote.voter == voter
        )
    ).first()
    if already is not None:
        return question
    session.add(PanelUpvote(question_id=question_id, voter=voter))
    session.exec(
        update(PanelQuestion)
        .where(col(PanelQuestion.id) == question_id)
        .values(upvotes=col(PanelQuestion.upvotes) + 1)
    )
    session.flush()
    session.refresh(question)
    changes.record(session, "panel", event_id, question_id=question_id)
    return question


def answer_question(
    session: Session, *, question: PanelQuestion, status: str, answer: str = ""
) -> PanelQuestion:
    """Mark a question answered (with a summary of the answer), dismissed, or open again."""
    new = one_of(PanelStatus, status, "Status is open, answered or dismissed", field="status")
    text = answer.strip()
    if len(text) > MAX_ANSWER:
        raise DomainError(f"Keep the answer under {MAX_ANSWER:,} characters", field="answer")
    if text:
        text = redact(clean_text(text, field="answer", max_length=MAX_ANSWER))
    question.status = new
    question.answer = text
    question.answered_at = utcnow() if new == PanelStatus.ANSWERED else None
    session.add(question)
    session.flush()
    changes.record(session, "panel", question.event_id, question_id=question.id)
    return question


def open_questions(session: Session, *, event_id: int) -> list[PanelQuestion]:
    """Open questions, most upvoted first."""
    return list(
        session.exec(
            select(PanelQuestion)
            .where(PanelQuestion.event_id == event_id, PanelQuestion.status == PanelStatus.OPEN)
            .order_by(col(PanelQuestion.upvotes).desc(), col(PanelQuestion.id))
        ).all()
    )


def questions_query(*, event_id: int, status: str | None = None) -> SelectOfScalar[PanelQuestion]:
    """An event's panel questions (staff), newest first."""
    query = select(PanelQuestion).where(col(PanelQuestion.event_id) == event_id)
    if status is not None:
        query = query.where(col(PanelQuestion.status) == status)
    return query.order_by(col(PanelQuestion.id).desc())
