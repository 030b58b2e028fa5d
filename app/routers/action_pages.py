"""Staff pages for actions: per event, one action's progress, and what is overdue."""

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import CurrentUser, ManagedEventDep, SessionDep
from app.forms import FilledForm, read_form
from app.models import Action
from app.models.actions import ACTION_STATUSES
from app.schemas.common import RowId
from app.services import actions
from app.services.access import EventAccess
from app.templating import render

router = APIRouter(include_in_schema=False)

STATUS_OPTIONS = [(s, s.replace("_", " ").capitalize()) for s in ACTION_STATUSES]


def _ids(text: str) -> list[int]:
    return [int(p) for p in text.replace(",", " ").split() if p.isdigit()]


def parse_form(form: FilledForm) -> FilledForm:
    raw = form.raw
    form.values["text"] = raw.get("text", "")
    form.values["owner"] = raw.get("owner", "")
    due = raw.get("due_date", "").strip()
    try:
        form.values["due_date"] = date.fromisoformat(due) if due else None
    except ValueError:
        form.errors["due_date"] = "Enter a date, for example 2027-03-31"
    form.values["status"] = raw.get("status", "proposed")
    form.values["comment_ids"] = _ids(raw.get("comment_ids", ""))
    form.values["panel_question_ids"] = _ids(raw.get("panel_question_ids", ""))
    if raw.get("comment_ids", "").strip() and not form.values["comment_ids"]:
        form.errors["comment_ids"] = "List comment numbers, separated by spaces"
    return form


def _form_page(
    request: Request,
    session: Session,
    access: EventAccess,
    raw: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    assert access.event.id is not None
    comments, panel = actions.linked_content(
        session,
        event_id=access.event.id,
        comment_ids=_ids(raw.get("comment_ids", "")),
        panel_question_ids=_ids(raw.get("panel_question_ids", "")),
    )
    context = {
        "event": access.event,
        "raw": raw,
        "errors": errors,
        "statuses": STATUS_OPTIONS,
        "comments": comments,
        "panel": panel,
    }
    return render(request, "pages/actions/new.html", context, status_code=status_code)


@router.get("/events/{event_id}/actions")
def event_actions(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    assert access.event.id is not None
    rows = actions.action_outs(session, event_ids=[access.event.id])
    return render(request, "pages/actions/list.html", {"event": access.event, "rows": rows})


@router.get("/events/{event_id}/actions/new")
def new_action(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    """The action form; `?comment_id=` or `?panel_question_id=` starts from what it answers."""
    raw = {
        "status": "proposed",
        "comment_ids": request.query_params.get("comment_id", ""),
        "panel_question_ids": request.query_params.get("panel_question_id", ""),
    }
    return _form_page(request, session, access, raw, {})


@router.post("/events/{event_id}/actions")
async def create_action(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    form = parse_form(await read_form(request))
    raw = form.raw
    if form.ok:
        with form.attempt(session, "text"):
            action = actions.create(
                session, event=access.event, user_id=access.principal.id, **form.values
            )
        if form.ok:
            return RedirectResponse(f"/actions/{action.id}", status_code=303)
    return _form_page(request, session, access, raw, form.errors, 422)


@router.get("/actions/overdue")
def overdue(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    """Open actions past their due date, across the events you organise."""
    rows = actions.for_principal(session, principal, overdue=True)
    titles = actions.event_titles(session, {a.event_id for a in rows})
    return render(request, "pages/actions/overdue.html", {"rows": rows, "titles": titles})


def _detail_page(
    request: Request,
    session: Session,
    action: Action,
    access: EventAccess,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    out = actions.one(session, action)
    comments, panel = actions.linked_content(
        session,
        event_id=action.event_id,
        comment_ids=out.comment_ids,
        panel_question_ids=out.panel_question_ids,
    )
    context = {
        "event": access.event,
        "action": out,
        "updates": actions.updates_of(session, action.id or 0),
        "comments": comments,
        "panel": panel,
        "statuses": STATUS_OPTIONS,
        "errors": errors or {},
        "raw": raw or {},
    }
    return render(request, "pages/actions/detail.html", context, status_code=status_code)


@router.get("/actions/{action_id}")
def action_page(
    request: Request, action_id: RowId, session: SessionDep, principal: CurrentUser
) -> Response:
    action, access = actions.load(session, principal, action_id)
    return _detail_page(request, session, action, access)


@router.post("/actions/{action_id}")
async def edit_action(
    request: Request, action_id: RowId, session: SessionDep, principal: CurrentUser
) -> Response:
    action, access = actions.load(session, principal, action_id)
    form = parse_form(await read_form(request))
    raw = form.raw
    if form.ok:
        with form.attempt(session, "text"):
            actions.update(
                session,
                action=action,
                user_id=access.principal.id,
                text=form.values["text"],
                owner=form.values["owner"],
                due_date=form.values["due_date"],
                clear_due_date=form.values["due_date"] is None,
                status=form.values["status"],
                reason=raw.get("reason", ""),
                comment_ids=form.values["comment_ids"],
                panel_question_ids=form.values["panel_question_ids"],
            )
        if form.ok:
            return RedirectResponse(f"/actions/{action_id}?saved=1", status_code=303)
    return _detail_page(request, session, action, access, form.errors, raw, 422)


def _update_field(field: str | None) -> str:
    return "update_status" if field in ("status", "reason") else "body"


@router.post("/actions/{action_id}/updates")
async def add_update(
    request: Request, action_id: RowId, session: SessionDep, principal: CurrentUser
) -> Response:
    action, access = actions.load(session, principal, action_id)
    form = await read_form(request)
    raw = form.raw
    with form.attempt(session, "body", rename=_update_field):
        actions.add_update(
            session,
            action=action,
            body=raw.get("body", ""),
            user_id=access.principal.id,
            status=raw.get("update_status") or None,
        )
    if not form.ok:
        return _detail_page(request, session, action, access, form.errors, raw, 422)
    return RedirectResponse(f"/actions/{action_id}#updates", status_code=303)
