"""Staff pages to list, create and set up events."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import CurrentUser, EventDep, ManagedEventDep, SessionDep
from app.forms import FilledForm, event_rows, read_form
from app.forms.event_rows import Rows
from app.models import Event, Programme
from app.services import accounts, attendance, events, hosting, invitations, programmes
from app.services.access import EventAccess, Principal, require_can_create
from app.services.events import QuestionSpec
from app.templating import LONDON, render

router = APIRouter(include_in_schema=False)


@dataclass
class EventForm(FilledForm):
    """The set-up form, with its rows of tables and roles."""

    rows: Rows | None = None
    table_rows: list[int] = field(default_factory=list)  # each table spec's row in the form

    def field_of(self, service_field: str | None) -> str | None:
        """Where a service's refusal shows: a table's row when it names one."""
        return event_rows.service_field(service_field, self.table_rows) or service_field


def _parse_time(form: EventForm, name: str) -> None:
    text = form.raw.get(name, "").strip()
    try:
        # The form's times are local to the meeting (UK time).
        form.values[name] = datetime.fromisoformat(text).replace(tzinfo=LONDON)
    except ValueError:
        form.errors[name] = "Enter a date and time, for example 2027-01-14 18:30"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_event_form(
    session: Session,
    raw: dict[str, str],
    cohosts: list[str],
    staff_of: list[int],
    rows: Rows | None = None,
    allowed: set[int] | None = None,
) -> EventForm:
    form = EventForm(raw=raw, rows=rows)
    title = raw.get("title", "").strip()
    if not title:
        form.errors["title"] = "Enter a title"
    elif len(title) > 200:
        form.errors["title"] = "Use 200 characters or fewer"
    form.values["title"] = title
    _parse_time(form, "starts_at")
    _parse_time(form, "ends_at")
    times_given = not form.errors.keys() & {"starts_at", "ends_at"}
    if times_given and form.values["ends_at"] <= form.values["starts_at"]:
        form.errors["ends_at"] = "The end must be after the start"
    for name in ("venue", "area"):
        form.values[name] = raw.get(name, "").strip()[:200]
    form.values["description"] = raw.get("description", "").strip()
    form.values["moderation"] = "pre" if raw.get("moderation") == "pre" else "post"
    recording = raw.get("recording")
    form.values["recording"] = "not_recorded" if recording == "not_recorded" else "recorded"
    form.values["equality_monitoring"] = raw.get("equality_monitoring") == "on"
    programme = raw.get("programme_id", "")
    form.values["programme_id"] = int(programme) if programme.isdigit() else None
    form.values["cohost_ids"] = [int(c) for c in cohosts if c.isdigit()]
    form.values["questions"] = [
        QuestionSpec(text=q, time_box_minutes=_minutes(raw, i, form))
        for i, q in enumerate(_lines(raw.get("questions", "")), start=1)
    ]
    if any(len(q.text) > 500 for q in form.values["questions"]):
        form.errors["questions"] = "Keep each question to 500 characters"
    if rows is None:  # a script posting the older text fields
        groups, roles, form.rows = event_rows.from_text(session, raw, form.errors, staff_of)
        form.values["groups"], form.values["roles"] = groups, roles
    else:
        form.values["groups"], form.table_rows = event_rows.tables_to_specs(
            rows.tables, allowed or set(), form.errors
        )
        form.values["roles"] = event_rows.roles_to_specs(rows.roles, form.errors)
    return form


def _minutes(raw: dict[str, str], number: int, form: EventForm) -> int | None:
    """The time box typed beside question `number` (blank: none)."""
    text = raw.get(f"minutes_{number}", "").strip()
    if text.isdigit() and 1 <= int(text) <= 240:
        return int(text)
    if text:
        form.errors[f"minutes_{number}"] = (
            f"Enter the minutes for question {number} as a whole number from 1 to 240"
        )
    return None


def _form_context(
    session: Session, principal: Principal, rows: Rows, event: Event | None = None
) -> dict[str, Any]:
    orgs = accounts.list_organisations(session)
    return {
        "organisations": orgs,
        "managed_orgs": [o for o in orgs if o.id in principal.managed_org_ids],
        "programmes": programmes.list_programmes(session, principal.managed_org_ids),
        "rows": rows,
        "choices": event_rows.facilitator_choices(session, principal, event),
    }


def _allowed(session: Session, principal: Principal, event: Event | None) -> set[int]:
    return {c.id for c in event_rows.facilitator_choices(session, principal, event)}


def _raw_from_event(session: Session, event: Event) -> dict[str, str]:
    questions = events.list_questions(session, event.id)
    return {
        "title": event.title,
        "starts_at": event.starts_at.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": event.ends_at.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M"),
        "venue": event.venue,
        "area": event.area,
        "description": event.description,
        "moderation": event.moderation,
        "recording": event.recording,
        "equality_monitoring": "on" if event.equality_monitoring else "",
        "programme_id": str(event.programme_id or ""),
        "organisation_id": str(event.organisation_id),
        "questions": "\n".join(q.text for q in questions),
        **{f"minutes_{i}": str(q.time_box_minutes or "") for i, q in enumerate(questions, start=1)},
    }


def _blank_raw() -> dict[str, str]:
    return {"moderation": "post", "recording": "recorded", "equality_monitoring": "on"}


async def _read_form(request: Request) -> tuple[dict[str, str], list[str], Rows | None]:
    data = await request.form()
    raw = {k: str(v) for k, v in data.items() if isinstance(v, str)}
    cohosts = [str(v) for v in data.getlist("cohost_ids")]
    return raw, cohosts, event_rows.from_form(data)


@router.get("/events")
def list_events(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    rows = events.visible_events(session, principal)
    groups = {s: [e for e in rows if e.status == s] for s in ("open", "draft", "closed")}
    return render(
        request,
        "pages/events/list.html",
        {"groups": groups, "can_create": bool(principal.managed_org_ids)},
    )


@router.get("/events/new")
def new_event_form(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    require_can_create(principal)
    context = _form_context(session, principal, event_rows.blank())
    return render(
        request,
        "pages/events/form.html",
        {**context, "raw": _blank_raw(), "errors": {}, "event": None},
    )


@router.post("/events/new")
async def create_event(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    require_can_create(principal)
    raw, cohosts, rows = await _read_form(request)
    if rows is not None and raw.get("row_action"):
        return _rows_changed(request, session, principal, None, raw, cohosts, rows)
    org = raw.get("organisation_id", "")
    organisation_id = int(org) if org.isdigit() else min(principal.managed_org_ids, default=0)
    form = parse_event_form(
        session, raw, cohosts, principal.managed_org_ids, rows, _allowed(session, principal, None)
    )
    if organisation_id not in principal.managed_org_ids:
        form.errors["organisation_id"] = "Choose an organisation you organise for"
    if form.ok:
        with form.attempt(session, "title", rename=form.field_of):
            event = events.create_event(
                session, organisation_id=organisation_id, principal=principal, **form.values
            )
        if form.ok:
            return RedirectResponse(f"/events/{event.id}", status_code=303)
    context = _form_context(session, principal, form.rows or event_rows.blank())
    return render(
        request,
        "pages/events/form.html",
        {**context, "raw": raw, "cohosts": cohosts, "errors": form.errors, "event": None},
        status_code=422,
    )


def _rows_changed(
    request: Request,
    session: Session,
    principal: Principal,
    access: EventAccess | None,
    raw: dict[str, str],
    cohosts: list[str],
    rows: Rows,
) -> Response:
    """ "Add another" or "remove": the same form again with its rows changed, nothing saved."""
    rows = event_rows.apply(rows, raw.get("row_action", ""))
    event = access.event if access is not None else None
    context = _form_context(session, principal, rows, event)
    context |= {"raw": raw, "cohosts": cohosts, "errors": {}}
    if access is None:
        return render(request, "pages/events/form.html", {**context, "event": None})
    return render(request, "pages/events/setup.html", _setup_context(session, access) | context)


def _setup_context(session: Session, access: EventAccess) -> dict[str, Any]:
    event = access.event
    asked = invitations.for_event(session, event.id) if access.manage else []
    current = session.get(Programme, event.programme_id) if event.programme_id else None
    return {
        # A programme another organisation accepted the event into stays choosable.
        "current_programme": current,
        "event": event,
        "access": access,
        "questions": events.list_questions(session, event.id),
        "groups": events.list_groups(session, event.id),
        "facilitators": events.facilitators_by_group(session, event.id),
        "balance": attendance.balance(session, event.id),
        # Asked but not yet accepted stay ticked, so saving the form does not withdraw them.
        "cohosts": [str(c) for c in hosting.cohost_ids(session, event)]
        + [str(i.organisation_id) for i in asked if i.kind == "cohost"],
        "invitations": [invitations.describe(session, i) for i in asked],
    }


@router.get("/events/{event_id}")
def event_setup(request: Request, access: EventDep, session: SessionDep) -> Response:
    context = _setup_context(session, access)
    if access.manage:
        rows = event_rows.from_event(session, access.event)
        context |= _form_context(session, access.principal, rows, access.event)
    return render(
        request,
        "pages/events/setup.html",
        {**context, "raw": _raw_from_event(session, access.event), "errors": {}},
    )


@router.post("/events/{event_id}")
async def update_event(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    raw, cohosts, rows = await _read_form(request)
    event = access.event
    principal = access.principal
    hosts = [event.organisation_id, *hosting.cohost_ids(session, event)]
    if rows is not None and raw.get("row_action"):
        return _rows_changed(request, session, principal, access, raw, cohosts, rows)
    allowed = _allowed(session, principal, event)
    staff_of = [*principal.managed_org_ids, *hosts]
    form = parse_event_form(session, raw, cohosts, staff_of, rows, allowed)
    if form.ok:
        with form.attempt(session, "title", rename=form.field_of):
            values = dict(form.values)
            hosting.set_cohosts(
                session, event=event, organisation_ids=values.pop("cohost_ids"), principal=principal
            )
            events.replace_questions(session, event=event, questions=values.pop("questions"))
            events.replace_groups(
                session, event=event, groups=values.pop("groups"), principal=principal
            )
            attendance.replace_roles(session, event=event, roles=values.pop("roles"))
            events.update_event(session, event=event, principal=principal, **values)
        if form.ok:
            return RedirectResponse(f"/events/{event.id}?saved=1", status_code=303)
    rows = form.rows or event_rows.from_event(session, event)
    context = _setup_context(session, access) | _form_context(
        session, access.principal, rows, event
    )
    return render(
        request,
        "pages/events/setup.html",
        {**context, "raw": raw, "cohosts": cohosts, "errors": form.errors},
        status_code=422,
    )


@router.post("/events/{event_id}/status")
async def change_status(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    form = await read_form(request)
    with form.attempt(session, "status", rename=lambda _: "status"):
        events.set_status(session, event=access.event, status=form.raw.get("status", ""))
    if not form.ok:
        rows = event_rows.from_event(session, access.event)
        context = _setup_context(session, access) | _form_context(
            session, access.principal, rows, access.event
        )
        return render(
            request,
            "pages/events/setup.html",
            {
                **context,
                "raw": _raw_from_event(session, access.event),
                "errors": form.errors,
            },
            status_code=form.status_code,
        )
    return RedirectResponse(f"/events/{access.event.id}", status_code=303)


@router.get("/events/{event_id}/close")
def confirm_close(
    request: Request, access: ManagedEventDep, came_from: Annotated[str, Query(alias="from")] = ""
) -> Response:
    """Closing ends the night for every phone: the organiser says yes on a page of its own."""
    from_room = came_from == "room"
    if access.event.status != "open":
        back = f"/events/{access.event.id}" + ("/room" if from_room else "")
        return RedirectResponse(back, status_code=303)
    return render(
        request, "pages/events/close.html", {"event": access.event, "from_room": from_room}
    )
