"""API shapes for mentoring cohorts, participants, pairs, meetings and nominations.

`MeetingIn` forbids extra fields: a meeting is a date and a length, and a `notes` field sent by
a script is refused rather than silently dropped.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.models import Pairing, Participant
from app.models.actions import ActionStatus
from app.models.base import id_of
from app.models.events import EventStatus, RecordingPolicy
from app.models.mentoring import CohortStatus, InterestStatus, PairStatus, SchemeRole
from app.schemas.common import RowId, UtcDatetime
from app.schemas.events import LongText, ShortText, Strict, Title

OrgRef = Annotated[int | str, Field(description="An organisation's id or slug")]
Email = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
Seniority = Annotated[int, Field(ge=1, le=5, description="1 (most junior) to 5 (most senior)")]


class OrganisationRef(BaseModel):
    id: int
    name: str
    slug: str


class CohortCreate(Strict):
    name: Title
    slug: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    organisations: list[OrgRef] = Field(
        min_length=1, description="The participating organisations (two or more with the lead)"
    )
    organisation_id: RowId | None = Field(
        default=None, description="The lead organisation; defaults to one you organise for"
    )
    starts_on: date
    ends_on: date
    scheme: ShortText = ""
    previous_cohort_id: RowId | None = None
    description: LongText = ""
    support_name: ShortText = ""
    support_role: ShortText = ""
    support_contact: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    interest_opens_on: date | None = None
    interest_closes_on: date | None = None
    stale_weeks: int = Field(default=4, ge=1, le=52)


class CohortUpdate(Strict):
    name: Title | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    support_name: ShortText | None = None
    support_role: ShortText | None = None
    support_contact: Annotated[str, StringConstraints(max_length=300)] | None = None
    interest_opens_on: date | None = None
    interest_closes_on: date | None = None
    stale_weeks: int | None = Field(default=None, ge=1, le=52)
    status: Literal["closed"] | None = Field(
        default=None, description="`closed` closes the cohort: its participants become alumni"
    )


@dataclass
class PairView:
    """What the cohort view shows of a pair: who, how often they met, whether to follow up."""

    pairing: Pairing
    first: Participant
    second: Participant
    meeting_count: int
    last_met_on: date | None
    weeks_since: int
    flagged: bool


class PairPerson(BaseModel):
    id: int
    name: str
    organisation_id: int
    organisation: str
    scheme_role: SchemeRole


class PairOut(BaseModel):
    id: int
    first: PairPerson
    second: PairPerson
    status: PairStatus
    reason: str
    meeting_count: int
    last_met_on: date | None
    weeks_since_met: int
    flagged: bool = Field(description="Active and not met for the cohort's number of weeks")


def pair_person(p: Participant, orgs: dict[int, str]) -> PairPerson:
    return PairPerson(
        id=id_of(p),
        name=p.name,
        organisation_id=p.organisation_id,
        organisation=orgs.get(p.organisation_id, ""),
        scheme_role=p.scheme_role,
    )


def pair_out(v: PairView, orgs: dict[int, str]) -> PairOut:
    return PairOut(
        id=id_of(v.pairing),
        first=pair_person(v.first, orgs),
        second=pair_person(v.second, orgs),
        status=v.pairing.status,
        reason=v.pairing.reason,
        meeting_count=v.meeting_count,
        last_met_on=v.last_met_on,
        weeks_since_met=v.weeks_since,
        flagged=v.flagged,
    )


class SupportOut(BaseModel):
    name: str
    role: str
    contact: str


class SessionOut(BaseModel):
    id: int
    title: str
    starts_at: datetime
    status: EventStatus
    recording: RecordingPolicy


class ActionOut(BaseModel):
    id: int
    event_id: int
    text: str
    owner: str
    status: ActionStatus
    due_date: date | None


class CohortOut(BaseModel):
    id: int
    programme_id: int
    name: str
    slug: str
    scheme: str
    previous_cohort_id: int | None
    status: CohortStatus
    organisations: list[OrganisationRef]
    starts_on: date
    ends_on: date
    support: SupportOut
    interest_opens_on: date | None
    interest_closes_on: date | None
    interest_open: bool
    interest_url: str
    stale_weeks: int
    viewer: Literal["organiser", "participant"]
    participant_count: int | None = Field(description="Shown to organisers only")
    pairs: list[PairOut] = Field(description="Every pair for organisers; a participant's own")
    group_sessions: list[SessionOut]
    actions: list[ActionOut]


class ParticipantIn(Strict):
    name: Title
    email: Email
    organisation: OrgRef
    job_title: ShortText = ""
    scheme_role: SchemeRole = SchemeRole.EITHER
    seniority: Seniority = 3


class ParticipantUpdate(Strict):
    name: Title | None = None
    email: Email | None = None
    organisation: OrgRef | None = None
    job_title: ShortText | None = None
    scheme_role: SchemeRole | None = None
    seniority: Seniority | None = None


class ParticipantOut(BaseModel):
    id: int
    name: str
    email: str
    organisation_id: int
    job_title: str
    scheme_role: SchemeRole
    seniority: int
    user_id: int | None
    pairing_id: int | None


def participant_out(p: Participant, pairing: Pairing | None) -> ParticipantOut:
    """A participant, with their active pairing if they have one."""
    return ParticipantOut(
        **p.model_dump(include=set(ParticipantOut.model_fields) - {"pairing_id"}),
        pairing_id=pairing.id if pairing else None,
    )


class InterestOut(BaseModel):
    id: int
    name: str
    email: str
    organisation_id: int
    job_title: str
    scheme_role: SchemeRole
    seniority: int
    status: InterestStatus
    participant_id: int | None
    created_at: datetime


class InterestDecision(Strict):
    status: Literal["approved", "declined"]


class PairingIn(Strict):
    first_id: int
    second_id: int


class PairingUpdate(Strict):
    status: Literal["ended"]


class SuggestedPair(BaseModel):
    first: PairPerson
    second: PairPerson
    reason: str


class LeftOver(BaseModel):
    participant: PairPerson
    why: str


class SuggestionOut(BaseModel):
    pairs: list[SuggestedPair]
    left_over: list[LeftOver]


class MeetingIn(Strict):
    met_on: date
    minutes: int = Field(description="Length in minutes, 1 to 480")


class MeetingUpdate(Strict):
    met_on: date | None = None
    minutes: int | None = None


class MeetingOut(BaseModel):
    id: int
    met_on: date
    minutes: int


class NominationIn(Strict):
    nominee_name: Title
    nominee_email: Email
    organisation: OrgRef
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    nominator_id: RowId | None = Field(
        default=None, description="Organisers record a nomination for a participant"
    )


class NominationOut(BaseModel):
    id: int
    nominator_id: int
    nominee_name: str
    nominee_email: str
    nominee_organisation_id: int
    reason: str
    participant_id: int | None = Field(description="The participant it became, next cohort")


class HandoverIn(Strict):
    next_cohort_id: int


class HandoverOut(BaseModel):
    created: list[ParticipantOut]
    linked: list[int] = Field(description="Nominations whose nominee was already a participant")
    skipped: list[dict[str, str | int]]


class AlumnusOut(BaseModel):
    name: str
    email: str
    organisation: str
    cohorts: list[str]


class SessionIn(Strict):
    title: Title
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    venue: ShortText = ""


class ActionIn(Strict):
    event_id: int
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    owner: ShortText = ""
    due_date: date | None = None
    status: ActionStatus = ActionStatus.AGREED
