"""A cohort's people: participants, expressions of interest, nominations and alumni (API and
pages), and the public expression-of-interest form."""

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.db import get_write_engine
from app.dependencies import CohortDep, ManagedCohortDep, SessionDep, verify_csrf
from app.forms import FilledForm, read_form
from app.models import Cohort, Participant, Programme
from app.schemas.common import ERROR_RESPONSES, Page, RowId
from app.schemas.invitations import LinkOut, invitation_out
from app.schemas.mentoring import (
    AlumnusOut,
    InterestDecision,
    InterestOut,
    NominationIn,
    NominationOut,
    ParticipantIn,
    ParticipantOut,
    ParticipantUpdate,
    participant_out,
)
from app.schemas.paging import PageDep, paged, window
from app.services import mail
from app.services.access import CohortAccess, require_participant
from app.services.mentoring import cohorts, contexts, people
from app.services.mentoring.cohorts import resolve_organisation
from app.services.mentoring.pairs import active_pairing_of
from app.services.mentoring.people import Person
from app.templating import render

api = APIRouter(prefix="/api/v1", tags=["mentoring"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)

PERSON_DEFAULTS = {"seniority": "3", "scheme_role": "either"}


def _participant_out(session: Session, p: Participant) -> ParticipantOut:
    return participant_out(p, active_pairing_of(session, p.id))


@api.get("/cohorts/{cohort_id}/participants", response_model=Page[ParticipantOut])
def list_participants(
    access: ManagedCohortDep, session: SessionDep, paging: PageDep
) -> Page[ParticipantOut]:
    rows = paged(people.list_participants(session, access.cohort.id), paging)
    return window([_participant_out(session, p) for p in rows.items], rows.total, paging)


@api.post("/cohorts/{cohort_id}/participants", response_model=ParticipantOut, status_code=201)
def add_participant(
    body: ParticipantIn, access: ManagedCohortDep, session: SessionDep
) -> ParticipantOut:
    """Add a named member of staff of one of the cohort's organisations."""
    person = people.Person(
        organisation_id=resolve_organisation(session, body.organisation),
        **body.model_dump(exclude={"organisation"}),
    )
    p = people.add_participant(session, cohort=access.cohort, person=person)
    return _participant_out(session, p)


@api.post(
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


@api.patch("/cohorts/{cohort_id}/participants/{participant_id}", response_model=ParticipantOut)
def update_participant(
    participant_id: RowId, body: ParticipantUpdate, access: ManagedCohortDep, session: SessionDep
) -> ParticipantOut:
    participant = people.get_participant(session, access.cohort.id, participant_id)
    changes = body.model_dump(exclude_unset=True, exclude={"organisation"})
    if body.organisation is not None:
        changes["organisation_id"] = resolve_organisation(session, body.organisation)
    people.update_participant(session, participant=participant, **changes)
    return _participant_out(session, participant)


@api.get("/cohorts/{cohort_id}/interests", response_model=Page[InterestOut])
def list_interests(
    access: ManagedCohortDep, session: SessionDep, paging: PageDep
) -> Page[InterestOut]:
    """Expressions of interest, pending ones first."""
    rows = [InterestOut(**i.model_dump()) for i in people.list_interests(session, access.cohort.id)]
    return paged(rows, paging)


@api.patch("/cohorts/{cohort_id}/interests/{interest_id}", response_model=InterestOut)
def decide_interest(
    interest_id: RowId, body: InterestDecision, access: ManagedCohortDep, session: SessionDep
) -> InterestOut:
    """Approve (the applicant becomes a participant) or decline an expression of interest."""
    interest = people.get_interest(session, access.cohort.id, interest_id)
    people.decide_interest(session, cohort=access.cohort, interest=interest, status=body.status)
    return InterestOut(**interest.model_dump())


@api.get("/cohorts/{cohort_id}/nominations", response_model=Page[NominationOut])
def list_nominations(
    access: CohortDep, session: SessionDep, paging: PageDep
) -> Page[NominationOut]:
    """Every nomination for organisers; your own for a participant."""
    mine = None if access.manage else access.participant
    rows = people.list_nominations(session, access.cohort.id, mine.id if mine else None)
    return paged([NominationOut(**n.model_dump()) for n in rows], paging)


@api.post("/cohorts/{cohort_id}/nominations", response_model=NominationOut, status_code=201)
def nominate(body: NominationIn, access: CohortDep, session: SessionDep) -> NominationOut:
    """Nominate a colleague for the next cohort ("handover the baton")."""
    nomination = people.nominate(
        session,
        cohort=access.cohort,
        nominator=people.nominator(session, access, body.nominator_id),
        name=body.nominee_name,
        email=body.nominee_email,
        organisation_id=resolve_organisation(session, body.organisation),
        reason=body.reason,
    )
    return NominationOut(**nomination.model_dump())


@api.get("/cohorts/{cohort_id}/alumni", response_model=Page[AlumnusOut])
def alumni(access: ManagedCohortDep, session: SessionDep, paging: PageDep) -> Page[AlumnusOut]:
    """The scheme's alumni: participants of its closed cohorts."""
    rows = [AlumnusOut(**a.__dict__) for a in people.alumni(session, access.cohort.scheme)]
    return paged(rows, paging)


def _participants_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
    invited: tuple[str, str | None] | None = None,
) -> Response:
    return render(
        request,
        "pages/mentoring/participants.html",
        {
            **contexts.participants(session, access),
            "errors": errors or {},
            "raw": raw or PERSON_DEFAULTS,
            "invited": invited,
        },
        status_code=status_code,
    )


def _person(form: FilledForm) -> Person | None:
    """The fields a participant and an expression of interest share."""
    name = form.text("name", required="Enter a name")
    email = form.text("email", required="Enter an e-mail address", limit=254)
    org = form.raw.get("organisation", "")
    if not org.isdigit():
        form.errors["organisation"] = "Choose an organisation"
    role = form.raw.get("scheme_role", "either")
    seniority = form.number("seniority", low=1, high=5, message="Choose a seniority from 1 to 5")
    if form.errors:
        return None
    return Person(
        name=name,
        email=email,
        organisation_id=int(org),
        job_title=form.text("job_title"),
        scheme_role=role,
        seniority=seniority or 3,
    )


@pages.get("/mentoring/{cohort_id}/participants")
def participants(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    return _participants_page(request, session, access)


@pages.post("/mentoring/{cohort_id}/participants")
async def add_participant_page(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    form = await read_form(request)
    person = _person(form)
    if person is not None:
        with form.attempt(session, "name"):
            people.add_participant(session, cohort=access.cohort, person=person)
        if form.ok:
            return RedirectResponse(f"/mentoring/{access.cohort.id}/participants", 303)
    return _participants_page(request, session, access, form.errors, form.raw, 422)


@pages.post("/mentoring/{cohort_id}/participants/{participant_id}/invite")
def invite_participant_page(
    participant_id: RowId,
    request: Request,
    access: ManagedCohortDep,
    session: SessionDep,
    background: BackgroundTasks,
) -> Response:
    """Ask a participant to link their account (the link is mailed, or shown here once)."""
    participant = people.get_participant(session, access.cohort.id, participant_id)
    form = FilledForm()
    with form.attempt(session, "participant"):
        invitation, link = people.invite_participant(
            session, participant=participant, invited_by=access.principal.user
        )
    if not form.ok:
        return _participants_page(request, session, access, form.errors, None, form.status_code)
    if link is None:
        background.add_task(mail.deliver_pending, get_write_engine())
    return _participants_page(request, session, access, invited=(invitation.email, link))


@pages.get("/mentoring/{cohort_id}/interests")
def interests(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    context = {**contexts.interests(session, access), "errors": {}}
    return render(request, "pages/mentoring/interests.html", context)


@pages.post("/mentoring/{cohort_id}/interests/{interest_id}")
async def decide_interest_page(
    interest_id: RowId, request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    form = await read_form(request)
    interest = people.get_interest(session, access.cohort.id, interest_id)
    with form.attempt(session, "status", rename=lambda _: "status"):
        people.decide_interest(
            session, cohort=access.cohort, interest=interest, status=form.raw.get("status", "")
        )
    if not form.ok:
        return render(
            request,
            "pages/mentoring/interests.html",
            {**contexts.interests(session, access), "errors": form.errors},
            status_code=form.status_code,
        )
    return RedirectResponse(f"/mentoring/{access.cohort.id}/interests", status_code=303)


@pages.get("/mentoring/{cohort_id}/nominations")
def nominations(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    context = {**contexts.nominations(session, access), "result": None, "errors": {}}
    return render(request, "pages/mentoring/nominations.html", context)


@pages.post("/mentoring/{cohort_id}/nominations")
async def nominate_page(request: Request, access: CohortDep, session: SessionDep) -> Response:
    """Handover the baton: nominate a colleague for the next cohort."""
    me = require_participant(access)
    form = await read_form(request)
    name = form.text("nominee_name", required="Enter your colleague's name")
    email = form.text("nominee_email", required="Enter their e-mail address", limit=254)
    reason = form.text("reason", required="Say in a sentence why", limit=500)
    org = form.raw.get("organisation", "")
    if not org.isdigit():
        form.errors["organisation"] = "Choose their organisation"
    if not form.errors:
        with form.attempt(session, "nominee_name"):
            people.nominate(
                session,
                cohort=access.cohort,
                nominator=me,
                name=name,
                email=email,
                organisation_id=int(org),
                reason=reason,
            )
        if form.ok:
            return RedirectResponse(
                f"/mentoring/{access.cohort.id}?view=mine#nominate", status_code=303
            )
    return render(
        request,
        "pages/mentoring/participant.html",
        {**contexts.participant(session, access), "errors": form.errors, "raw": form.raw},
        status_code=422,
    )


@pages.get("/mentoring/{cohort_id}/alumni")
def alumni_page(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    return render(request, "pages/mentoring/alumni.html", contexts.alumni(session, access))


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
            **contexts.interest_form(session, cohort, programme),
            "errors": errors or {},
            "raw": raw or PERSON_DEFAULTS,
            "done": done,
        },
        status_code=status_code,
    )


@pages.get("/p/{slug}/interest")
def interest_form(slug: str, request: Request, session: SessionDep) -> Response:
    """Public: express interest in a cohort while its window is open."""
    cohort, programme = cohorts.by_programme_slug(session, slug)
    return _interest_page(request, session, cohort, programme)


@pages.post("/p/{slug}/interest", dependencies=[Depends(verify_csrf)])
async def submit_interest(slug: str, request: Request, session: SessionDep) -> Response:
    cohort, programme = cohorts.by_programme_slug(session, slug)
    form = await read_form(request)
    person = _person(form)
    if person is not None:
        with form.attempt(session, "name"):
            people.submit_interest(session, cohort=cohort, person=person, today=cohorts.today())
        if form.ok:
            return _interest_page(request, session, cohort, programme, done=True)
    return _interest_page(
        request,
        session,
        cohort,
        programme,
        errors=form.errors,
        raw=form.raw,
        status_code=form.status_code,
    )
