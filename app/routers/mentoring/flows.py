"""A cohort's steps together: group sessions, actions, closing it and the handover to the
next cohort (API and pages)."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import ManagedCohortDep, SessionDep
from app.forms import read_form
from app.schemas.common import ERROR_RESPONSES, MAX_ROW_ID
from app.schemas.mentoring import (
    ActionIn,
    ActionOut,
    HandoverIn,
    HandoverOut,
    SessionIn,
    SessionOut,
    participant_out,
)
from app.services.access import CohortAccess, load_cohort
from app.services.mentoring import contexts, flows
from app.services.mentoring.pairs import active_pairing_of
from app.templating import render

api = APIRouter(prefix="/api/v1", tags=["mentoring"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)


@api.post("/cohorts/{cohort_id}/handover", response_model=HandoverOut)
def handover(body: HandoverIn, access: ManagedCohortDep, session: SessionDep) -> HandoverOut:
    """Turn this cohort's nominations into the next cohort's participants, in one step."""
    target = load_cohort(session, access.principal, body.next_cohort_id, "manage").cohort
    result = flows.handover(session, cohort=access.cohort, next_cohort=target)
    return HandoverOut(
        created=[participant_out(p, active_pairing_of(session, p.id)) for p in result.created],
        linked=[n.id or 0 for n in result.linked],
        skipped=[{"nomination_id": n.id or 0, "why": why} for n, why in result.skipped],
    )


@api.post("/cohorts/{cohort_id}/sessions", response_model=SessionOut, status_code=201)
def add_session(body: SessionIn, access: ManagedCohortDep, session: SessionDep) -> SessionOut:
    """A whole-group session: an event of the cohort's programme that is not recorded."""
    event = flows.add_group_session(
        session, cohort=access.cohort, programme=access.programme, **body.model_dump()
    )
    return SessionOut(**event.model_dump())


@api.post("/cohorts/{cohort_id}/actions", response_model=ActionOut, status_code=201)
def add_action(body: ActionIn, access: ManagedCohortDep, session: SessionDep) -> ActionOut:
    """An opportunity the cohort takes forward, tracked like any meeting's action."""
    action = flows.add_action(
        session, programme=access.programme, user_id=access.principal.id, **body.model_dump()
    )
    return ActionOut(**action.model_dump())


def _manager_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    errors: dict[str, str],
    raw: dict[str, str],
) -> Response:
    return render(
        request,
        "pages/mentoring/cohort.html",
        {**contexts.manager(session, access), "errors": errors, "raw": raw},
        status_code=422,
    )


@pages.post("/mentoring/{cohort_id}/close")
def close_cohort(access: ManagedCohortDep, session: SessionDep) -> Response:
    flows.close_cohort(session, cohort=access.cohort)
    return RedirectResponse(f"/mentoring/{access.cohort.id}", status_code=303)


@pages.post("/mentoring/{cohort_id}/sessions")
async def add_session_page(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    form = await read_form(request)
    title = form.text("title", required="Enter a title")
    starts, ends = form.moment("starts_at"), form.moment("ends_at")
    if not form.errors and starts and ends:
        with form.attempt(session, "title"):
            flows.add_group_session(
                session,
                cohort=access.cohort,
                programme=access.programme,
                title=title,
                starts_at=starts,
                ends_at=ends,
                venue=form.text("venue"),
            )
        if form.ok:
            return RedirectResponse(f"/mentoring/{access.cohort.id}", status_code=303)
    return _manager_page(request, session, access, form.errors, form.raw)


@pages.post("/mentoring/{cohort_id}/actions")
async def add_action_page(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    form = await read_form(request)
    text = form.text("text", required="Describe the action", limit=2000)
    event = form.raw.get("event_id", "")
    due = form.day("due_date", required=False)
    if not event.isdigit():
        form.errors["event_id"] = "Choose the group session that agreed it"
    if not form.errors:
        with form.attempt(session, "text"):
            flows.add_action(
                session,
                programme=access.programme,
                event_id=int(event),
                text=text,
                owner=form.text("owner"),
                due_date=due,
                user_id=access.principal.id,
            )
        if form.ok:
            return RedirectResponse(f"/mentoring/{access.cohort.id}#actions", status_code=303)
    return _manager_page(request, session, access, form.errors, form.raw)


@pages.post("/mentoring/{cohort_id}/handover")
async def handover_page(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    """Turn every nomination into a participant of the next cohort, in one step."""
    form = await read_form(request)
    target = form.number("next_cohort_id", low=1, high=MAX_ROW_ID, message="Choose the next cohort")
    result = None
    if target is not None:
        with form.attempt(session, "next_cohort_id"):
            nxt = load_cohort(session, access.principal, target, "manage").cohort
            result = flows.handover(session, cohort=access.cohort, next_cohort=nxt)
    context = {**contexts.nominations(session, access), "result": result, "errors": form.errors}
    status_code = 200 if form.ok else form.status_code
    return render(request, "pages/mentoring/nominations.html", context, status_code=status_code)
