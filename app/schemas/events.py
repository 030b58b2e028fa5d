"""API shapes for programmes, events, questions, tables, roles, attendance and members."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.models.accounts import Role
from app.models.events import (
    EventStatus,
    ModerationMode,
    ProgrammeKind,
    QuestionStatus,
    RecordingPolicy,
    Side,
)
from app.schemas.common import RowId, UtcDatetime
from app.schemas.invitations import InvitationOut

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuestionIn(Strict):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    time_box_minutes: int | None = Field(default=None, ge=1, le=240)


class GroupIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    facilitator_ids: list[RowId] = Field(default_factory=list)


class RoleIn(Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    side: Side
    expected: bool = True


class EventCreate(Strict):
    title: Title
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    organisation_id: RowId | None = Field(
        default=None, description="The lead organisation; defaults to your first one you manage"
    )
    programme_id: RowId | None = None
    venue: ShortText = ""
    area: ShortText = ""
    description: LongText = ""
    moderation: ModerationMode = ModerationMode.POST
    recording: RecordingPolicy = RecordingPolicy.RECORDED
    equality_monitoring: bool = True
    questions: list[QuestionIn] = Field(default_factory=list, max_length=20)
    groups: list[GroupIn] = Field(default_factory=list, max_length=100)
    roles: list[RoleIn] | None = Field(default=None, description="Defaults to the standard set")
    cohost_ids: list[RowId] = Field(default_factory=list)


class EventUpdate(Strict):
    title: Title | None = None
    starts_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = None
    programme_id: RowId | None = None
    venue: ShortText | None = None
    area: ShortText | None = None
    description: LongText | None = None
    moderation: ModerationMode | None = None
    recording: RecordingPolicy | None = None
    equality_monitoring: bool | None = None
    status: EventStatus | None = None
    questions: list[QuestionIn] | None = Field(default=None, max_length=20)
    groups: list[GroupIn] | None = Field(default=None, max_length=100)
    roles: list[RoleIn] | None = None
    cohost_ids: list[RowId] | None = None


class QuestionOut(BaseModel):
    id: int
    position: int
    text: str
    status: QuestionStatus
    time_box_minutes: int | None
    activated_at: datetime | None


class GroupOut(BaseModel):
    id: int
    position: int
    name: str
    facilitator_ids: list[int]
    join_url: str


class RoleOut(BaseModel):
    id: int
    name: str
    side: Side
    expected: bool


class EventOut(BaseModel):
    id: int
    title: str
    status: EventStatus
    join_code: str
    join_url: str
    organisation_id: int
    cohost_ids: list[int]
    programme_id: int | None
    starts_at: datetime
    ends_at: datetime
    venue: str
    area: str
    description: str
    moderation: ModerationMode
    recording: RecordingPolicy
    equality_monitoring: bool
    questions: list[QuestionOut]
    groups: list[GroupOut]
    roles: list[RoleOut]
    invitations: list[InvitationOut] = Field(
        default_factory=list,
        description="What this event asked of other organisations, still waiting for an answer",
    )


class QuestionMove(Strict):
    direction: Literal["next", "previous"] | None = None
    question_id: RowId | None = None


class AttendanceIn(Strict):
    role: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    delta: int = Field(ge=-50, le=50)
    group_id: RowId | None = None


class RoleCountOut(BaseModel):
    role: str
    side: str
    door: int
    tables: dict[int, int]


class AttendanceOut(BaseModel):
    community: int
    services: int
    warning: str | None
    absent: list[str]
    roles: list[RoleCountOut]


class ProgrammeIn(Strict):
    name: Title
    slug: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    organisation_id: RowId | None = None
    kind: ProgrammeKind = ProgrammeKind.MEETINGS
    description: LongText = ""


class ProgrammeUpdate(Strict):
    name: Title | None = None
    description: LongText | None = None


class ProgrammeOut(BaseModel):
    id: int
    organisation_id: int
    name: str
    slug: str
    kind: ProgrammeKind
    description: str
    public_url: str


class MemberIn(Strict):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
    role: Role
    name: ShortText = ""


class MemberUpdate(Strict):
    role: Role


class MemberOut(BaseModel):
    id: int
    user_id: int
    email: str
    name: str
    role: Role
    organisation_id: int


class OrganisationOut(BaseModel):
    id: int
    name: str
    slug: str
    role: Role
