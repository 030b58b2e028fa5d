"""What residents and facilitators say: comments, votes, panel questions, equality answers.

Resident rows carry no address, agent, account or cookie, and their times are coarsened to the
minute (SPEC §3.1).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, String, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from app.models.base import EnumText, UTCDateTime, empty_list, minute_now, utc_field


class CommentStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    HIDDEN = "hidden"


class CommentSource(StrEnum):
    RESIDENT = "resident"
    FACILITATOR = "facilitator"


class VoteValue(StrEnum):
    """A vote as residents and the API name it; the `Vote` row stores its number."""

    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"


VOTE_VALUES: dict[VoteValue, int] = {VoteValue.AGREE: 1, VoteValue.DISAGREE: -1, VoteValue.PASS: 0}


class PanelStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    DISMISSED = "dismissed"


class Comment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    question_id: int | None = Field(
        default=None, foreign_key="question.id", index=True, ondelete="SET NULL"
    )
    group_id: int | None = Field(
        default=None, foreign_key="discussion_group.id", index=True, ondelete="SET NULL"
    )
    # Always the redacted text: the original never reaches the database.
    body: str = Field(sa_column=Column(Text, nullable=False))
    source: EnumText[CommentSource] = Field(default=CommentSource.RESIDENT, sa_type=String(12))
    status: EnumText[CommentStatus] = Field(
        default=CommentStatus.PUBLISHED, sa_type=String(10), index=True
    )
    starred: bool = False
    # Chosen by an organiser to feature in the published summary.
    featured: bool = False
    # Left out of the public summary by an organiser at publishing (kept for staff).
    left_out: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Held back by the blocklist for a moderator to look at.
    flagged: bool = False
    tags: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    agree_count: int = 0
    disagree_count: int = 0
    pass_count: int = 0
    created_at: datetime = Field(default_factory=minute_now, sa_type=UTCDateTime, index=True)


class ModerationLog(SQLModel, table=True):
    """Staff are not anonymous: every moderation change records who and when."""

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    change: str = Field(max_length=200)
    created_at: datetime = utc_field(default_now=True)


class Vote(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("comment_id", "voter"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    comment_id: int = Field(foreign_key="comment.id", index=True, ondelete="CASCADE")
    # A hash of the browser's random voter key: links votes to each other, never to comments.
    voter: str = Field(max_length=64, index=True)
    value: int
    created_at: datetime = Field(default_factory=minute_now, sa_type=UTCDateTime)


class PanelQuestion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: EnumText[PanelStatus] = Field(default=PanelStatus.OPEN, sa_type=String(10))
    upvotes: int = 0
    answer: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime = Field(default_factory=minute_now, sa_type=UTCDateTime)
    answered_at: datetime | None = utc_field(nullable=True)


class PanelUpvote(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("question_id", "voter"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="panelquestion.id", index=True, ondelete="CASCADE")
    voter: str = Field(max_length=64)


class EqualityAnswer(SQLModel, table=True):
    """Optional monitoring answers, stored with no link to any comment, vote or voter."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    ethnic_group: str | None = Field(default=None, max_length=100)
    age_band: str | None = Field(default=None, max_length=20)
    borough: str | None = Field(default=None, max_length=60)
    created_at: datetime = Field(default_factory=minute_now, sa_type=UTCDateTime)
