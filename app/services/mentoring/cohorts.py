"""Cohorts: a mentoring programme with its organisations, dates, support contact and window.

Who may see a cohort: organisers and owners of a participating organisation manage it; a
participant linked to the caller sees it (and only their own pair); anyone else gets 404.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from app.models import Cohort, CohortOrganisation, Organisation, Participant, Programme
from app.services import invitations, programmes
from app.services.access import Principal
from app.services.errors import Conflict, DomainError, Forbidden, NotFound

MAX_STALE_WEEKS = 52
LONDON = ZoneInfo("Europe/London")


@dataclass
class CohortAccess:
    """A cohort loaded for a caller: whether they manage it, and their own participation."""

    cohort: Cohort
    programme: Programme
    principal: Principal
    manage: bool
    participant: Participant | None


def organisation_ids(session: Session, cohort_id: int | None) -> list[int]:
    return list(
        session.exec(
            select(CohortOrganisation.organisation_id)
            .where(CohortOrganisation.cohort_id == cohort_id)
            .order_by(col(CohortOrganisation.organisation_id))
        ).all()
    )


def organisations(session: Session, cohort_id: int | None) -> list[Organisation]:
    return list(
        session.exec(
            select(Organisation)
            .join(CohortOrganisation, col(CohortOrganisation.organisation_id) == Organisation.id)
            .where(CohortOrganisation.cohort_id == cohort_id)
            .order_by(col(Organisation.name))
        ).all()
    )


def _participant_filter(principal: Principal) -> ColumnElement[bool]:
    # Only by the link an invitation made when the account accepted it: never by e-mail,
    # which anyone who could create an account with that address would match.
    return col(Participant.user_id) == principal.id


def participation(session: Session, principal: Principal, cohort_id: int) -> Participant | None:
    return session.exec(
        select(Participant).where(
            Participant.cohort_id == cohort_id, _participant_filter(principal)
        )
    ).first()


def load_cohort(
    session: Session, principal: Principal, cohort_id: int, need: Literal["view", "manage"]
) -> CohortAccess:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("No such cohort", field="cohort_id")
    manage = any(principal.can_manage_org(o) for o in organisation_ids(session, cohort.id))
    participant = participation(session, principal, cohort_id)
    if not manage and participant is None:
        raise NotFound("No such cohort", field="cohort_id")
    if need == "manage" and not manage:
        raise Forbidden("Only the cohort's organisers can do this")
    return CohortAccess(cohort, load_programme(session, cohort), principal, manage, participant)


def list_cohorts(session: Session, principal: Principal) -> list[tuple[Cohort, Programme]]:
    """Cohorts the caller manages or takes part in, newest first."""
    managed = select(CohortOrganisation.cohort_id).where(
        col(CohortOrganisation.organisation_id).in_(principal.managed_org_ids)
    )
    joined = select(Participant.cohort_id).where(_participant_filter(principal))
    rows = session.exec(
        select(Cohort, Programme)
        .join(Programme, col(Programme.id) == Cohort.programme_id)
        .where(or_(col(Cohort.id).in_(managed), col(Cohort.id).in_(joined)))
        .order_by(col(Cohort.starts_on).desc(), col(Cohort.id).desc())
    ).all()
    return list(rows)


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
        if previous is None or organisation_id not in organisation_ids(session, previous.id):
            raise DomainError("No such previous cohort of your organisation", "previous_cohort_id")
    programme = programmes.create_programme(
        session,
        organisation_id=organisation_id,
        name=name,
        slug=slug,
        kind="mentoring",
        description=description,
    )
    assert programme.id is not None
    cohort = Cohort(
        programme_id=programme.id,
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
    assert cohort.id is not None
    for org_id in org_ids:
        if principal is None or principal.can_manage_org(org_id):
            session.add(CohortOrganisation(cohort_id=cohort.id, organisation_id=org_id))
        else:
            invitations.invite_organisation(
                session,
                kind="cohort",
                organisation_id=org_id,
                invited_by=principal.user,
                programme_id=programme.id,
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


def require_active(cohort: Cohort) -> None:
    if cohort.status != "active":
        raise Conflict("This cohort is closed", field="cohort_id")


def interest_open(cohort: Cohort, today: date) -> bool:
    opens, closes = cohort.interest_opens_on, cohort.interest_closes_on
    return (
        cohort.status == "active"
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
