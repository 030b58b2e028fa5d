"""Organisers' mentoring pages: cohorts, the cohort view with its pairs, sessions and actions."""

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from app.dependencies import CurrentUser, SessionDep
from app.models import Cohort, Organisation, Programme
from app.routers import mentoring_forms
from app.routers.mentoring_deps import CohortDep, ManagedCohortDep
from app.routers.mentoring_views import cohort_context, manager_page, participant_page
from app.schemas.common import RowId
from app.services.access import Principal
from app.services.errors import DomainError, Forbidden
from app.services.mentoring import cohorts, flows, people
from app.templating import render

router = APIRouter(include_in_schema=False)


def _managed_cohorts(session: Session, principal: Principal) -> list[tuple[Cohort, Programme]]:
    return [
        (c, p)
        for c, p in cohorts.list_cohorts(session, principal)
        if any(principal.can_manage_org(o) for o in cohorts.organisation_ids(session, c.id))
    ]


@router.get("/mentoring")
def cohort_list(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    rows = cohorts.list_cohorts(session, principal)
    managed = {c.id for c, _ in _managed_cohorts(session, principal)}
    return render(
        request,
        "pages/mentoring/list.html",
        {"rows": rows, "managed": managed, "can_create": bool(principal.managed_org_ids)},
    )


def _new_context(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "organisations": session.exec(select(Organisation).order_by(col(Organisation.name))).all(),
        "managed_orgs": principal.managed_org_ids,
        "previous": _managed_cohorts(session, principal),
    }


@router.get("/mentoring/new")
def new_cohort_form(
    request: Request, session: SessionDep, principal: CurrentUser, previous: RowId | None = None
) -> Response:
    if not principal.managed_org_ids:
        raise Forbidden("Only organisers and owners create cohorts")
    raw = {"stale_weeks": "4", "previous_cohort_id": str(previous or "")}
    return render(
        request,
        "pages/mentoring/new.html",
        {**_new_context(session, principal), "raw": raw, "errors": {}, "chosen": []},
    )


@router.post("/mentoring/new")
async def create_cohort(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    if not principal.managed_org_ids:
        raise Forbidden("Only organisers and owners create cohorts")
    form = await mentoring_forms.read(request)
    chosen = [int(o) for o in form.lists.get("organisations", []) if o.isdigit()]
    # The lead is one of the chosen organisations you organise for, else your own first one.
    lead = next((o for o in chosen if principal.can_manage_org(o)), None)
    lead = lead or min(principal.managed_org_ids)
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
        try:
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
        except DomainError as exc:
            session.rollback()
            form.errors[mentoring_forms.error_field(exc.field, "name")] = exc.message
        else:
            return RedirectResponse(f"/mentoring/{cohort.id}", status_code=303)
    context = _new_context(session, principal)
    return render(
        request,
        "pages/mentoring/new.html",
        {**context, "raw": form.raw, "errors": form.errors, "chosen": chosen},
        status_code=422,
    )


@router.get("/mentoring/{cohort_id}")
def cohort_view(
    request: Request,
    access: CohortDep,
    session: SessionDep,
    stale_weeks: int | None = Query(default=None, ge=1, le=52),
    view: str = "",
) -> Response:
    """Organisers see every pair (counts, last meeting, flags); a participant their own pair."""
    if access.participant is not None and (not access.manage or view == "mine"):
        return participant_page(request, session, access)
    return manager_page(request, session, access, stale_weeks=stale_weeks)


@router.post("/mentoring/{cohort_id}/close")
def close_cohort(access: ManagedCohortDep, session: SessionDep) -> Response:
    flows.close_cohort(session, cohort=access.cohort)
    return RedirectResponse(f"/mentoring/{access.cohort.id}", status_code=303)


@router.post("/mentoring/{cohort_id}/settings")
async def update_settings(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    """Change a cohort's dates, support contact, interest window and flag threshold."""
    form = await mentoring_forms.read(request)
    starts_on, ends_on = form.day("starts_on"), form.day("ends_on")
    opens = form.day("interest_opens_on", required=False)
    closes = form.day("interest_closes_on", required=False)
    weeks = form.number("stale_weeks", low=1, high=52, message="Flag after 1 to 52 weeks")
    support = {k: form.text(k) for k in ("support_name", "support_role")}
    support["support_contact"] = form.text("support_contact", limit=300)
    if not form.errors:
        try:
            cohort = access.cohort
            # An emptied window is cleared, not left as it was.
            cohort.interest_opens_on, cohort.interest_closes_on = opens, closes
            cohorts.update_cohort(
                session,
                access=access,
                starts_on=starts_on,
                ends_on=ends_on,
                stale_weeks=weeks,
                **support,
            )
        except DomainError as exc:
            session.rollback()
            session.refresh(access.cohort)
            form.errors[mentoring_forms.error_field(exc.field, "starts_on")] = exc.message
        else:
            return RedirectResponse(f"/mentoring/{access.cohort.id}?saved=1", status_code=303)
    return manager_page(request, session, access, errors=form.errors, raw=form.raw, status_code=422)


@router.post("/mentoring/{cohort_id}/sessions")
async def add_session(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    form = await mentoring_forms.read(request)
    title = form.text("title", required="Enter a title")
    starts, ends = form.moment("starts_at"), form.moment("ends_at")
    if not form.errors and starts and ends:
        try:
            flows.add_group_session(
                session,
                cohort=access.cohort,
                programme=access.programme,
                title=title,
                starts_at=starts,
                ends_at=ends,
                venue=form.text("venue"),
            )
        except DomainError as exc:
            session.rollback()
            form.errors[mentoring_forms.error_field(exc.field, "title")] = exc.message
        else:
            return RedirectResponse(f"/mentoring/{access.cohort.id}", status_code=303)
    return manager_page(request, session, access, errors=form.errors, raw=form.raw, status_code=422)


@router.post("/mentoring/{cohort_id}/actions")
async def add_action(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    form = await mentoring_forms.read(request)
    text = form.text("text", required="Describe the action", limit=2000)
    event = form.raw.get("event_id", "")
    due = form.day("due_date", required=False)
    if not event.isdigit():
        form.errors["event_id"] = "Choose the group session that agreed it"
    if not form.errors:
        try:
            flows.add_action(
                session,
                programme=access.programme,
                event_id=int(event),
                text=text,
                owner=form.text("owner"),
                due_date=due,
                user_id=access.principal.id,
            )
        except DomainError as exc:
            session.rollback()
            form.errors[mentoring_forms.error_field(exc.field, "text")] = exc.message
        else:
            return RedirectResponse(f"/mentoring/{access.cohort.id}#actions", status_code=303)
    return manager_page(request, session, access, errors=form.errors, raw=form.raw, status_code=422)


@router.get("/mentoring/{cohort_id}/alumni")
def alumni(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    return render(
        request,
        "pages/mentoring/alumni.html",
        {
            **cohort_context(session, access, None),
            "alumni": people.alumni(session, access.cohort.scheme),
        },
    )
