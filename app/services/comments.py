"""Stand-in for issue 4's resident write path, with its contract's names and signatures.

Issue 4 owns this module: on merge, take issue 4's version whole. This one exists only so the
live pages of issue 5 can be built and tested before it lands; it does no redaction.
"""

import hashlib

from sqlmodel import Session, select

from app.models import Comment, Event, PanelQuestion, PanelUpvote, Vote, utcnow
from app.models.comments import VOTE_VALUES
from app.services import changes
from app.services.errors import Conflict, DomainError, NotFound

MAX_BODY = 1000


def _check_open(event: Event) -> None:
    if event.status != "open":
        raise Conflict("This meeting is not open for comments", field="code")


def _clean(body: str, field: str) -> str:
    text = body.strip()
    if not text:
        raise DomainError("Write something first", field=field)
    if len(text) > MAX_BODY:
        raise DomainError(f"Keep it to {MAX_BODY} characters", field=field)
    return text


def _voter(voter_key: str) -> str:
    if len(voter_key) < 16:
        raise DomainError("A voter key of at least 16 characters is needed", field="voter_key")
    return hashlib.sha256(voter_key.encode()).hexdigest()


def submit_comment(
    session: Session,
    *,
    event: Event,
    body: str,
    question_id: int | None = None,
    group_id: int | None = None,
    source: str = "resident",
) -> Comment:
    _check_open(event)
    if event.recording == "not_recorded":
        raise Conflict("This meeting is not recorded: comments are not kept", field="body")
    assert event.id is not None
    comment = Comment(
        event_id=event.id,
        question_id=question_id,
        group_id=group_id,
        body=_clean(body, "body"),
        source=source,
        status="pending" if event.moderation == "pre" and source == "resident" else "published",
    )
    session.add(comment)
    session.flush()
    changes.record(session, "comment", event.id, comment_id=comment.id, group_id=group_id)
    return comment


def cast_vote(
    session: Session, *, event: Event, comment_id: int, voter_key: str, vote: str
) -> Vote:
    _check_open(event)
    if vote not in VOTE_VALUES:
        raise DomainError("Vote agree, disagree or pass", field="vote")
    comment = session.get(Comment, comment_id)
    if comment is None or comment.event_id != event.id or comment.status != "published":
        raise NotFound("No such comment", field="comment_id")
    voter = _voter(voter_key)
    row = session.exec(
        select(Vote).where(Vote.comment_id == comment_id, Vote.voter == voter)
    ).first()
    names = {1: "agree_count", -1: "disagree_count", 0: "pass_count"}
    if row is not None:
        setattr(comment, names[row.value], getattr(comment, names[row.value]) - 1)
        row.value = VOTE_VALUES[vote]
    else:
        assert event.id is not None
        row = Vote(event_id=event.id, comment_id=comment_id, voter=voter, value=VOTE_VALUES[vote])
    setattr(comment, names[row.value], getattr(comment, names[row.value]) + 1)
    session.add_all([row, comment])
    session.flush()
    changes.record(session, "vote", event.id, comment_id=comment_id, group_id=comment.group_id)
    return row


def update_comment(
    session: Session,
    *,
    comment: Comment,
    user_id: int,
    status: str | None = None,
    starred: bool | None = None,
    tags: list[str] | None = None,
) -> Comment:
    if status is not None:
        if status not in ("pending", "published", "hidden"):
            raise DomainError("Status must be pending, published or hidden", field="status")
        comment.status = status
    if starred is not None:
        comment.starred = starred
    if tags is not None:
        comment.tags = tags
    session.add(comment)
    session.flush()
    changes.record(
        session, "comment", comment.event_id, comment_id=comment.id, group_id=comment.group_id
    )
    return comment


def ask_question(session: Session, *, event: Event, body: str) -> PanelQuestion:
    _check_open(event)
    assert event.id is not None
    question = PanelQuestion(event_id=event.id, body=_clean(body, "body"))
    session.add(question)
    session.flush()
    changes.record(session, "panel", event.id, question_id=question.id)
    return question


def upvote_question(
    session: Session, *, event: Event, question_id: int, voter_key: str
) -> PanelQuestion:
    _check_open(event)
    question = session.get(PanelQuestion, question_id)
    if question is None or question.event_id != event.id:
        raise NotFound("No such question", field="question_id")
    voter = _voter(voter_key)
    seen = session.exec(
        select(PanelUpvote).where(
            PanelUpvote.question_id == question_id, PanelUpvote.voter == voter
        )
    ).first()
    if seen is None:
        session.add(PanelUpvote(question_id=question_id, voter=voter))
        question.upvotes += 1
        session.add(question)
        session.flush()
        changes.record(session, "panel", event.id, question_id=question_id)
    return question


def answer_question(
    session: Session, *, question: PanelQuestion, status: str, answer: str = ""
) -> PanelQuestion:
    if status not in ("open", "answered", "dismissed"):
        raise DomainError("Status must be open, answered or dismissed", field="status")
    question.status = status
    question.answer = answer.strip()
    question.answered_at = utcnow() if status == "answered" else None
    session.add(question)
    session.flush()
    changes.record(session, "panel", question.event_id, question_id=question.id)
    return question
