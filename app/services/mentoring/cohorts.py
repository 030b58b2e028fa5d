"""Cohorts: a mentoring programme with its organisations, dates, support contact and window.

Who may see a cohort is decided in `access.py` (`load_cohort`).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.models import Cohort, CohortOrganisation, Organisation, Participant, Programme
from app.models.base import id_of
from app.models.events import ProgrammeKind
from app.models.invitations import InvitationKind
from app.models.mentoring import CohortStatus
from app.services import invitations, programmes
from app.services.access import (
    CohortAccess,
    Principal,
    cohort_organisation_ids,
    participant_filter,
)
from app.services.errors import Conflict, DomainError, Forbidden, NotFound

MAX_STALE_WEEKS = 52
LONDON = ZoneInfo("Europe/London")


def organisations(session: Session, cohort_id: int | None) -> list[Organisation]:
    return list(
        session.exec(
            select(Organisation)
            .join(CohortOrganisation, col(CohortOrganisation.organisation_id) == Organisation.id)
            .where(CohortOrganisation.cohort_id == cohort_id)
            .order_by(col(Organisation.name))
        ).all()
    )


def list_cohorts(session: Session, principal: Principal) -> list[tuple[Cohort, Programme]]:
    """Cohorts the caller manages or takes part in, newest first."""
    managed = select(CohortOrganisation.cohort_id).where(
        col(CohortOrganisation.organisation_id).in_(principal.managed_org_ids)
    )
    joined = select(Participant.cohort_id).where(participant_filter(principal))
    rows = session.exec(
        select(Cohort, Programme)
        .join(Programme, col(Programme.id) == Cohort.programme_id)
        .where(or_(col(Cohort.id).in_(managed), col(Cohort.id).in_(joined)))
        .order_by(col(Cohort.starts_on).desc(), col(Cohort.id).desc())
    ).all()
    return list(rows)


def managed_cohorts(session: Session, principal: Principal) -> list[tuple[Cohort, Programme]]:
    """The caller's cohorts that they organise (a previous cohort for a new one is one of them)."""
    return [
        (c, p)
        for c, p in list_cohorts(session, principal)
        if any(principal.can_manage_org(o) for o in cohort_organisation_ids(session, c.id))
    ]


def require_organiser(principal: Principal) -> None:
    if not principal.managed_org_ids:
        raise Forbidden("Only organisers and owners create cohorts")


def lead_organisation(principal: Principal, chosen: list[int], requested: int | None = None) -> int:
    """The organisation that leads a new cohort: the one asked for, else the first chosen one
    the caller organises for, else the caller's own first one."""
    lead = requested
    if lead is None:
        mine = [o for o in chosen if principal.can_manage_org(o)]
        lead = mine[0] if mine else min(principal.managed_org_ids, default=None)
    if lead is None or not principal.can_manage_org(lead):
        raise Forbidden("Only organisers and owners create cohorts", field="organisation_id")
    return lead


def _check_dates(
    starts_on: date, ends_on: date, opens: date | None, closes: date | None, stale_weeks: int
) -> None:
    if ends_on <= starts_on:
        raise DomainError("The cohort must end after it starts", field="ends_on")
    if (opens is None) != (closes is None):
        field = "interest_closes_on" if closes is None else "interest_opens_on"
        raise DomainError("Give both ends of the expression-of-interest window", field=field)
    if opens is not None and closes is not None and closes < opens:
        raise DomainError("The window must close after it opens", field="interest_closes_on")
    if not 1 <= stale_weeks <= MAX_STALE_WEEKS:
        raise DomainError(f"Flag after 1 to {MAX_STALE_WEEKS} weeks", field="stale_weeks")


def create_cohort(
    session: Session,
    *,
    organisation_id: int,
    partner_ids: list[int],
    name: str,
    slug: str,
    starts_on: date,
    ends_on: date,
    scheme: str = "",
    previous_cohort_id: int | None = None,
    description: str = "",
    support_name: str = "",
    support_role: str = "",
    support_contact: str = "",
    interest_opens_on: date | None = None,
    interest_closes_on: date | None = None,
    stale_weeks: int = 4,
    principal: Principal | None = None,
) -> Cohort:
    """A programme of kind mentoring and its cohort, led by `organisation_id`.

    A partner organisation the caller does not manage is asked, and joins when it accepts.
    """
    org_ids = sorted({organisation_id, *partner_ids})
    if len(org_ids) < 2:
        raise DomainError("A cohort needs two or more organisations", field="organisations")
    for org_id in org_ids:
        if session.get(Organisation, org_id) is None:
            raise DomainError(f"No organisation with id {org_id}", field="organisations")
    _check_dates(starts_on, ends_on, interest_opens_on, interest_closes_on, stale_weeks)
    previous = None
    if previous_cohort_id is not None:
        previous = session.get(Cohort, previous_cohort_id)
        if previous is None or organisation_id not in cohort_organisation_ids(session, previous.id):
            raise DomainError("No such previous cohort of your organisation", "previous_cohort_id")
    programme = programmes.create_programme(
        session,
        organisation_id=organisation_id,
        name=name,
        slug=slug,
        kind=ProgrammeKind.MENTORING,
        description=description,
    )
    programme_id = id_of(programme)
    cohort = Cohort(
        programme_id=programme_id,
        scheme=(scheme.strip() or (previous.scheme if previous else programme.name))[:200],
        previous_cohort_id=previous_cohort_id,
        starts_on=starts_on,
        ends_on=ends_on,
        support_name=support_name.strip()[:200],
        support_role=support_role.strip()[:200],
        support_contact=support_contact.strip()[:300],
        interest_opens_on=interest_opens_on,
        interest_closes_on=interest_closes_on,
        stale_weeks=stale_weeks,
    )
    session.add(cohort)
    session.flush()
    for org_id in org_ids:
        if principal is None or principal.can_manage_org(org_id):
            session.add(CohortOrganisation(cohort_id=id_of(cohort), organisation_id=org_id))
        else:
            invitations.invite_organisation(
                session,
                kind=InvitationKind.COHORT,
                organisation_id=org_id,
                invited_by=principal.user,
                programme_id=programme_id,
            )
    session.flush()
    return cohort


UPDATABLE = {
    "starts_on",
    "ends_on",
    "support_name",
    "support_role",
    "support_contact",
    "interest_opens_on",
    "interest_closes_on",
    "stale_weeks",
}


def update_cohort(
    session: Session, *, access: CohortAccess, name: str | None = None, **changes: object
) -> Cohort:
    """Change a cohort's own fields (None leaves a field as it is)."""
    cohort = access.cohort
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise DomainError(f"Cannot change {', '.join(sorted(unknown))}", field=min(unknown))
    for key, value in changes.items():
        if value is not None:
            setattr(cohort, key, value.strip() if isinstance(value, str) else value)
    _check_dates(
        cohort.starts_on,
        cohort.ends_on,
        cohort.interest_opens_on,
        cohort.interest_closes_on,
        cohort.stale_weeks,
    )
    if name is not None:
        programmes.update_programme(session, programme=access.programme, name=name)
    session.add(cohort)
    session.flush()
    return cohort


def change_settings(
    session: Session,
    *,
    access: CohortAccess,
    starts_on: date,
    ends_on: date,
    interest_opens_on: date | None,
    interest_closes_on: date | None,
    stale_weeks: int,
    support_name: str,
    support_role: str,
    support_contact: str,
) -> Cohort:
    """Change a cohort's settings as its form shows them all: an emptied window is cleared,
    not left as it was."""
    cohort = access.cohort
    cohort.interest_opens_on, cohort.interest_closes_on = interest_opens_on, interest_closes_on
    return update_cohort(
        session,
        access=access,
        starts_on=starts_on,
        ends_on=ends_on,
        stale_weeks=stale_weeks,
        support_name=support_name,
        support_role=support_role,
        support_contact=support_contact,
    )


def require_active(cohort: Cohort) -> None:
    if cohort.status != CohortStatus.ACTIVE:
        raise Conflict("This cohort is closed", field="cohort_id")


def interest_open(cohort: Cohort, today: date) -> bool:
    opens, closes = cohort.interest_opens_on, cohort.interest_closes_on
    return (
        cohort.status == CohortStatus.ACTIVE
        and opens is not None
        and closes is not None
        and opens <= today <= closes
    )


def by_programme_slug(session: Session, slug: str) -> tuple[Cohort, Programme]:
    row = session.exec(
        select(Cohort, Programme)
        .join(Programme, col(Programme.id) == Cohort.programme_id)
        .where(Programme.slug == slug)
    ).first()
    if row is None:
        raise NotFound("No such mentoring scheme", field="slug")
    return row[0], row[1]


def next_cohorts(session: Session, cohort_id: int | None) -> list[Cohort]:
    return list(session.exec(select(Cohort).where(Cohort.previous_cohort_id == cohort_id)).all())


def resolve_organisation(session: Session, ref: int | str, field: str = "organisation") -> int:
    """An organisation by id or slug."""
    if isinstance(ref, int) or ref.isdigit():
        org = session.get(Organisation, int(ref))
    else:
        org = session.exec(select(Organisation).where(Organisation.slug == ref.strip())).first()
    if org is None or org.id is None:
        raise DomainError(f"No organisation {ref!r}", field=field)
    return org.id


def today() -> date:
    """Today where the schemes run: dates of meetings are UK dates."""
    return datetime.now(LONDON).date()


def load_programme(session: Session, cohort: Cohort) -> Programme:
    programme = session.get(Programme, cohort.programme_id)
    assert programme is not None
    return programme
