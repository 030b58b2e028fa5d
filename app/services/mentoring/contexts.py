"""What each mentoring page shows, read for the caller: the rows a template needs, by name.

Organisers see every pair of a cohort; a participant sees their own pair, their meetings and
their nominations only. A page that is re-rendered with a form's errors reads the same rows.
"""

from typing import Any

from sqlmodel import Session

from app.models import Cohort, Programme
from app.services import accounts
from app.services.access import CohortAccess, Principal
from app.services.mentoring import cohorts, flows, pairs, people, suggest


def cohort_list(session: Session, principal: Principal) -> dict[str, Any]:
    rows = cohorts.list_cohorts(session, principal)
    managed = {c.id for c, _ in cohorts.managed_cohorts(session, principal)}
    return {"rows": rows, "managed": managed, "can_create": bool(principal.managed_org_ids)}


def new_cohort(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "organisations": accounts.list_organisations(session),
        "managed_orgs": principal.managed_org_ids,
        "previous": cohorts.managed_cohorts(session, principal),
    }


def base(session: Session, access: CohortAccess, stale_weeks: int | None = None) -> dict[str, Any]:
    """What every page of a cohort shows around its own content."""
    cohort, programme = access.cohort, access.programme
    orgs = cohorts.organisations(session, cohort.id)
    return {
        "cohort": cohort,
        "programme": programme,
        "access": access,
        "organisations": orgs,
        "org_names": {o.id: o.name for o in orgs},
        "stale_weeks": stale_weeks or cohort.stale_weeks,
        "today": cohorts.today(),
        "interest_open": cohorts.interest_open(cohort, cohorts.today()),
    }


def manager(
    session: Session, access: CohortAccess, stale_weeks: int | None = None
) -> dict[str, Any]:
    """The organisers' cohort page: every pair with its counts and flags, sessions, actions."""
    cohort, programme = access.cohort, access.programme
    views = pairs.pair_views(session, cohort=cohort, today=cohorts.today(), stale_weeks=stale_weeks)
    return {
        **base(session, access, stale_weeks),
        "pairs": views,
        "flagged": [v for v in views if v.flagged],
        "unpaired": pairs.unpaired(session, cohort.id),
        "sessions": flows.group_sessions(session, programme.id),
        "actions": flows.cohort_actions(session, programme.id),
        "next_cohorts": cohorts.next_cohorts(session, cohort.id),
    }


def participant(session: Session, access: CohortAccess) -> dict[str, Any]:
    """A participant's own page: their pair, its meetings, their nominations."""
    me = access.participant
    assert me is not None
    cohort = access.cohort
    views = pairs.pair_views(
        session, cohort=cohort, today=cohorts.today(), only_participant_id=me.id
    )
    current = next((v for v in views if v.pairing.status == "active"), None)
    return {
        **base(session, access),
        "me": me,
        "pair": current,
        "partner": None
        if current is None
        else (current.second if current.first.id == me.id else current.first),
        "meetings": pairs.list_meetings(session, current.pairing.id) if current else [],
        "nominations": people.list_nominations(session, cohort.id, me.id),
    }


def participants(session: Session, access: CohortAccess) -> dict[str, Any]:
    cohort_id = access.cohort.id
    everyone = people.list_participants(session, cohort_id)
    return {
        **base(session, access),
        "participants": everyone,
        "paired": {p.id for p in everyone} - {p.id for p in pairs.unpaired(session, cohort_id)},
    }


def interests(session: Session, access: CohortAccess) -> dict[str, Any]:
    return {
        **base(session, access),
        "interests": people.list_interests(session, access.cohort.id),
    }


def pairing(session: Session, access: CohortAccess) -> dict[str, Any]:
    """Pairs, people not yet paired, and a suggestion with the reason for each pair."""
    cohort = access.cohort
    return {
        **base(session, access),
        "pairs": pairs.pair_views(session, cohort=cohort, today=cohorts.today()),
        "unpaired": pairs.unpaired(session, cohort.id),
        "plan": suggest.suggest(session, cohort=cohort),
    }


def nominations(session: Session, access: CohortAccess) -> dict[str, Any]:
    cohort = access.cohort
    return {
        **base(session, access),
        "nominations": people.list_nominations(session, cohort.id),
        "people": {p.id: p for p in people.list_participants(session, cohort.id)},
        "next_cohorts": cohorts.next_cohorts(session, cohort.id),
    }


def alumni(session: Session, access: CohortAccess) -> dict[str, Any]:
    return {**base(session, access), "alumni": people.alumni(session, access.cohort.scheme)}


def interest_form(session: Session, cohort: Cohort, programme: Programme) -> dict[str, Any]:
    """The public expression-of-interest form, open while the cohort's window is."""
    return {
        "cohort": cohort,
        "programme": programme,
        "organisations": cohorts.organisations(session, cohort.id),
        "open": cohorts.interest_open(cohort, cohorts.today()),
    }
