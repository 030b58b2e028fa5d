"""Participants' pages (log a meeting, nominate) and the public expression-of-interest form."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import SessionDep, verify_csrf
from app.models import Cohort, Programme
from app.routers import mentoring_forms
from app.routers.mentoring_deps import CohortDep
from app.routers.mentoring_views import participant_page
from app.services.errors import DomainError, Forbidden
from app.services.mentoring import cohorts, pairs, people
from app.services.mentoring.cohorts import CohortAccess
from app.templating import render

router = APIRouter(include_in_schema=False)


def _me(access: CohortAccess) -> None:
    if access.participant is None:
        raise Forbidden("Only the cohort's participants do this from their own page")


@router.post("/mentoring/{cohort_id}/meetings")
async def log_meeting(request: Request, access: CohortDep, session: SessionDep) -> Response:
    """Log your pair's meeting: the date and how long, nothing about what was said."""
    _me(access)
    form = await mentoring_forms.read(request)
    met_on = form.day("met_on")
    minutes = form.raw.get("minutes", "").strip()
    if not minutes.lstrip("-").isdigit():
        form.errors["minutes"] = "Give the length in whole minutes, for example 60"
    assert access.participant is not None
    pairing = pairs.active_pairing_of(session, access.participant.id)
    if pairing is None:
        form.errors["met_on"] = "You are not in an active pair yet"
    if not form.errors and met_on and pairing:
        try:
            pairs.log_meeting(
                session,
                cohort=access.cohort,
                pairing=pairing,
                met_on=met_on,
                minutes=int(minutes),
                today=cohorts.today(),
            )
        except DomainError as exc:
            session.rollback()
            form.errors[mentoring_forms.error_field(exc.field, "met_on")] = exc.message
        else:
            return RedirectResponse(f"/mentoring/{access.cohort.id}?view=mine", status_code=303)
    return participant_page(
        request, session, access, errors=form.errors, raw=form.raw, status_code=422
    )


@router.post("/mentoring/{cohort_id}/nominations")
async def nominate(request: Request, access: CohortDep, session: SessionDep) -> Response:
    """Handover the baton: nominate a colleague for the next cohort."""
    _me(access)
    assert access.participant is not None
    form = await mentoring_forms.read(request)
    name = form.text("nominee_name", required="Enter your colleague's name")
    email = form.text("nominee_email", required="Enter their e-mail address", limit=254)
    reason = form.text("reason", required="Say in a sentence why", limit=500)
    org = form.raw.get("organisation", "")
    if not org.isdigit():
        form.errors["organisation"] = "Choose their organisation"
    if not form.errors:
        try:
            people.nominate(
                session,
                cohort=access.cohort,
                nominator=access.participant,
                name=name,
                email=email,
                organisation_id=int(org),
                reason=reason,
            )
        except DomainError as exc:
            session.rollback()
            form.errors[mentoring_forms.error_field(exc.field, "nominee_name")] = exc.message
        else:
            return RedirectResponse(
                f"/mentoring/{access.cohort.id}?view=mine#nominate", status_code=303
            )
    return participant_page(
        request, session, access, errors=form.errors, raw=form.raw, status_code=422
    )


def _interest_page(
    request: Request,
    session: Session,
    cohort: Cohort,
    programme: Programme,
    *,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    done: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "pages/mentoring/interest_form.html",
        {
            "cohort": cohort,
            "programme": programme,
            "organisations": cohorts.organisations(session, cohort.id),
            "open": cohorts.interest_open(cohort, cohorts.today()),
            "errors": errors or {},
            "raw": raw or {"seniority": "3", "scheme_role": "either"},
            "done": done,
        },
        status_code=status_code,
    )


@router.get("/p/{slug}/interest")
def interest_form(slug: str, request: Request, session: SessionDep) -> Response:
    """Public: express interest in a cohort while its window is open."""
    cohort, programme = cohorts.by_programme_slug(session, slug)
    return _interest_page(request, session, cohort, programme)


@router.post("/p/{slug}/interest", dependencies=[Depends(verify_csrf)])
async def submit_interest(slug: str, request: Request, session: SessionDep) -> Response:
    cohort, programme = cohorts.by_programme_slug(session, slug)
    form = await mentoring_forms.read(request)
    person = form.person()
    if person is not None:
        try:
            people.submit_interest(session, cohort=cohort, person=person, today=cohorts.today())
        except DomainError as exc:
            session.rollback()
            form.errors[mentoring_forms.error_field(exc.field, "name")] = exc.message
            return _interest_page(
                request,
                session,
                cohort,
                programme,
                errors=form.errors,
                raw=form.raw,
                status_code=exc.status_code,
            )
        return _interest_page(request, session, cohort, programme, done=True)
    return _interest_page(
        request, session, cohort, programme, errors=form.errors, raw=form.raw, status_code=422
    )
