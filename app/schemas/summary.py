"""The meeting summary: one shape feeding the page, the JSON API and every export."""

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field

from app.models.actions import ActionStatus
from app.models.comments import PanelStatus
from app.models.events import EventStatus, Side
from app.schemas.common import RowId
from app.schemas.events import Strict
from app.schemas.opinion_groups import SummaryOpinionGroups


class EventFacts(BaseModel):
    id: int
    title: str
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    venue: str
    area: str
    description: str
    programme_name: str | None
    programme_slug: str | None
    intro: str
    published_at: datetime | None
    closed_at: datetime | None


class RoleAttendance(BaseModel):
    role: str
    side: Side
    count: int
    expected: bool


class AttendanceSummary(BaseModel):
    roles: list[RoleAttendance]
    community: int
    services: int
    total: int
    absent: list[str] = Field(description="Roles expected but absent")
    warning: str | None


@dataclass(slots=True)
class SummaryComment:
    """A comment as the summary shows it (a plain dataclass: meetings have thousands)."""

    id: int
    body: str
    question_id: int | None
    group: str | None  # the table's name
    source: str
    status: str
    starred: bool
    featured: bool
    tags: list[str]
    agree: int
    disagree: int
    passed: int
    created_at: datetime

    @property
    def votes(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def agreement(self) -> int:
        return self.agree - self.disagree


class QuestionSummary(BaseModel):
    id: int | None = Field(description="None for comments made outside any question")
    position: int
    text: str
    key_points: list[SummaryComment] = Field(description="What the tables' facilitators noted")
    starred: list[SummaryComment]
    comments: list[SummaryComment] = Field(description="Residents' comments, most agreed first")
    votes: int


class PanelItem(BaseModel):
    id: int
    body: str
    status: PanelStatus
    upvotes: int
    answer: str


class TagCount(BaseModel):
    tag: str
    count: int


class EqualityCategory(BaseModel):
    category: str
    label: str
    cells: dict[str, str] = Field(description="Counts under 5 shown as <5, others suppressed")


class ActionUpdateOut(BaseModel):
    id: int
    body: str
    status_from: ActionStatus | None
    status_to: ActionStatus | None
    created_at: datetime


class ActionOut(BaseModel):
    id: int
    event_id: int
    text: str
    owner: str
    due_date: date | None
    status: ActionStatus
    overdue: bool
    created_at: datetime
    updated_at: datetime
    comment_ids: list[int]
    panel_question_ids: list[int]
    latest_update: ActionUpdateOut | None


class Summary(BaseModel):
    event: EventFacts
    attendance: AttendanceSummary
    featured: list[SummaryComment]
    questions: list[QuestionSummary]
    panel: list[PanelItem]
    tags: list[TagCount]
    equality: list[EqualityCategory]
    equality_note: str = Field(description="How small counts are shown")
    actions: list[ActionOut]
    comment_count: int
    vote_count: int
    opinion_groups: SummaryOpinionGroups = Field(
        description="The stored opinion groups and common ground (status pending until a run "
        "has stored one; closing the event always stores one)"
    )


class SummaryEdit(Strict):
    intro: str | None = Field(default=None, max_length=10_000)
    featured_comment_ids: list[RowId] | None = Field(
        default=None, description="The quotes to feature; replaces the current choice"
    )
