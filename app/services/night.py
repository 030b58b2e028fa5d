"""What the live views of a meeting show: the current question, comments, tables, panel questions.

Every query here is bounded (a page of comments, a few per table), so a live push stays small
however long the meeting runs. Queries that feed residents and the wall return published
comments only.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.live.broker import Channel
from app.models import Comment, Group, PanelQuestion, Question
from app.models.base import id_of, is_value
from app.models.comments import CommentStatus, PanelStatus
from app.models.events import QuestionStatus
from app.services import events
from app.services.access import table_at_meeting
from app.services.questions import seconds_left

LIST_LIMIT = 15
ROOM_LATEST = 3


@dataclass
class QuestionState:
    """The active question and where it sits in the running order."""

    question: Question | None
    number: int
    total: int
    upcoming: bool = False
    seconds_left: int | None = None  # the countdown: negative once over time, None: no timer
    ends_at: datetime | None = None  # while the countdown runs

    @property
    def clock(self) -> str:
        """The countdown as a person reads it: "4:05 left", or "over by 0:30"."""
        left = self.seconds_left or 0
        m, s = divmod(abs(left), 60)
        return f"{m}:{s:02d} left" if left >= 0 else f"over by {m}:{s:02d}"

    @property
    def is_last(self) -> bool:
        return self.number >= self.total

    @property
    def is_first(self) -> bool:
        return self.number <= 1


def question_state(session: Session, event_id: int | None) -> QuestionState:
    questions = events.list_questions(session, event_id)
    for number, q in enumerate(questions, start=1):
        if q.status == QuestionStatus.ACTIVE:
            ends = None
            if q.timer_started_at is not None and q.timer_remaining_seconds is not None:
                ends = q.timer_started_at + timedelta(seconds=q.timer_remaining_seconds)
            return QuestionState(
                q, number, len(questions), seconds_left=seconds_left(q), ends_at=ends
            )
    upcoming = any(q.status == QuestionStatus.UPCOMING for q in questions)
    return QuestionState(None, 0, len(questions), upcoming=upcoming)


def published(
    session: Session,
    event_id: int | None,
    *,
    group_id: int | None = None,
    other_than_group: int | None = None,
    limit: int = LIST_LIMIT,
) -> list[Comment]:
    """The newest published comments: of one table, or of the room (other tables too)."""
    query = select(Comment).where(
        Comment.event_id == event_id, Comment.status == CommentStatus.PUBLISHED
    )
    if group_id is not None:
        query = query.where(Comment.group_id == group_id)
    if other_than_group is not None:
        query = query.where(
            (col(Comment.group_id) != other_than_group) | col(Comment.group_id).is_(None)
        )
    return list(session.exec(query.order_by(col(Comment.id).desc()).limit(limit)).all())


def table_comments(
    session: Session, event_id: int | None, group_id: int, limit: int = 30
) -> list[Comment]:
    """Everything said at one table, for its facilitator: pending and hidden too."""
    query = (
        select(Comment)
        .where(Comment.event_id == event_id, Comment.group_id == group_id)
        .order_by(col(Comment.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def count_pending(session: Session, event_id: int | None) -> int:
    return session.exec(
        select(func.count())
        .select_from(Comment)
        .where(Comment.event_id == event_id, Comment.status == CommentStatus.PENDING)
    ).one()


@dataclass
class TableGlance:
    group: Group
    people: int = 0  # counted at the table, by the facilitator
    published: int = 0
    pending: int = 0
    hidden: int = 0
    latest: list[Comment] = field(default_factory=list)


def tables_at_a_glance(
    session: Session, event_id: int | None, people: dict[int, int] | None = None
) -> list[TableGlance]:
    """Every table with its comment counts by status, latest published comments, headcount."""
    glances = {
        g.id: TableGlance(group=g, people=(people or {}).get(id_of(g), 0))
        for g in events.list_groups(session, event_id)
    }
    counts = session.exec(
        select(Comment.group_id, Comment.status, func.count())
        .where(Comment.event_id == event_id, col(Comment.group_id).is_not(None))
        .group_by(col(Comment.group_id), col(Comment.status))
    ).all()
    for group_id, status, n in counts:
        glance = glances.get(group_id)
        if glance is not None and is_value(CommentStatus, status):
            setattr(glance, status, n)
    for glance in glances.values():
        if glance.published and glance.group.id is not None:
            glance.latest = published(
                session, event_id, group_id=glance.group.id, limit=ROOM_LATEST
            )
    return list(glances.values())


def panel_questions(
    session: Session,
    event_id: int | None,
    *,
    statuses: tuple[PanelStatus, ...] = (PanelStatus.OPEN, PanelStatus.ANSWERED),
    limit: int = LIST_LIMIT,
) -> list[PanelQuestion]:
    """Panel questions, open ones first, most upvoted first."""
    query = (
        select(PanelQuestion)
        .where(PanelQuestion.event_id == event_id, col(PanelQuestion.status).in_(statuses))
        .order_by(
            col(PanelQuestion.status) != PanelStatus.OPEN,
            col(PanelQuestion.upvotes).desc(),
            col(PanelQuestion.id),
        )
        .limit(limit)
    )
    return list(session.exec(query).all())


def group_of(session: Session, event_id: int | None, group_id: int) -> Group | None:
    group = session.get(Group, group_id)
    return group if group is not None and group.event_id == event_id else None


def resident_channel(session: Session, code: str, group_id: int | None = None) -> Channel:
    """The live stream a resident's phone opens: the meeting's, or one table's."""
    event = events.get_by_join_code(session, code)
    event_id = id_of(event)
    if group_id is not None:
        table_at_meeting(session, event_id, group_id)
    return Channel("resident", event_id, group_id)
