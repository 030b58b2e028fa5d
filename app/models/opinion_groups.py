"""The latest opinion-group result of each event, shared by every worker and the summary."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.base import empty_dict, utc_field


class OpinionGroupResult(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", unique=True, ondelete="CASCADE")
    # Goes up by one with every stored run, so a live view can tell a newer result.
    version: int = 0
    computed_at: datetime = utc_field(default_now=True)
    # Group sizes, representative comment ids with shares, the common-ground lists: no
    # position or group of any individual voter is stored.
    payload: dict[str, Any] = Field(
        default_factory=empty_dict, sa_column=Column(JSON, nullable=False)
    )
