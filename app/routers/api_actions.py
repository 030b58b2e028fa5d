"""JSON API for actions: list and create per event, read, change, and log progress."""

from fastapi import APIRouter, Query
from sqlmodel import Session

from app.dependencies import CurrentUser, ManagedEventDep, SessionDep
from app.models import Action
from app.models.base import id_of
from app.schemas.actions import ActionCreate, ActionDetail, ActionPatch, ActionUpdateIn
from app.schemas.common import ERROR_RESPONSES, Page, RowId
from app.schemas.paging import PageDep
from app.schemas.summary import ActionOut, ActionUpdateOut
from app.services import actions

router = APIRouter(prefix="/api/v1", tags=["actions"], responses=ERROR_RESPONSES)


def detail(session: Session, action: Action) -> ActionDetail:
    updates = [
        ActionUpdateOut(**u.model_dump()) for u in actions.updates_of(session, id_of(action))
    ]
    return ActionDetail(**actions.one(session, action).model_dump(), updates=updates)


@router.get("/events/{event_id}/actions", response_model=Page[ActionOut])
def list_actions(
    access: ManagedEventDep,
    session: SessionDep,
    paging: PageDep,
    status: str | None = Query(
        default=None, pattern="^(proposed|agreed|in_progress|done|dropped)$"
    ),
) -> Page[ActionOut]:
    """The event's actions, soonest due first."""
    rows = actions.action_outs(
        session, event_ids=[id_of(access.event)], statuses=[status] if status else None
    )
    items = rows[paging.offset : paging.offset + paging.limit]
    return Page(items=items, total=len(rows), **paging.model_dump())


@router.post("/events/{event_id}/actions", response_model=ActionDetail, status_code=201)
def create_action(body: ActionCreate, access: ManagedEventDep, session: SessionDep) -> ActionDetail:
    """Take something forward: due date not in the past; links to this event's content only."""
    action = actions.create(
        session, event=access.event, user_id=access.principal.id, **body.model_dump()
    )
    return detail(session, action)


@router.get("/actions", response_model=Page[ActionOut])
def my_actions(
    session: SessionDep,
    principal: CurrentUser,
    paging: PageDep,
    overdue: bool = Query(default=False, description="Only open actions past their due date"),
) -> Page[ActionOut]:
    """Actions of the events you organise; `?overdue=true` for the ones past due."""
    rows = actions.for_principal(session, principal, overdue=overdue)
    items = rows[paging.offset : paging.offset + paging.limit]
    return Page(items=items, total=len(rows), **paging.model_dump())


@router.get("/actions/{action_id}", response_model=ActionDetail)
def get_action(action_id: RowId, session: SessionDep, principal: CurrentUser) -> ActionDetail:
    action, _ = actions.load(session, principal, action_id)
    return detail(session, action)


@router.patch("/actions/{action_id}", response_model=ActionDetail)
def update_action(
    action_id: RowId, body: ActionPatch, session: SessionDep, principal: CurrentUser
) -> ActionDetail:
    """Change an action; moving its status back, or dropping it, needs a `reason`."""
    action, access = actions.load(session, principal, action_id)
    fields = body.model_dump(exclude_unset=True)
    actions.update(
        session,
        action=action,
        user_id=access.principal.id,
        clear_due_date="due_date" in fields and fields["due_date"] is None,
        **fields,
    )
    return detail(session, action)


@router.post("/actions/{action_id}/updates", response_model=ActionDetail, status_code=201)
def add_update(
    action_id: RowId, body: ActionUpdateIn, session: SessionDep, principal: CurrentUser
) -> ActionDetail:
    """Log dated progress, optionally moving the status."""
    action, access = actions.load(session, principal, action_id)
    actions.add_update(
        session, action=action, body=body.body, user_id=access.principal.id, status=body.status
    )
    return detail(session, action)
