"""Mentoring schemes: cohorts of cross-organisation pairs, their meetings and nominations.

A cohort is a programme of kind "mentoring"; its group sessions are that programme's events
(recorded "not_recorded") and the opportunities it takes forward are those events' actions.
Pair meetings keep a date and a length only: what a pair says to each other is never stored.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import EnumText, utc_field


class CohortStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class SchemeRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    EITHER = "either"


class InterestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class PairStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class Cohort(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", unique=True, ondelete="CASCADE")
    # Cohorts of one scheme share its name; the alumni list runs across them.
    scheme: str = Field(max_length=200, index=True)
    previous_cohort_id: int | None = Field(
        default=None, foreign_key="cohort.id", index=True, ondelete="SET NULL"
    )
    starts_on: date
    ends_on: date
    support_name: str = Field(default="", max_length=200)
    support_role: str = Field(default="", max_length=200)
    support_contact: str = Field(default="", max_length=300)
    interest_opens_on: date | None = None
    interest_closes_on: date | None = None
    # A pair that has not met for this many weeks is flagged on the cohort view.
    stale_weeks: int = 4
    status: EnumText[CohortStatus] = Field(
        default=CohortStatus.ACTIVE, sa_type=String(10), index=True
    )
    closed_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)


class CohortOrganisation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("cohort_id", "organisation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True)


class Participant(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("cohort_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    job_title: str = Field(default="", max_length=200)
    scheme_role: EnumText[SchemeRole] = Field(default=SchemeRole.EITHER, sa_type=String(10))
    # 1 (most junior) to 5 (most senior): only used to balance pairs.
    seniority: int = 3
    # A participant who signs in sees their own pair and cohort, nothing else.
    user_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="SET NULL"
    )
    created_at: datetime = utc_field(default_now=True)


class Interest(SQLModel, table=True):
    """An expression of interest through the public form, waiting for an organiser."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    organisation_id: int = Field(foreign_key="organisation.id")
    job_title: str = Field(default="", max_length=200)
    scheme_role: EnumText[SchemeRole] = Field(default=SchemeRole.EITHER, sa_type=String(10))
    seniority: int = 3
    status: EnumText[InterestStatus] = Field(
        default=InterestStatus.PENDING, sa_type=String(10), index=True
    )
    participant_id: int | None = Field(
        default=None, foreign_key="participant.id", ondelete="SET NULL"
    )
    created_at: datetime = utc_field(default_now=True)
    decided_at: datetime | None = utc_field(nullable=True)


class Pairing(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    first_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    second_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    status: EnumText[PairStatus] = Field(default=PairStatus.ACTIVE, sa_type=String(10), index=True)
    # Why the pair was made: the suggestion's explanation, or "Paired by hand".
    reason: str = Field(default="", max_length=500)
    created_at: datetime = utc_field(default_now=True)
    ended_at: datetime | None = utc_field(nullable=True)


class PairMeeting(SQLModel, table=True):
    """A date and a length, and deliberately nothing else (no notes field)."""

    id: int | None = Field(default=None, primary_key=True)
    pairing_id: int = Field(foreign_key="pairing.id", index=True, ondelete="CASCADE")
    met_on: date = Field(index=True)
    minutes: int
    created_at: datetime = utc_field(default_now=True)


class Nomination(SQLModel, table=True):
    """ "Handover the baton": a participant names a colleague for the next cohort."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True, ondelete="CASCADE")
    nominator_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    nominee_name: str = Field(max_length=200)
    nominee_email: str = Field(max_length=254)
    nominee_organisation_id: int = Field(foreign_key="organisation.id")
    reason: str = Field(default="", max_length=500)
    # The participant this nomination became in the next cohort.
    participant_id: int | None = Field(
        default=None, foreign_key="participant.id", ondelete="SET NULL"
    )
    created_at: datetime = utc_field(default_now=True)
