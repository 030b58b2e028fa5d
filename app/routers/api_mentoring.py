"""JSON API for mentoring cohorts, their participants and expressions of interest."""

from typing import TypeVar

from fastapi import APIRouter, BackgroundTasks, Query
from sqlmodel import Session

from app.config import get_settings
from app.db import get_write_engine
from app.dependencies import CurrentUser, SessionDep
from app.models import Interest, Participant
from app.routers.mentoring_deps import CohortDep, ManagedCohortDep
from app.schemas.common import ERROR_RESPONSES, Page, RowId
from app.schemas.invitations import LinkOut, invitation_out
from app.schemas.mentoring import (
    ActionOut,
    CohortCreate,
    CohortOut,
    CohortUpdate,
    InterestDecision,
    InterestOut,
    OrganisationRef,
    PairOut,
    PairPerson,
    ParticipantIn,
    ParticipantOut,
    ParticipantUpdate,
    SessionOut,
    SupportOut,
)
from app.schemas.paging import PageDep, PageParams
from app.services import mail
from app.services.errors import Forbidden
from app.services.mentoring import cohorts, flows, people
from app.services.mentoring.cohorts import CohortAccess, load_cohort, resolve_organisation
from app.services.mentoring.pairs import PairView, active_pairing_of, pair_views

T = TypeVar("T")

router = APIRouter(prefix="/api/v1", tags=["mentoring"], responses=ERROR_RESPONSES)

StaleWeeks = Query(default=None, ge=1, le=52, description="Flag pairs quiet this many weeks")


def pair_person(p: Participant, orgs: dict[int, str]) -> PairPerson:
    return PairPerson(
        id=p.id or 0,
        name=p.name,
        organisation_id=p.organisation_id,
        organisation=orgs.get(p.organisation_id, ""),
        scheme_role=p.scheme_role,
    )


def pair_out(v: PairView, orgs: dict[int, str]) -> PairOut:
    return PairOut(
        id=v.pairing.id or 0,
        first=pair_person(v.first, orgs),
        second=pair_person(v.second, orgs),
        status=v.pairing.status,
        reason=v.pairing.reason,
        meeting_count=v.meeting_count,
        last_met_on=v.last_met_on,
        weeks_since_met=v.weeks_since,
        flagged=v.flagged,
    )


def cohort_out(session: Session, access: CohortAccess, stale_weeks: int | None = None) -> CohortOut:
    cohort, programme = access.cohort, access.programme
    own = None if access.manage else access.participant
    views = pair_views(
        session,
        cohort=cohort,
        today=cohorts.today(),
        stale_weeks=stale_weeks,
        only_participant_id=own.id if own else None,
    )
    orgs = cohorts.organisations(session, cohort.id)
    names = {o.id or 0: o.name for o in orgs}
    base = get_settings().public_base_url.rstrip("/")
    return CohortOut(
        id=cohort.id or 0,
        programme_id=programme.id or 0,
        name=programme.name,
        slug=programme.slug,
        scheme=cohort.scheme,
        previous_cohort_id=cohort.previous_cohort_id,
        status=cohort.status,
        organisations=[OrganisationRef(id=o.id or 0, name=o.name, slug=o.slug) for o in orgs],
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        support=SupportOut(
            name=cohort.support_name, role=cohort.support_role, contact=cohort.support_contact
        ),
        interest_opens_on=cohort.interest_opens_on,
        interest_closes_on=cohort.interest_closes_on,
        interest_open=cohorts.interest_open(cohort, cohorts.today()),
        interest_url=f"{base}/p/{programme.slug}/interest",
        stale_weeks=stale_weeks or cohort.stale_weeks,
        viewer="organiser" if access.manage else "participant",
        participant_count=len(people.list_participants(session, cohort.id))
        if access.manage
        else None,
        pairs=[pair_out(v, names) for v in views],
        group_sessions=[
            SessionOut(
                id=e.id or 0,
                title=e.title,
                starts_at=e.starts_at,
                status=e.status,
                recording=e.recording,
            )
            for e in flows.group_sessions(session, programme.id)
        ],
        actions=[
            ActionOut(**a.model_dump(include=set(ActionOut.model_fields)))
            for a in flows.cohort_actions(session, programme.id)
        ],
    )


def participant_out(session: Session, p: Participant) -> ParticipantOut:
    pairing = active_pairing_of(session, p.id)
    return ParticipantOut(
        **p.model_dump(include=set(ParticipantOut.model_fields) - {"pairing_id"}),
        pairing_id=pairing.id if pairing else None,
    )


@router.get("/cohorts", response_model=Page[CohortOut])
def list_cohorts(session: SessionDep, principal: CurrentUser, paging: PageDep) -> Page[CohortOut]:
    """Cohorts you organise (with every pair) or take part in (with your own pair only)."""
    rows = cohorts.list_cohorts(session, principal)
    return window(
        [
            cohort_out(session, load_cohort(session, principal, c.id or 0, "view"))
            for c, _ in rows[paging.offset : paging.offset + paging.limit]
        ],
        len(rows),
        paging,
    )


def window(items: list[T], total: int, paging: PageParams) -> Page[T]:
    return Page(items=items, total=total, **paging.model_dump())


def paged(rows: list[T], paging: PageParams) -> Page[T]:
    """A page of a short list that is read whole (a cohort's people are a few dozen)."""
    return window(rows[paging.offset : paging.offset + paging.limit], len(rows), paging)


@router.post("/cohorts", response_model=CohortOut, status_code=201)
def create_cohort(body: CohortCreate, session: SessionDep, principal: CurrentUser) -> CohortOut:
    """Create a cohort: a programme of kind mentoring with two or more organisations."""
    org_ids = [resolve_organisation(session, ref, "organisations") for ref in body.organisations]
    lead = body.organisation_id
    if lead is None:
        mine = [o for o in org_ids if principal.can_manage_org(o)]
        lead = mine[0] if mine else min(principal.managed_org_ids, default=None)
    if lead is None or not principal.can_manage_org(lead):
        raise Forbidden("Only organisers and owners create cohorts", field="organisation_id")
    cohort = cohorts.create_cohort(
        session,
        organisation_id=lead,
        partner_ids=org_ids,
        **body.model_dump(exclude={"organisations", "organisation_id"}),
        principal=principal,
    )
    return cohort_out(session, load_cohort(session, principal, cohort.id or 0, "manage"))


@router.get("/cohorts/{cohort_id}", response_model=CohortOut)
def get_cohort(
    access: CohortDep, session: SessionDep, stale_weeks: int | None = StaleWeeks
) -> CohortOut:
    """A cohort with its pairs, meeting counts and flags (a participant sees their own pair)."""
    return cohort_out(session, access, stale_weeks)


@router.patch("/cohorts/{cohort_id}", response_model=CohortOut)
def update_cohort(body: CohortUpdate, access: ManagedCohortDep, session: SessionDep) -> CohortOut:
    """Change a cohort; `{"status": "closed"}` closes it and its participants become alumni."""
    fields = body.model_dump(exclude_unset=True, exclude={"status"})
    cohorts.update_cohort(session, access=access, **fields)
    if body.status == "closed":
        flows.close_cohort(session, cohort=access.cohort)
    return cohort_out(session, access)


@router.get("/cohorts/{cohort_id}/participants", response_model=Page[ParticipantOut])
def list_participants(
    access: ManagedCohortDep, session: SessionDep, paging: PageDep
) -> Page[ParticipantOut]:
    rows = paged(people.list_participants(session, access.cohort.id), paging)
    return window([participant_out(session, p) for p in rows.items], rows.total, paging)


@router.post("/cohorts/{cohort_id}/participants", response_model=ParticipantOut, status_code=201)
def add_participant(
    body: ParticipantIn, access: ManagedCohortDep, session: SessionDep
) -> ParticipantOut:
    """Add a named member of staff of one of the cohort's organisations."""
    person = people.Person(
        organisation_id=resolve_organisation(session, body.organisation),
        **body.model_dump(exclude={"organisation"}),
    )
    p = people.add_participant(session, cohort=access.cohort, person=person)
    return participant_out(session, p)


@router.post(
    "/cohorts/{cohort_id}/participants/{participant_id}/invitation",
    response_model=LinkOut,
    status_code=202,
)
def invite_participant(
    participant_id: RowId,
    access: ManagedCohortDep,
    session: SessionDep,
    background: BackgroundTasks,
) -> LinkOut:
    """Ask a participant to link their account: they accept from a one-time link.

    Until they accept, signing in with their e-mail shows nothing of the cohort.
    """
    participant = people.get_participant(session, access.cohort.id, participant_id)
    invitation, link = people.invite_participant(
        session, participant=participant, invited_by=access.principal.user
    )
    if link is None:
        background.add_task(mail.deliver_pending, get_write_engine())
    return LinkOut(invitation=invitation_out(invitation), link=link, mailed=link is None)


@router.patch("/cohorts/{cohort_id}/participants/{participant_id}", response_model=ParticipantOut)
def update_participant(
    participant_id: RowId, body: ParticipantUpdate, access: ManagedCohortDep, session: SessionDep
) -> ParticipantOut:
    participant = people.get_participant(session, access.cohort.id, participant_id)
    changes = body.model_dump(exclude_unset=True, exclude={"organisation"})
    if body.organisation is not None:
        changes["organisation_id"] = resolve_organisation(session, body.organisation)
    people.update_participant(session, participant=participant, **changes)
    return participant_out(session, participant)


@router.get("/cohorts/{cohort_id}/interests", response_model=Page[InterestOut])
def list_interests(
    access: ManagedCohortDep, session: SessionDep, paging: PageDep
) -> Page[InterestOut]:
    """Expressions of interest, pending ones first."""
    rows = [InterestOut(**i.model_dump()) for i in people.list_interests(session, access.cohort.id)]
    return paged(rows, paging)


@router.patch("/cohorts/{cohort_id}/interests/{interest_id}", response_model=InterestOut)
def decide_interest(
    interest_id: RowId, body: InterestDecision, access: ManagedCohortDep, session: SessionDep
) -> InterestOut:
    """Approve (the applicant becomes a participant) or decline an expression of interest."""
    interest: Interest = people.get_interest(session, access.cohort.id, interest_id)
    people.decide_interest(session, cohort=access.cohort, interest=interest, status=body.status)
    return InterestOut(**interest.model_dump())
