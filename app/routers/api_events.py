"""JSON API for events, their questions, tables, roles and attendance."""

from fastapi import APIRouter, Query
from sqlmodel import Session

from app.config import get_settings
from app.dependencies import CurrentUser, EventDep, ManagedEventDep, SessionDep
from app.models import Event
from app.schemas.common import ERROR_RESPONSES, Page
from app.schemas.events import (
    AttendanceIn,
    AttendanceOut,
    EventCreate,
    EventOut,
    EventUpdate,
    GroupOut,
    QuestionMove,
    QuestionOut,
    RoleCountOut,
    RoleOut,
)
from app.schemas.invitations import invitation_out
from app.schemas.paging import PageDep, fetch_page
from app.services import attendance, events, hosting, invitations, questions
from app.services.access import load_table, require_can_create
from app.services.attendance import RoleSpec
from app.services.events import GroupSpec, QuestionSpec

router = APIRouter(prefix="/api/v1", tags=["events"], responses=ERROR_RESPONSES)


def join_url(code: str, group_id: int | None = None) -> str:
    base = get_settings().public_base_url.rstrip("/")
    return f"{base}/j/{code}" + (f"/t/{group_id}" if group_id else "")


def event_out(session: Session, event: Event) -> EventOut:
    assert event.id is not None
    facilitators = events.facilitators_by_group(session, event.id)
    return EventOut(
        **event.model_dump(exclude={"created_at"}),
        join_url=join_url(event.join_code),
        cohost_ids=hosting.cohost_ids(session, event),
        questions=[QuestionOut(**q.model_dump()) for q in events.list_questions(session, event.id)],
        groups=[
            GroupOut(
                **g.model_dump(),
                facilitator_ids=[u.id for u in facilitators.get(g.id or 0, []) if u.id],
                join_url=join_url(event.join_code, g.id),
            )
            for g in events.list_groups(session, event.id)
        ],
        roles=[RoleOut(**r.model_dump()) for r in attendance.list_roles(session, event.id)],
        invitations=[invitation_out(i) for i in invitations.for_event(session, event.id)],
    )


def attendance_out(session: Session, event_id: int) -> AttendanceOut:
    b = attendance.balance(session, event_id)
    return AttendanceOut(
        community=b.community,
        services=b.services,
        warning=b.warning,
        absent=b.absent,
        roles=[
            RoleCountOut(role=rc.role.name, side=rc.role.side, door=rc.door, tables=rc.tables)
            for rc in b.roles
        ],
    )


# Open meetings first, then drafts, then closed ones; by start time within each.


@router.get("/events", response_model=Page[EventOut])
def list_events(
    session: SessionDep,
    principal: CurrentUser,
    paging: PageDep,
    status: str | None = Query(default=None, pattern="^(draft|open|closed)$"),
) -> Page[EventOut]:
    """Events you may see: open ones first."""
    rows, total = fetch_page(session, events.visible_events_query(principal, status), paging)
    return Page(items=[event_out(session, e) for e in rows], total=total, **paging.model_dump())


@router.post("/events", response_model=EventOut, status_code=201)
def create_event(body: EventCreate, session: SessionDep, principal: CurrentUser) -> EventOut:
    """Create a draft event with its questions, tables and roles."""
    organisation_id = require_can_create(principal, body.organisation_id)
    event = events.create_event(
        session,
        organisation_id=organisation_id,
        **body.model_dump(
            include={
                "title",
                "starts_at",
                "ends_at",
                "programme_id",
                "venue",
                "area",
                "description",
                "moderation",
                "recording",
                "equality_monitoring",
                "cohost_ids",
            }
        ),
        questions=[QuestionSpec(**q.model_dump()) for q in body.questions],
        groups=[GroupSpec(**g.model_dump()) for g in body.groups],
        roles=None if body.roles is None else [RoleSpec(**r.model_dump()) for r in body.roles],
        principal=principal,
    )
    return event_out(session, event)


@router.get("/events/{event_id}", response_model=EventOut)
def get_event(access: EventDep, session: SessionDep) -> EventOut:
    return event_out(session, access.event)


@router.patch("/events/{event_id}", response_model=EventOut)
def update_event(body: EventUpdate, access: ManagedEventDep, session: SessionDep) -> EventOut:
    """Change an event; `{"status": "open"}` opens it."""
    event = access.event
    fields = body.model_dump(
        exclude_unset=True, exclude={"questions", "groups", "roles", "cohost_ids"}
    )
    if body.cohost_ids is not None:
        hosting.set_cohosts(
            session, event=event, organisation_ids=body.cohost_ids, principal=access.principal
        )
    if body.questions is not None:
        events.replace_questions(
            session, event=event, questions=[QuestionSpec(**q.model_dump()) for q in body.questions]
        )
    if body.groups is not None:
        events.replace_groups(
            session,
            event=event,
            groups=[GroupSpec(**g.model_dump()) for g in body.groups],
            principal=access.principal,
        )
    if body.roles is not None:
        attendance.replace_roles(
            session, event=event, roles=[RoleSpec(**r.model_dump()) for r in body.roles]
        )
    events.update_event(session, event=event, principal=access.principal, **fields)
    return event_out(session, event)


@router.post("/events/{event_id}/questions/move", response_model=QuestionOut)
def move_question(body: QuestionMove, access: ManagedEventDep, session: SessionDep) -> QuestionOut:
    """Make a question active: by id, or the next or previous one."""
    if body.question_id is not None:
        q = questions.activate(session, event=access.event, question_id=body.question_id)
    else:
        q = questions.step(session, event=access.event, direction=body.direction or "next")
    return QuestionOut(**q.model_dump())


@router.get("/events/{event_id}/attendance", response_model=AttendanceOut)
def get_attendance(access: EventDep, session: SessionDep) -> AttendanceOut:
    assert access.event.id is not None
    return attendance_out(session, access.event.id)


@router.post("/events/{event_id}/attendance", response_model=AttendanceOut, status_code=201)
def add_attendance(body: AttendanceIn, access: EventDep, session: SessionDep) -> AttendanceOut:
    """Count arrivals by role at the door, or at a table (`group_id`)."""
    if body.group_id is not None:
        load_table(session, access, body.group_id)
    attendance.record(
        session,
        event=access.event,
        role=body.role,
        delta=body.delta,
        group_id=body.group_id,
        user_id=access.principal.id,
    )
    assert access.event.id is not None
    return attendance_out(session, access.event.id)
