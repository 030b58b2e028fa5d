"""Cohorts: list, create, read and change them (API and organisers' pages)."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.config import get_settings
from app.dependencies import CohortDep, CurrentUser, ManagedCohortDep, SessionDep
from app.forms import read_form
from app.schemas.common import ERROR_RESPONSES, Page, RowId
from app.schemas.mentoring import (
    ActionOut,
    CohortCreate,
    CohortOut,
    CohortUpdate,
    OrganisationRef,
    SessionOut,
    SupportOut,
    pair_out,
)
from app.schemas.paging import PageDep, window
from app.services.access import CohortAccess, load_cohort
from app.services.mentoring import cohorts, contexts, flows, people
from app.services.mentoring.cohorts import resolve_organisation
from app.services.mentoring.pairs import pair_views
from app.templating import render

api = APIRouter(prefix="/api/v1", tags=["mentoring"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

StaleWeeks = Query(default=None, ge=1, le=52, description="Flag pairs quiet this many weeks")


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


@api.get("/cohorts", response_model=Page[CohortOut])
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


@api.post("/cohorts", response_model=CohortOut, status_code=201)
def create_cohort(body: CohortCreate, session: SessionDep, principal: CurrentUser) -> CohortOut:
    """Create a cohort: a programme of kind mentoring with two or more organisations."""
    org_ids = [resolve_organisation(session, ref, "organisations") for ref in body.organisations]
    cohort = cohorts.create_cohort(
        session,
        organisation_id=cohorts.lead_organisation(principal, org_ids, body.organisation_id),
        partner_ids=org_ids,
        **body.model_dump(exclude={"organisations", "organisation_id"}),
        principal=principal,
    )
    return cohort_out(session, load_cohort(session, principal, cohort.id or 0, "manage"))


@api.get("/cohorts/{cohort_id}", response_model=CohortOut)
def get_cohort(
    access: CohortDep, session: SessionDep, stale_weeks: int | None = StaleWeeks
) -> CohortOut:
    """A cohort with its pairs, meeting counts and flags (a participant sees their own pair)."""
    return cohort_out(session, access, stale_weeks)


@api.patch("/cohorts/{cohort_id}", response_model=CohortOut)
def update_cohort(body: CohortUpdate, access: ManagedCohortDep, session: SessionDep) -> CohortOut:
    """Change a cohort; `{"status": "closed"}` closes it and its participants become alumni."""
    fields = body.model_dump(exclude_unset=True, exclude={"status"})
    cohorts.update_cohort(session, access=access, **fields)
    if body.status == "closed":
        flows.close_cohort(session, cohort=access.cohort)
    return cohort_out(session, access)


@pages.get("/mentoring")
def cohort_list(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    return render(request, "pages/mentoring/list.html", contexts.cohort_list(session, principal))


@pages.get("/mentoring/new")
def new_cohort_form(
    request: Request, session: SessionDep, principal: CurrentUser, previous: RowId | None = None
) -> Response:
    cohorts.require_organiser(principal)
    raw = {"stale_weeks": "4", "previous_cohort_id": str(previous or "")}
    return render(
        request,
        "pages/mentoring/new.html",
        {**contexts.new_cohort(session, principal), "raw": raw, "errors": {}, "chosen": []},
    )


@pages.post("/mentoring/new")
async def create_cohort_page(
    request: Request, session: SessionDep, principal: CurrentUser
) -> Response:
    cohorts.require_organiser(principal)
    form = await read_form(request)
    chosen = [int(o) for o in form.lists.get("organisations", []) if o.isdigit()]
    lead = cohorts.lead_organisation(principal, chosen)
    name = form.text("name", required="Enter a name")
    slug = form.text("slug", required="Enter a web address name", limit=80)
    starts_on, ends_on = form.day("starts_on"), form.day("ends_on")
    opens, closes = (
        form.day("interest_opens_on", required=False),
        form.day("interest_closes_on", required=False),
    )
    weeks = form.number("stale_weeks", low=1, high=52, message="Flag after 1 to 52 weeks")
    previous = form.raw.get("previous_cohort_id", "")
    if not form.errors and starts_on and ends_on and weeks:
        with form.attempt(session, "name"):
            cohort = cohorts.create_cohort(
                session,
                organisation_id=lead,
                partner_ids=chosen,
                name=name,
                slug=slug,
                starts_on=starts_on,
                ends_on=ends_on,
                scheme=form.text("scheme"),
                previous_cohort_id=int(previous) if previous.isdigit() else None,
                support_name=form.text("support_name"),
                support_role=form.text("support_role"),
                support_contact=form.text("support_contact", limit=300),
                interest_opens_on=opens,
                interest_closes_on=closes,
                stale_weeks=weeks,
                principal=principal,
            )
        if form.ok:
            return RedirectResponse(f"/mentoring/{cohort.id}", status_code=303)
    context = contexts.new_cohort(session, principal)
    return render(
        request,
        "pages/mentoring/new.html",
        {**context, "raw": form.raw, "errors": form.errors, "chosen": chosen},
        status_code=422,
    )


def manager_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    *,
    stale_weeks: int | None = None,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "pages/mentoring/cohort.html",
        {
            **contexts.manager(session, access, stale_weeks),
            "errors": errors or {},
            "raw": raw or {},
        },
        status_code=status_code,
    )


@pages.get("/mentoring/{cohort_id}")
def cohort_view(
    request: Request,
    access: CohortDep,
    session: SessionDep,
    stale_weeks: int | None = Query(default=None, ge=1, le=52),
    view: str = "",
) -> Response:
    """Organisers see every pair (counts, last meeting, flags); a participant their own pair."""
    if access.participant is not None and (not access.manage or view == "mine"):
        context = {**contexts.participant(session, access), "errors": {}, "raw": {}}
        return render(request, "pages/mentoring/participant.html", context)
    return manager_page(request, session, access, stale_weeks=stale_weeks)


@pages.post("/mentoring/{cohort_id}/settings")
async def update_settings(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    """Change a cohort's dates, support contact, interest window and flag threshold."""
    form = await read_form(request)
    starts_on, ends_on = form.day("starts_on"), form.day("ends_on")
    opens = form.day("interest_opens_on", required=False)
    closes = form.day("interest_closes_on", required=False)
    weeks = form.number("stale_weeks", low=1, high=52, message="Flag after 1 to 52 weeks")
    name, role = form.text("support_name"), form.text("support_role")
    contact = form.text("support_contact", limit=300)
    if not form.errors and starts_on and ends_on and weeks:
        with form.attempt(session, "starts_on"):
            cohorts.change_settings(
                session,
                access=access,
                interest_opens_on=opens,
                interest_closes_on=closes,
                starts_on=starts_on,
                ends_on=ends_on,
                stale_weeks=weeks,
                support_name=name,
                support_role=role,
                support_contact=contact,
            )
        if form.ok:
            return RedirectResponse(f"/mentoring/{access.cohort.id}?saved=1", status_code=303)
    return manager_page(request, session, access, errors=form.errors, raw=form.raw, status_code=422)
