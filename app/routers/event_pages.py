"""Staff pages to list, create and set up events."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, col, select

from app.dependencies import CurrentUser, EventDep, ManagedEventDep, SessionDep
from app.models import Event, Membership, Organisation, Programme, User
from app.models.events import DEFAULT_ROLES
from app.services import attendance, events, invitations, programmes
from app.services.access import EventAccess, Principal, visible_events_filter
from app.services.attendance import RoleSpec
from app.services.errors import DomainError, Forbidden
from app.services.events import GroupSpec, QuestionSpec
from app.templating import LONDON, render

router = APIRouter(include_in_schema=False)


@dataclass
class EventForm:
    """The set-up form: raw values to re-render, parsed values, and errors by field."""

    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


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
    session: Session, raw: dict[str, str], cohosts: list[str], org_ids: list[int]
) -> EventForm:
    form = EventForm(raw=raw)
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
    form.values["questions"] = [QuestionSpec(text=q) for q in _lines(raw.get("questions", ""))]
    if any(len(q.text) > 500 for q in form.values["questions"]):
        form.errors["questions"] = "Keep each question to 500 characters"
    form.values["groups"] = _parse_groups(session, raw.get("groups", ""), form, org_ids)
    form.values["roles"] = _parse_roles(raw.get("roles", ""), form)
    return form


def _parse_groups(
    session: Session, text: str, form: EventForm, org_ids: list[int]
) -> list[GroupSpec]:
    """One table per line: `Table 1 | facilitator@example.org, other@example.org`.

    Only staff of `org_ids` (the caller's and the event's hosts) are looked up, so the form
    never tells whether an e-mail has an account elsewhere.
    """
    staff = select(Membership.user_id).where(col(Membership.organisation_id).in_(org_ids))
    specs = []
    for line in _lines(text):
        name, _, emails = line.partition("|")
        ids = []
        for email in [e.strip().lower() for e in emails.split(",") if e.strip()]:
            user = session.exec(
                select(User).where(User.email == email, col(User.id).in_(staff))
            ).first()
            if user is None or user.id is None:
                form.errors["groups"] = (
                    f"No one in the hosting organisations has the e-mail {email}"
                )
            else:
                ids.append(user.id)
        specs.append(GroupSpec(name=name.strip(), facilitator_ids=ids))
    return specs


def _parse_roles(text: str, form: EventForm) -> list[RoleSpec]:
    """One role per line: `Councillor, services` (add `, not expected` to stop absence alerts)."""
    specs = []
    for line in _lines(text):
        parts = [p.strip() for p in line.split(",")]
        side = parts[1].lower() if len(parts) > 1 else ""
        if side not in ("community", "services"):
            form.errors["roles"] = f"Say whether {parts[0]} is community or services"
            continue
        expected = not (len(parts) > 2 and parts[2].lower() == "not expected")
        specs.append(RoleSpec(name=parts[0], side=side, expected=expected))
    if not specs and "roles" not in form.errors:
        form.errors["roles"] = "List at least one role"
    return specs


def _form_context(session: Session, principal: Principal) -> dict[str, Any]:
    orgs = session.exec(select(Organisation).order_by(col(Organisation.name))).all()
    return {
        "organisations": orgs,
        "managed_orgs": [o for o in orgs if o.id in principal.managed_org_ids],
        "programmes": programmes.list_programmes(session, principal.managed_org_ids),
    }


def _raw_from_event(session: Session, event: Event) -> dict[str, str]:
    facilitators = events.facilitators_by_group(session, event.id)
    groups = []
    for g in events.list_groups(session, event.id):
        emails = ", ".join(u.email for u in facilitators.get(g.id or 0, []))
        groups.append(f"{g.name} | {emails}" if emails else g.name)
    roles = [
        f"{r.name}, {r.side}" + ("" if r.expected else ", not expected")
        for r in attendance.list_roles(session, event.id)
    ]
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
        "questions": "\n".join(q.text for q in events.list_questions(session, event.id)),
        "groups": "\n".join(groups),
        "roles": "\n".join(roles),
    }


def _blank_raw() -> dict[str, str]:
    return {
        "moderation": "post",
        "recording": "recorded",
        "equality_monitoring": "on",
        "roles": "\n".join(f"{name}, {side}" for name, side in DEFAULT_ROLES),
    }


async def _read_form(request: Request) -> tuple[dict[str, str], list[str]]:
    data = await request.form()
    raw = {k: str(v) for k, v in data.items() if isinstance(v, str)}
    cohosts = [str(v) for v in data.getlist("cohost_ids")]
    return raw, cohosts


@router.get("/events")
def list_events(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    rows = session.exec(
        select(Event).where(visible_events_filter(principal)).order_by(col(Event.starts_at).desc())
    ).all()
    groups = {s: [e for e in rows if e.status == s] for s in ("open", "draft", "closed")}
    return render(
        request,
        "pages/events/list.html",
        {"groups": groups, "can_create": bool(principal.managed_org_ids)},
    )


@router.get("/events/new")
def new_event_form(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    if not principal.managed_org_ids:
        raise Forbidden("Only organisers and owners create events")
    context = _form_context(session, principal)
    return render(
        request,
        "pages/events/form.html",
        {**context, "raw": _blank_raw(), "errors": {}, "event": None},
    )


@router.post("/events/new")
async def create_event(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    if not principal.managed_org_ids:
        raise Forbidden("Only organisers and owners create events")
    raw, cohosts = await _read_form(request)
    org = raw.get("organisation_id", "")
    organisation_id = int(org) if org.isdigit() else min(principal.managed_org_ids, default=0)
    form = parse_event_form(session, raw, cohosts, principal.managed_org_ids)
    if organisation_id not in principal.managed_org_ids:
        form.errors["organisation_id"] = "Choose an organisation you organise for"
    if not form.errors:
        try:
            event = events.create_event(
                session, organisation_id=organisation_id, principal=principal, **form.values
            )
        except DomainError as exc:
            session.rollback()
            form.errors[(exc.field or "title").split(".")[0]] = exc.message
        else:
            return RedirectResponse(f"/events/{event.id}", status_code=303)
    context = _form_context(session, principal)
    return render(
        request,
        "pages/events/form.html",
        {**context, "raw": raw, "cohosts": cohosts, "errors": form.errors, "event": None},
        status_code=422,
    )


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
        "cohosts": [str(c) for c in events.cohost_ids(session, event)]
        + [str(i.organisation_id) for i in asked if i.kind == "cohost"],
        "invitations": [invitations.describe(session, i) for i in asked],
    }


@router.get("/events/{event_id}")
def event_setup(request: Request, access: EventDep, session: SessionDep) -> Response:
    context = _setup_context(session, access)
    if access.manage:
        context |= _form_context(session, access.principal)
    return render(
        request,
        "pages/events/setup.html",
        {**context, "raw": _raw_from_event(session, access.event), "errors": {}},
    )


@router.post("/events/{event_id}")
async def update_event(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    raw, cohosts = await _read_form(request)
    event = access.event
    principal = access.principal
    hosts = [event.organisation_id, *events.cohost_ids(session, event)]
    form = parse_event_form(session, raw, cohosts, [*principal.managed_org_ids, *hosts])
    if not form.errors:
        try:
            values = dict(form.values)
            events.set_cohosts(
                session, event=event, organisation_ids=values.pop("cohost_ids"), principal=principal
            )
            events.replace_questions(session, event=event, questions=values.pop("questions"))
            events.replace_groups(
                session, event=event, groups=values.pop("groups"), principal=principal
            )
            attendance.replace_roles(session, event=event, roles=values.pop("roles"))
            events.update_event(session, event=event, principal=principal, **values)
        except DomainError as exc:
            session.rollback()
            form.errors[(exc.field or "title").split(".")[0]] = exc.message
        else:
            return RedirectResponse(f"/events/{event.id}?saved=1", status_code=303)
    session.refresh(event)
    context = _setup_context(session, access) | _form_context(session, access.principal)
    return render(
        request,
        "pages/events/setup.html",
        {**context, "raw": raw, "cohosts": cohosts, "errors": form.errors},
        status_code=422,
    )


@router.post("/events/{event_id}/status")
async def change_status(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    status = str((await request.form()).get("status", ""))
    try:
        events.set_status(session, event=access.event, status=status)
    except DomainError as exc:
        session.rollback()
        session.refresh(access.event)
        context = _setup_context(session, access) | _form_context(session, access.principal)
        return render(
            request,
            "pages/events/setup.html",
            {
                **context,
                "raw": _raw_from_event(session, access.event),
                "errors": {"status": exc.message},
            },
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/events/{access.event.id}", status_code=303)
