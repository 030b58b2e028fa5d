"""Organisers' pages for a cohort's people: participants, interests, pairing, nominations."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import SessionDep
from app.routers import mentoring_forms
from app.routers.mentoring_deps import ManagedCohortDep
from app.routers.mentoring_views import cohort_context
from app.schemas.common import RowId
from app.services.errors import DomainError
from app.services.mentoring import cohorts, flows, pairs, people, suggest
from app.services.mentoring.cohorts import CohortAccess
from app.templating import render

router = APIRouter(include_in_schema=False)


def _participants_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    cohort_id = access.cohort.id
    return render(
        request,
        "pages/mentoring/participants.html",
        {
            **cohort_context(session, access, None),
            "participants": people.list_participants(session, cohort_id),
            "paired": {p.id for p in people.list_participants(session, cohort_id)}
            - {p.id for p in pairs.unpaired(session, cohort_id)},
            "errors": errors or {},
            "raw": raw or {"seniority": "3", "scheme_role": "either"},
        },
        status_code=status_code,
    )


@router.get("/mentoring/{cohort_id}/participants")
def participants(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    return _participants_page(request, session, access)


@router.post("/mentoring/{cohort_id}/participants")
async def add_participant(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    form = await mentoring_forms.read(request)
    person = form.person()
    if person is not None:
        try:
            people.add_participant(session, cohort=access.cohort, person=person)
        except DomainError as exc:
            session.rollback()
            form.errors[mentoring_forms.error_field(exc.field, "name")] = exc.message
        else:
            return RedirectResponse(f"/mentoring/{access.cohort.id}/participants", 303)
    return _participants_page(request, session, access, form.errors, form.raw, 422)


@router.get("/mentoring/{cohort_id}/interests")
def interests(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    return render(
        request,
        "pages/mentoring/interests.html",
        {
            **cohort_context(session, access, None),
            "interests": people.list_interests(session, access.cohort.id),
            "errors": {},
        },
    )


@router.post("/mentoring/{cohort_id}/interests/{interest_id}")
async def decide_interest(
    interest_id: RowId, request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    form = await mentoring_forms.read(request)
    interest = people.get_interest(session, access.cohort.id, interest_id)
    try:
        people.decide_interest(
            session, cohort=access.cohort, interest=interest, status=form.raw.get("status", "")
        )
    except DomainError as exc:
        session.rollback()
        return render(
            request,
            "pages/mentoring/interests.html",
            {
                **cohort_context(session, access, None),
                "interests": people.list_interests(session, access.cohort.id),
                "errors": {"status": exc.message},
            },
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/mentoring/{access.cohort.id}/interests", status_code=303)


def _pairing_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    cohort = access.cohort
    return render(
        request,
        "pages/mentoring/pairing.html",
        {
            **cohort_context(session, access, None),
            "pairs": pairs.pair_views(session, cohort=cohort, today=cohorts.today()),
            "unpaired": pairs.unpaired(session, cohort.id),
            "plan": suggest.suggest(session, cohort=cohort),
            "errors": errors or {},
            "raw": raw or {},
        },
        status_code=status_code,
    )


@router.get("/mentoring/{cohort_id}/pairing")
def pairing(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    """Pairs, people not yet paired, and a suggestion with the reason for each pair."""
    return _pairing_page(request, session, access)


@router.post("/mentoring/{cohort_id}/pairing")
async def make_pair(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    form = await mentoring_forms.read(request)
    first, second = form.raw.get("first_id", ""), form.raw.get("second_id", "")
    if not first.isdigit():
        form.errors["first_id"] = "Choose the first person"
    if not second.isdigit():
        form.errors["second_id"] = "Choose who to pair them with"
    if not form.errors:
        try:
            pairs.make_pair(
                session, cohort=access.cohort, first_id=int(first), second_id=int(second)
            )
        except DomainError as exc:
            session.rollback()
            form.errors[mentoring_forms.error_field(exc.field, "first_id")] = exc.message
        else:
            return RedirectResponse(f"/mentoring/{access.cohort.id}/pairing", status_code=303)
    return _pairing_page(request, session, access, form.errors, form.raw, 422)


@router.post("/mentoring/{cohort_id}/pairing/suggested")
def accept_suggestions(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    try:
        suggest.accept_suggestions(session, cohort=access.cohort)
    except DomainError as exc:
        session.rollback()
        return _pairing_page(request, session, access, {"suggested": exc.message}, None, 409)
    return RedirectResponse(f"/mentoring/{access.cohort.id}/pairing", status_code=303)


@router.post("/mentoring/{cohort_id}/pairing/{pairing_id}/end")
def end_pair(pairing_id: RowId, access: ManagedCohortDep, session: SessionDep) -> Response:
    pairs.end_pair(session, pairing=pairs.get_pairing(session, access.cohort.id, pairing_id))
    return RedirectResponse(f"/mentoring/{access.cohort.id}/pairing", status_code=303)


def _nominations_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    result: flows.Handover | None = None,
) -> Response:
    cohort = access.cohort
    return render(
        request,
        "pages/mentoring/nominations.html",
        {
            **cohort_context(session, access, None),
            "nominations": people.list_nominations(session, cohort.id),
            "people": {p.id: p for p in people.list_participants(session, cohort.id)},
            "next_cohorts": cohorts.next_cohorts(session, cohort.id),
            "result": result,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/mentoring/{cohort_id}/nominations")
def nominations(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    return _nominations_page(request, session, access)


@router.post("/mentoring/{cohort_id}/handover")
async def handover(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    """Turn every nomination into a participant of the next cohort, in one step."""
    form = await mentoring_forms.read(request)
    target = form.raw.get("next_cohort_id", "")
    try:
        if not target.isdigit():
            raise DomainError("Choose the next cohort", field="next_cohort_id")
        principal = access.principal
        nxt = cohorts.load_cohort(session, principal, int(target), "manage").cohort
        result = flows.handover(session, cohort=access.cohort, next_cohort=nxt)
    except DomainError as exc:
        session.rollback()
        errors = {mentoring_forms.error_field(exc.field, "next_cohort_id"): exc.message}
        return _nominations_page(request, session, access, errors, exc.status_code)
    return _nominations_page(request, session, access, result=result)
