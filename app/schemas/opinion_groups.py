"""The opinion-group result as the API returns it."""

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class GroupingStatus(StrEnum):
    """Whether an event's opinion groups are computed (not stored: part of the result)."""

    READY = "ready"
    NOT_ENOUGH_VOTES = "not_enough_votes"
    PENDING = "pending"


class GroupShareOut(BaseModel):
    """How one group voted on a comment, as shares of the votes its members cast."""

    # "pass" in every JSON (API, summary, export) alike; `pass_` only in Python.
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    group: str = Field(description="The group's letter")
    votes: int
    agree: float
    disagree: float
    pass_: float = Field(alias="pass")


class RepresentativeOut(GroupShareOut):
    comment_id: int
    body: str
    direction: Literal["agree", "disagree"] = Field(
        description="Whether the group sets itself apart by agreeing or by disagreeing"
    )
    by_group: list[GroupShareOut] = Field(description="How every group voted on it")


class GroupOut(BaseModel):
    label: str
    size: int = Field(description="Participants in the group (never fewer than 5)")
    representative: list[RepresentativeOut]


class ListedCommentOut(BaseModel):
    comment_id: int
    body: str
    score: float = Field(
        description="agree/disagree: consensus score; divided: spread of agree shares; "
        "uncertain: pass share"
    )
    by_group: list[GroupShareOut]


class CommonGroundOut(BaseModel):
    agree: list[ListedCommentOut] = Field(description="Every group agrees")
    disagree: list[ListedCommentOut] = Field(description="Every group disagrees")
    divided: list[ListedCommentOut] = Field(description="Groups disagree most")
    uncertain: list[ListedCommentOut] = Field(description="Many passed")


class OpinionGroupsOut(BaseModel):
    event_id: int
    status: GroupingStatus = Field(
        description="pending: no result stored yet (the background worker has been asked)"
    )
    message: str = Field(
        description='Why there are no groups yet: "Not enough votes yet: ..." or '
        '"Not computed yet: ..."'
    )
    version: int = Field(description="Goes up with every stored run; 0 = none stored yet")
    computed_at: datetime | None = Field(description="When the stored result was computed")
    voters: int
    included: int = Field(description="Voters who voted on enough comments to be grouped")
    comments: int
    groups: list[GroupOut]
    lists: CommonGroundOut


class MapRegionOut(BaseModel):
    """One group on the opinion map: an ellipse in a 480 x 320 drawing, with its size."""

    label: str
    size: int
    colour: str
    cx: float
    cy: float
    rx: float
    ry: float
    angle: float


class SummaryOpinionGroups(OpinionGroupsOut):
    """The summary's section: the stored result, and the map of group regions (no people)."""

    map: list[MapRegionOut]
