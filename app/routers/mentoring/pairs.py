"""Pairs: the suggestion, pairing by hand, ending a pair, and the pair's own meetings (API and
pages)."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import CohortDep, ManagedCohortDep, SessionDep
from app.forms import FilledForm, read_form
from app.models import Pairing
from app.schemas.common import ERROR_RESPONSES, Page, RowId
from app.schemas.mentoring import (
    LeftOver,
    MeetingIn,
    MeetingOut,
    MeetingUpdate,
    PairingIn,
    PairingUpdate,
    PairOut,
    SuggestedPair,
    SuggestionOut,
    pair_out,
    pair_person,
)
from app.schemas.paging import PageDep, paged
from app.services.access import CohortAccess, require_participant
from app.services.mentoring import cohorts, contexts, pairs, suggest
from app.templating import render

api = APIRouter(prefix="/api/v1", tags=["mentoring"], responses=ERROR_RESPONSES)
pages = APIRouter(include_in_schema=False)


def _pair(session: Session, access: CohortAccess, pairing: Pairing) -> PairOut:
    views = pairs.pair_views(session, cohort=access.cohort, today=cohorts.today())
    view = next(v for v in views if v.pairing.id == pairing.id)
    names = pairs.org_names(session, {view.first.organisation_id, view.second.organisation_id})
    return pair_out(view, names)


@api.get("/cohorts/{cohort_id}/pairings/suggestions", response_model=SuggestionOut)
def suggestions(access: ManagedCohortDep, session: SessionDep) -> SuggestionOut:
    """A suggested pair for everyone not yet paired, each with the reason it was chosen."""
    plan = suggest.suggest(session, cohort=access.cohort)
    everyone = {p.organisation_id for s in plan.pairs for p in (s.first, s.second)}
    everyone |= {p.organisation_id for p, _ in plan.left_over}
    names = pairs.org_names(session, everyone)
    return SuggestionOut(
        pairs=[
            SuggestedPair(
                first=pair_person(s.first, names),
                second=pair_person(s.second, names),
                reason=s.reason,
            )
            for s in plan.pairs
        ],
        left_over=[
            LeftOver(participant=pair_person(p, names), why=why) for p, why in plan.left_over
        ],
    )


@api.post("/cohorts/{cohort_id}/pairings/suggestions", response_model=list[PairOut])
def accept_suggestions(access: ManagedCohortDep, session: SessionDep) -> list[PairOut]:
    """Make every suggested pair at once."""
    made = suggest.accept_suggestions(session, cohort=access.cohort)
    return [_pair(session, access, p) for p in made]


@api.post("/cohorts/{cohort_id}/pairings", response_model=PairOut, status_code=201)
def make_pair(body: PairingIn, access: ManagedCohortDep, session: SessionDep) -> PairOut:
    """Pair two participants of different organisations by hand."""
    pairing = pairs.make_pair(
        session, cohort=access.cohort, first_id=body.first_id, second_id=body.second_id
    )
    return _pair(session, access, pairing)


@api.patch("/cohorts/{cohort_id}/pairings/{pairing_id}", response_model=PairOut)
def end_pair(
    pairing_id: RowId, body: PairingUpdate, access: ManagedCohortDep, session: SessionDep
) -> PairOut:
    """End a pair (`{"status": "ended"}`), so its members can be paired again."""
    pairing = pairs.get_pairing(session, access.cohort.id, pairing_id)
    pairs.end_pair(session, pairing=pairing)
    return _pair(session, access, pairing)


@api.get("/cohorts/{cohort_id}/pairings/{pairing_id}/meetings", response_model=Page[MeetingOut])
def list_meetings(
    pairing_id: RowId, access: CohortDep, session: SessionDep, paging: PageDep
) -> Page[MeetingOut]:
    """Your pair's meetings, newest first."""
    pairing = pairs.own_pairing(session, access, pairing_id)
    rows = [MeetingOut(**m.model_dump()) for m in pairs.list_meetings(session, pairing.id)]
    return paged(rows, paging)


@api.post(
    "/cohorts/{cohort_id}/pairings/{pairing_id}/meetings",
    response_model=MeetingOut,
    status_code=201,
)
def log_meeting(
    pairing_id: RowId, body: MeetingIn, access: CohortDep, session: SessionDep
) -> MeetingOut:
    """Log that your pair met: the date and the length in minutes, nothing else."""
    pairing = pairs.own_pairing(session, access, pairing_id)
    meeting = pairs.log_meeting(
        session,
        cohort=access.cohort,
        pairing=pairing,
        met_on=body.met_on,
        minutes=body.minutes,
        today=cohorts.today(),
    )
    return MeetingOut(**meeting.model_dump())


@api.patch(
    "/cohorts/{cohort_id}/pairings/{pairing_id}/meetings/{meeting_id}", response_model=MeetingOut
)
def update_meeting(
    pairing_id: RowId,
    meeting_id: RowId,
    body: MeetingUpdate,
    access: CohortDep,
    session: SessionDep,
) -> MeetingOut:
    """Correct the date or length of one of your pair's meetings."""
    pairing = pairs.own_pairing(session, access, pairing_id)
    meeting = pairs.update_meeting(
        session,
        cohort=access.cohort,
        meeting=pairs.get_meeting(session, pairing, meeting_id),
        met_on=body.met_on,
        minutes=body.minutes,
        today=cohorts.today(),
    )
    return MeetingOut(**meeting.model_dump())


def _pairing_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "pages/mentoring/pairing.html",
        {**contexts.pairing(session, access), "errors": errors or {}, "raw": raw or {}},
        status_code=status_code,
    )


@pages.get("/mentoring/{cohort_id}/pairing")
def pairing(request: Request, access: ManagedCohortDep, session: SessionDep) -> Response:
    """Pairs, people not yet paired, and a suggestion with the reason for each pair."""
    return _pairing_page(request, session, access)


@pages.post("/mentoring/{cohort_id}/pairing")
async def make_pair_page(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    form = await read_form(request)
    first, second = form.raw.get("first_id", ""), form.raw.get("second_id", "")
    if not first.isdigit():
        form.errors["first_id"] = "Choose the first person"
    if not second.isdigit():
        form.errors["second_id"] = "Choose who to pair them with"
    if not form.errors:
        with form.attempt(session, "first_id"):
            pairs.make_pair(
                session, cohort=access.cohort, first_id=int(first), second_id=int(second)
            )
        if form.ok:
            return RedirectResponse(f"/mentoring/{access.cohort.id}/pairing", status_code=303)
    return _pairing_page(request, session, access, form.errors, form.raw, 422)


@pages.post("/mentoring/{cohort_id}/pairing/suggested")
def accept_suggestions_page(
    request: Request, access: ManagedCohortDep, session: SessionDep
) -> Response:
    form = FilledForm()
    with form.attempt(session, "suggested"):
        suggest.accept_suggestions(session, cohort=access.cohort)
    if not form.ok:
        return _pairing_page(request, session, access, form.errors, None, form.status_code)
    return RedirectResponse(f"/mentoring/{access.cohort.id}/pairing", status_code=303)


@pages.post("/mentoring/{cohort_id}/pairing/{pairing_id}/end")
def end_pair_page(pairing_id: RowId, access: ManagedCohortDep, session: SessionDep) -> Response:
    pairs.end_pair(session, pairing=pairs.get_pairing(session, access.cohort.id, pairing_id))
    return RedirectResponse(f"/mentoring/{access.cohort.id}/pairing", status_code=303)


@pages.post("/mentoring/{cohort_id}/meetings")
async def log_meeting_page(request: Request, access: CohortDep, session: SessionDep) -> Response:
    """Log your pair's meeting: the date and how long, nothing about what was said."""
    me = require_participant(access)
    form = await read_form(request)
    met_on = form.day("met_on")
    minutes = form.raw.get("minutes", "").strip()
    if not minutes.lstrip("-").isdigit():
        form.errors["minutes"] = "Give the length in whole minutes, for example 60"
    pairing = pairs.active_pairing_of(session, me.id)
    if pairing is None:
        form.errors["met_on"] = "You are not in an active pair yet"
    if not form.errors and met_on and pairing:
        with form.attempt(session, "met_on"):
            pairs.log_meeting(
                session,
                cohort=access.cohort,
                pairing=pairing,
                met_on=met_on,
                minutes=int(minutes),
                today=cohorts.today(),
            )
        if form.ok:
            return RedirectResponse(f"/mentoring/{access.cohort.id}?view=mine", status_code=303)
    return render(
        request,
        "pages/mentoring/participant.html",
        {**contexts.participant(session, access), "errors": form.errors, "raw": form.raw},
        status_code=422,
    )
