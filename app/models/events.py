"""Programmes, events, questions, tables (groups), attendance."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import EnumText, utc_field


class EventStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ModerationMode(StrEnum):
    PRE = "pre"
    POST = "post"


class RecordingPolicy(StrEnum):
    RECORDED = "recorded"
    NOT_RECORDED = "not_recorded"


class QuestionStatus(StrEnum):
    UPCOMING = "upcoming"
    ACTIVE = "active"
    DONE = "done"


class Side(StrEnum):
    """Which side of the room an attendance role counts for."""

    COMMUNITY = "community"
    SERVICES = "services"


class ProgrammeKind(StrEnum):
    MEETINGS = "meetings"
    MENTORING = "mentoring"


DEFAULT_ROLES: tuple[tuple[str, Side], ...] = (
    ("Resident", Side.COMMUNITY),
    ("Community organisation", Side.COMMUNITY),
    ("Young person", Side.COMMUNITY),
    ("Police officer", Side.SERVICES),
    ("Police staff", Side.SERVICES),
    ("Council staff", Side.SERVICES),
    ("Councillor", Side.SERVICES),
)


class Programme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True)
    kind: EnumText[ProgrammeKind] = Field(default=ProgrammeKind.MEETINGS, sa_type=String(20))
    description: str = Field(default="")
    created_at: datetime = utc_field(default_now=True)


class Event(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    title: str = Field(max_length=200)
    starts_at: datetime = utc_field()
    ends_at: datetime = utc_field()
    venue: str = Field(default="", max_length=200)
    area: str = Field(default="", max_length=200)
    description: str = Field(default="")
    status: EnumText[EventStatus] = Field(default=EventStatus.DRAFT, sa_type=String(10), index=True)
    # Unique across every event, so an old QR code can never land on someone else's meeting.
    join_code: str = Field(max_length=12, unique=True)
    moderation: EnumText[ModerationMode] = Field(default=ModerationMode.POST, sa_type=String(10))
    recording: EnumText[RecordingPolicy] = Field(
        default=RecordingPolicy.RECORDED, sa_type=String(20)
    )
    equality_monitoring: bool = True
    summary_intro: str = Field(default="")
    summary_published_at: datetime | None = utc_field(nullable=True)
    opened_at: datetime | None = utc_field(nullable=True)
    closed_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)


class EventCohost(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "organisation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True)


class Question(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    position: int = 0
    text: str = Field(max_length=500)
    status: EnumText[QuestionStatus] = Field(default=QuestionStatus.UPCOMING, sa_type=String(10))
    time_box_minutes: int | None = None
    activated_at: datetime | None = utc_field(nullable=True)
    # The question's timer: running since `timer_started_at` with `timer_remaining_seconds` left
    # at that moment, or paused (no start) with that much left; both empty: not started.
    timer_started_at: datetime | None = utc_field(nullable=True)
    timer_remaining_seconds: int | None = None


class Group(SQLModel, table=True):
    """A discussion table."""

    __tablename__ = "discussion_group"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    position: int = 0
    name: str = Field(max_length=100)


class GroupFacilitator(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="discussion_group.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")


class AttendanceRole(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=60)
    side: EnumText[Side] = Field(sa_type=String(12))
    # An expected role that nobody has come for shows as absent ("no Councillor yet").
    expected: bool = True
    position: int = 0


class AttendanceEntry(SQLModel, table=True):
    """One tap at the door or a table; totals are sums, so undo is another entry."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    role_id: int = Field(foreign_key="attendancerole.id", index=True, ondelete="CASCADE")
    group_id: int | None = Field(
        default=None, foreign_key="discussion_group.id", index=True, ondelete="CASCADE"
    )
    delta: int
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # An undo names the tap it takes back, so a second undo goes one tap further back.
    undoes_id: int | None = Field(
        default=None, foreign_key="attendanceentry.id", index=True, ondelete="CASCADE"
    )
    created_at: datetime = utc_field(default_now=True)
