"""JSON API for a cohort's pairs and meetings, nominations, alumni, sessions, actions, exports."""

from typing import Literal

from fastapi import APIRouter, Response
from sqlmodel import Session

from app.dependencies import SessionDep
from app.models import Pairing
from app.routers.api_mentoring import paged, pair_out, pair_person, participant_out
from app.routers.mentoring_deps import CohortDep, ManagedCohortDep
from app.schemas.common import ERROR_RESPONSES, Page, RowId
from app.schemas.mentoring import (
    ActionIn,
    ActionOut,
    AlumnusOut,
    HandoverIn,
    HandoverOut,
    LeftOver,
    MeetingIn,
    MeetingOut,
    MeetingUpdate,
    NominationIn,
    NominationOut,
    PairingIn,
    PairingUpdate,
    PairOut,
    SessionIn,
    SessionOut,
    SuggestedPair,
    SuggestionOut,
)
from app.schemas.paging import PageDep
from app.services.errors import DomainError, Forbidden, NotFound
from app.services.mentoring import cohorts, export, flows, pairs, people, suggest
from app.services.mentoring.cohorts import CohortAccess, resolve_organisation

router = APIRouter(prefix="/api/v1", tags=["mentoring"], responses=ERROR_RESPONSES)


def _pair(session: Session, access: CohortAccess, pairing: Pairing) -> PairOut:
    views = pairs.pair_views(session, cohort=access.cohort, today=cohorts.today())
    view = next(v for v in views if v.pairing.id == pairing.id)
    names = pairs.org_names(session, {view.first.organisation_id, view.second.organisation_id})
    return pair_out(view, names)


@router.get("/cohorts/{cohort_id}/pairings/suggestions", response_model=SuggestionOut)
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


@router.post("/cohorts/{cohort_id}/pairings/suggestions", response_model=list[PairOut])
def accept_suggestions(access: ManagedCohortDep, session: SessionDep) -> list[PairOut]:
    """Make every suggested pair at once."""
    made = suggest.accept_suggestions(session, cohort=access.cohort)
    return [_pair(session, access, p) for p in made]


@router.post("/cohorts/{cohort_id}/pairings", response_model=PairOut, status_code=201)
def make_pair(body: PairingIn, access: ManagedCohortDep, session: SessionDep) -> PairOut:
    """Pair two participants of different organisations by hand."""
    pairing = pairs.make_pair(
        session, cohort=access.cohort, first_id=body.first_id, second_id=body.second_id
    )
    return _pair(session, access, pairing)


@router.patch("/cohorts/{cohort_id}/pairings/{pairing_id}", response_model=PairOut)
def end_pair(
    pairing_id: RowId, body: PairingUpdate, access: ManagedCohortDep, session: SessionDep
) -> PairOut:
    """End a pair (`{"status": "ended"}`), so its members can be paired again."""
    pairing = pairs.get_pairing(session, access.cohort.id, pairing_id)
    pairs.end_pair(session, pairing=pairing)
    return _pair(session, access, pairing)


def _own_pairing(session: Session, access: CohortAccess, pairing_id: int) -> Pairing:
    """Only the pair itself reads and logs its meetings; organisers see counts only."""
    pairing = pairs.get_pairing(session, access.cohort.id, pairing_id)
    me = access.participant
    if me is None or me.id not in (pairing.first_id, pairing.second_id):
        if access.manage:
            raise Forbidden("Only the pair logs and reads its meetings", field="pairing_id")
        raise NotFound("No such pair in this cohort", field="pairing_id")
    return pairing


@router.get("/cohorts/{cohort_id}/pairings/{pairing_id}/meetings", response_model=Page[MeetingOut])
def list_meetings(
    pairing_id: RowId, access: CohortDep, session: SessionDep, paging: PageDep
) -> Page[MeetingOut]:
    """Your pair's meetings, newest first."""
    pairing = _own_pairing(session, access, pairing_id)
    rows = [MeetingOut(**m.model_dump()) for m in pairs.list_meetings(session, pairing.id)]
    return paged(rows, paging)


@router.post(
    "/cohorts/{cohort_id}/pairings/{pairing_id}/meetings",
    response_model=MeetingOut,
    status_code=201,
)
def log_meeting(
    pairing_id: RowId, body: MeetingIn, access: CohortDep, session: SessionDep
) -> MeetingOut:
    """Log that your pair met: the date and the length in minutes, nothing else."""
    pairing = _own_pairing(session, access, pairing_id)
    meeting = pairs.log_meeting(
        session,
        cohort=access.cohort,
        pairing=pairing,
        met_on=body.met_on,
        minutes=body.minutes,
        today=cohorts.today(),
    )
    return MeetingOut(**meeting.model_dump())


@router.patch(
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
    pairing = _own_pairing(session, access, pairing_id)
    meeting = pairs.update_meeting(
        session,
        cohort=access.cohort,
        meeting=pairs.get_meeting(session, pairing, meeting_id),
        met_on=body.met_on,
        minutes=body.minutes,
        today=cohorts.today(),
    )
    return MeetingOut(**meeting.model_dump())


@router.get("/cohorts/{cohort_id}/nominations", response_model=Page[NominationOut])
def list_nominations(
    access: CohortDep, session: SessionDep, paging: PageDep
) -> Page[NominationOut]:
    """Every nomination for organisers; your own for a participant."""
    mine = None if access.manage else access.participant
    rows = people.list_nominations(session, access.cohort.id, mine.id if mine else None)
    return paged([NominationOut(**n.model_dump()) for n in rows], paging)


@router.post("/cohorts/{cohort_id}/nominations", response_model=NominationOut, status_code=201)
def nominate(body: NominationIn, access: CohortDep, session: SessionDep) -> NominationOut:
    """Nominate a colleague for the next cohort ("handover the baton")."""
    me = access.participant
    if body.nominator_id is not None and (me is None or body.nominator_id != me.id):
        if not access.manage:
            raise Forbidden("You nominate in your own name only", field="nominator_id")
        nominator = people.get_participant(session, access.cohort.id, body.nominator_id)
    elif me is not None:
        nominator = me
    else:
        raise DomainError("Say which participant makes this nomination", field="nominator_id")
    nomination = people.nominate(
        session,
        cohort=access.cohort,
        nominator=nominator,
        name=body.nominee_name,
        email=body.nominee_email,
        organisation_id=resolve_organisation(session, body.organisation),
        reason=body.reason,
    )
    return NominationOut(**nomination.model_dump())


@router.post("/cohorts/{cohort_id}/handover", response_model=HandoverOut)
def handover(body: HandoverIn, access: ManagedCohortDep, session: SessionDep) -> HandoverOut:
    """Turn this cohort's nominations into the next cohort's participants, in one step."""
    principal = access.principal
    target = cohorts.load_cohort(session, principal, body.next_cohort_id, "manage").cohort
    result = flows.handover(session, cohort=access.cohort, next_cohort=target)
    return HandoverOut(
        created=[participant_out(session, p) for p in result.created],
        linked=[n.id or 0 for n in result.linked],
        skipped=[{"nomination_id": n.id or 0, "why": why} for n, why in result.skipped],
    )


@router.get("/cohorts/{cohort_id}/alumni", response_model=Page[AlumnusOut])
def alumni(access: ManagedCohortDep, session: SessionDep, paging: PageDep) -> Page[AlumnusOut]:
    """The scheme's alumni: participants of its closed cohorts."""
    rows = [AlumnusOut(**a.__dict__) for a in people.alumni(session, access.cohort.scheme)]
    return paged(rows, paging)


@router.post("/cohorts/{cohort_id}/sessions", response_model=SessionOut, status_code=201)
def add_session(body: SessionIn, access: ManagedCohortDep, session: SessionDep) -> SessionOut:
    """A whole-group session: an event of the cohort's programme that is not recorded."""
    event = flows.add_group_session(
        session, cohort=access.cohort, programme=access.programme, **body.model_dump()
    )
    return SessionOut(**event.model_dump())


@router.post("/cohorts/{cohort_id}/actions", response_model=ActionOut, status_code=201)
def add_action(body: ActionIn, access: ManagedCohortDep, session: SessionDep) -> ActionOut:
    """An opportunity the cohort takes forward, tracked like any meeting's action."""
    action = flows.add_action(
        session, programme=access.programme, user_id=access.principal.id, **body.model_dump()
    )
    return ActionOut(**action.model_dump())


MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/cohorts/{cohort_id}/export/{fmt}", response_class=Response)
def export_cohort(
    fmt: Literal["csv", "xlsx"], access: ManagedCohortDep, session: SessionDep
) -> Response:
    """The cohort's pairs and meeting counts, nominations and alumni, as CSV or XLSX."""
    tables = export.tables(session, cohort=access.cohort, today=cohorts.today())
    body = export.to_csv(tables, access.programme.name) if fmt == "csv" else export.to_xlsx(tables)
    name = f"{access.programme.slug}.{fmt}"
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
