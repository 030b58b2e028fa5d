"""API shapes for actions and their progress updates."""

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from app.models.actions import ActionStatus
from app.schemas.common import RowId
from app.schemas.events import Strict
from app.schemas.summary import ActionOut, ActionUpdateOut

ActionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Owner = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class ActionCreate(Strict):
    text: ActionText
    owner: Owner = Field(default="", description="An organisation or a role, in free text")
    due_date: date | None = Field(default=None, description="Not in the past")
    status: ActionStatus = ActionStatus.PROPOSED
    comment_ids: list[RowId] = Field(default_factory=list, max_length=200)
    panel_question_ids: list[RowId] = Field(default_factory=list, max_length=200)


class ActionPatch(Strict):
    text: ActionText | None = None
    owner: Owner | None = None
    due_date: date | None = None
    status: ActionStatus | None = None
    reason: str = Field(
        default="", max_length=2000, description="Needed when the status moves back or is dropped"
    )
    comment_ids: list[RowId] | None = Field(default=None, max_length=200)
    panel_question_ids: list[RowId] | None = Field(default=None, max_length=200)


class ActionUpdateIn(Strict):
    body: ActionText
    status: ActionStatus | None = Field(
        default=None, description="Move the status with this update"
    )


class ActionDetail(ActionOut):
    updates: list[ActionUpdateOut] = Field(description="Newest first")
