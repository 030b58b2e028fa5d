"""Comments and votes: the resident write path, and staff moderation.

Every text is redacted before it is stored (SPEC §3.2); nothing that identifies the author
is stored with it (§3.1). Panel questions live in `panel.py`.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.live import changes
from app.models import Comment, Event, Group, ModerationLog, Question, Vote, minute_now
from app.models.base import id_of
from app.models.comments import VOTE_VALUES, CommentSource, CommentStatus, VoteValue
from app.models.events import ModerationMode
from app.resident_lane.driver import Driver, Prepared, session_driver
from app.resident_lane.writer import write_on_driver
from app.schemas.comments import CommentIn, CommentPublic
from app.services import blocklist, voters
from app.services.errors import DomainError, NotFound, one_of
from app.services.redaction import redact
from app.services.resident import (
    Meeting,
    clean_text,
    ensure_open,
    ensure_recorded,
    meeting_by_code,
    meeting_by_id,
)

MAX_TAGS, MAX_TAG_LENGTH = 10, 40
_COUNT_COLUMN = {1: "agree_count", -1: "disagree_count", 0: "pass_count"}

# Built once: building a statement costs more than running it on the busiest path.
_COMMENT_TABLE = Comment.__table__  # type: ignore[attr-defined]
_INSERT_COMMENT = Prepared(
    insert(_COMMENT_TABLE)
    .values({c.key: bindparam(c.key) for c in _COMMENT_TABLE.c if c.key != "id"})
    .returning(_COMMENT_TABLE.c.id)
)
_MEETING_OF = {
    "question_id": Prepared(select(Question.event_id).where(Question.id == bindparam("id"))),
    "group_id": Prepared(select(Group.event_id).where(Group.id == bindparam("id"))),
}


@dataclass(frozen=True)
class CommentDraft:
    """A comment checked and redacted, ready to insert."""

    event_id: int
    question_id: int | None
    group_id: int | None
    body: str
    source: CommentSource
    status: CommentStatus
    flagged: bool
    created_at: datetime


@dataclass(frozen=True)
class NewComment(CommentDraft):
    """A comment as just stored. It is inserted without building an ORM object;
    `session.get(Comment, id)` loads one when a caller needs it."""

    id: int
    starred: bool = False
    featured: bool = False
    agree_count: int = 0
    disagree_count: int = 0
    pass_count: int = 0


def _check_in_meeting(
    driver: Driver, field: str, row_id: int | None, meeting: Meeting, what: str
) -> int | None:
    if row_id is None:
        return None
    found = driver.first(_MEETING_OF[field], {"id": row_id})
    if found is None or found[0] != meeting.id:
        raise DomainError(f"No such {what} in this meeting", field=field)
    return row_id


def post_comment(
    driver: Driver,
    *,
    meeting: Meeting,
    body: str,
    question_id: int | None = None,
    group_id: int | None = None,
    source: str = CommentSource.RESIDENT,
) -> NewComment:
    """The one way a comment is written, by a resident or at a table: checked, redacted and
    inserted by a few statements on the driver (no ORM objects), announced once committed. It
    is held (pending) in pre-moderated events or when the blocklist catches it.

    Without a question named, the comment goes to the question active when it arrives.
    """
    said_by = one_of(CommentSource, source, "Source is resident or facilitator", field="source")
    ensure_open(meeting)
    ensure_recorded(meeting)
    text = redact(clean_text(body))
    question_id = _check_in_meeting(driver, "question_id", question_id, meeting, "question")
    group_id = _check_in_meeting(driver, "group_id", group_id, meeting, "table")
    flagged = blocklist.is_abusive(text)
    held = flagged or (
        said_by == CommentSource.RESIDENT and meeting.moderation == ModerationMode.PRE
    )
    draft = CommentDraft(
        event_id=meeting.id,
        question_id=question_id if question_id is not None else meeting.active_question_id,
        group_id=group_id,
        body=text,
        source=said_by,
        status=CommentStatus.PENDING if held else CommentStatus.PUBLISHED,
        flagged=flagged,
        created_at=minute_now(),
    )
    values = vars(draft)
    row = values | {"starred": False, "featured": False, "left_out": False, "tags": []}
    row |= dict.fromkeys(_COUNT_COLUMN.values(), 0)
    found = driver.first(_INSERT_COMMENT, row)
    assert found is not None
    new_id = found[0]
    driver.record(
        changes.Change.of(
            "comment",
            draft.event_id,
            comment_id=new_id,
            group_id=draft.group_id,
            question_id=draft.question_id,
        )
    )
    return NewComment(id=new_id, **values)


def submit_comment(
    session: Session,
    *,
    event: Event,
    body: str,
    question_id: int | None = None,
    group_id: int | None = None,
    source: str = CommentSource.RESIDENT,
) -> NewComment:
    """`post_comment` in the session's own transaction (facilitators, the demo, tests)."""
    session.flush()  # the statements below bypass the session's autoflush
    driver = session_driver(session)
    return post_comment(
        driver,
        meeting=meeting_by_id(driver, id_of(event)),
        body=body,
        question_id=question_id,
        group_id=group_id,
        source=source,
    )


async def comment_from_phone(code: str, comment: CommentIn, address: str | None) -> CommentPublic:
    """A resident's comment by join code, the busiest write of the night: on the residents'
    writer, committed with the others waiting at that moment (see `app.resident_lane`)."""

    def work(driver: Driver) -> CommentPublic:
        new = post_comment(
            driver,
            meeting=meeting_by_code(driver, code, address),
            body=comment.body,
            question_id=comment.question_id,
            group_id=comment.group_id,
        )
        return CommentPublic.model_validate(new, from_attributes=True)

    return await write_on_driver(work)


def cast_vote(
    session: Session, *, event: Event, comment_id: int, voter_key: str | None, vote: str
) -> Vote:
    """Agree, disagree or pass on a published comment; a second vote replaces the first."""
    ensure_open(event)
    value = VOTE_VALUES[one_of(VoteValue, vote, "A vote is agree, disagree or pass", "vote")]
    event_id = id_of(event)
    voter = voters.voter_hash(event_id, voter_key)
    comment = session.get(Comment, comment_id)
    if comment is None or comment.event_id != event_id or comment.status != CommentStatus.PUBLISHED:
        raise NotFound("No such published comment in this meeting", field="comment_id")
    row = session.exec(
        select(Vote).where(Vote.comment_id == comment_id, Vote.voter == voter)
    ).first()
    if row is not None and row.value == value:
        return row
    deltas = {_COUNT_COLUMN[value]: 1}
    if row is None:
        row = Vote(event_id=event_id, comment_id=comment_id, voter=voter, value=value)
    else:
        deltas[_COUNT_COLUMN[row.value]] = -1
        row.value = value
    session.add(row)
    # Counted in SQL, so two votes committed at once on PostgreSQL both count.
    session.exec(
        update(Comment)
        .where(col(Comment.id) == comment_id)
        .values({name: getattr(Comment, name) + delta for name, delta in deltas.items()})
    )
    session.flush()
    session.refresh(comment)
    changes.record(session, "vote", event_id, comment_id=comment_id)
    return row


def _clean_tags(tags: list[str]) -> list[str]:
    cleaned: dict[str, str] = {}
    for i, tag in enumerate(tags):
        text = clean_text(tag, field=f"tags.{i}", max_length=MAX_TAG_LENGTH)
        cleaned.setdefault(text.lower(), redact(text))
    if len(cleaned) > MAX_TAGS:
        raise DomainError(f"Up to {MAX_TAGS} tags", field="tags")
    return list(cleaned.values())


def update_comment(
    session: Session,
    *,
    comment: Comment,
    user_id: int | None,
    status: str | None = None,
    starred: bool | None = None,
    tags: list[str] | None = None,
) -> Comment:
    """Publish, hide, star or tag a comment, logging who did it; the text is never touched."""
    new = None
    if status is not None:
        message = "Status is pending, published or hidden"
        new = one_of(CommentStatus, status, message, field="status")
    logged: list[str] = []
    if new is not None and new != comment.status:
        logged.append(f"status: {comment.status} -> {new}")
        comment.status = new
    if starred is not None and starred != comment.starred:
        logged.append("starred" if starred else "unstarred")
        comment.starred = starred
    if tags is not None:
        new_tags = _clean_tags(tags)
        if new_tags != comment.tags:
            logged.append(("tags: " + ", ".join(new_tags))[:200] if new_tags else "tags cleared")
            comment.tags = new_tags
    if not logged:
        return comment
    comment_id = id_of(comment)
    session.add(comment)
    for change in logged:
        session.add(ModerationLog(comment_id=comment_id, user_id=user_id, change=change))
    session.flush()
    changes.record(
        session,
        "comment",
        comment.event_id,
        comment_id=comment_id,
        group_id=comment.group_id,
        question_id=comment.question_id,
    )
    return comment


def comments_query(
    *,
    event_id: int,
    status: str | None = None,
    group_id: int | None = None,
    question_id: int | None = None,
) -> SelectOfScalar[Comment]:
    """An event's comments in every status (staff), newest first, optionally filtered."""
    query = select(Comment).where(col(Comment.event_id) == event_id)
    if status is not None:
        query = query.where(col(Comment.status) == status)
    if group_id is not None:
        query = query.where(col(Comment.group_id) == group_id)
    if question_id is not None:
        query = query.where(col(Comment.question_id) == question_id)
    return query.order_by(col(Comment.created_at).desc(), col(Comment.id).desc())


def published_comments(session: Session, *, event_id: int, limit: int = 200) -> list[Comment]:
    """What residents and the screen may see: published comments, newest first."""
    return list(
        session.exec(
            select(Comment)
            .where(Comment.event_id == event_id, Comment.status == CommentStatus.PUBLISHED)
            .order_by(col(Comment.id).desc())
            .limit(limit)
        ).all()
    )


def moderation_log(session: Session, *, comment_id: int) -> list[ModerationLog]:
    return list(
        session.exec(
            select(ModerationLog)
            .where(ModerationLog.comment_id == comment_id)
            .order_by(col(ModerationLog.id))
        ).all()
    )
