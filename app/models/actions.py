"""Actions taken forward ("you said, we did"), their progress updates and what they answer."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from app.models.base import EnumText, utc_field


class ActionStatus(StrEnum):
    """In the order an action moves through them."""

    PROPOSED = "proposed"
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Action(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    text: str = Field(sa_column=Column(Text, nullable=False))
    owner: str = Field(default="", max_length=200)
    due_date: date | None = None
    status: EnumText[ActionStatus] = Field(
        default=ActionStatus.PROPOSED, sa_type=String(12), index=True
    )
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class ActionUpdate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    body: str = Field(sa_column=Column(Text, nullable=False))
    status_from: EnumText[ActionStatus] | None = Field(default=None, sa_type=String(12))
    status_to: EnumText[ActionStatus] | None = Field(default=None, sa_type=String(12))
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = utc_field(default_now=True)


class ActionLink(SQLModel, table=True):
    """An action answers a comment or a panel question of its own event."""

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True, ondelete="CASCADE")
    comment_id: int | None = Field(
        default=None, foreign_key="comment.id", index=True, ondelete="CASCADE"
    )
    panel_question_id: int | None = Field(
        default=None, foreign_key="panelquestion.id", index=True, ondelete="CASCADE"
    )
