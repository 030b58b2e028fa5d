"""Staff pages for the night: a table's tablet, the door, the control room, the wall, QR sheets."""

from typing import Any
from urllib.parse import urlsplit

import segno
from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.config import get_settings
from app.dependencies import EventDep, ManagedEventDep, SessionDep, TableDep
from app.live_views import context, live_page, template_for
from app.models import Event, Group
from app.models.base import id_of
from app.services import events, moderation, night
from app.services.opinion_groups.service import opinion_groups_view
from app.templating import render

router = APIRouter(include_in_schema=False)


def join_url(event: Event, group: Group | None = None) -> str:
    base = get_settings().public_base_url.rstrip("/")
    return f"{base}/j/{event.join_code}" + (f"/t/{group.id}" if group else "")


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def local_only(url: str) -> bool:
    """A join link only this computer can open (PUBLIC_BASE_URL unset or left at localhost)."""
    host = urlsplit(url).hostname or ""
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def qr_svg(url: str, scale: int = 8, border: int = 2) -> str:
    """The join link as an inline SVG QR code (medium error correction survives a crease)."""
    return str(segno.make(url, error="m").svg_inline(scale=scale, border=border, omitsize=True))


def join_address() -> str:
    """The short address a resident types from across a hall: the public host (and any path
    the site is served under) and /j, with no scheme."""
    parts = urlsplit(get_settings().public_base_url)
    host = (parts.netloc or "localhost").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}/j"


@router.get("/events/{event_id}/tables/{group_id}")
def table_page(
    request: Request, group: TableDep, access: EventDep, session: SessionDep
) -> Response:
    """A facilitator's tablet: the question and its time box, who is here, comments arriving."""
    return live_page(request, session, access, "table", group)


@router.get("/events/{event_id}/door")
def door_page(request: Request, access: EventDep, session: SessionDep) -> Response:
    """The door steward's counter: one large button per role."""
    return live_page(request, session, access, "door")


@router.get("/events/{event_id}/room")
def room_page(
    request: Request,
    access: ManagedEventDep,
    session: SessionDep,
    table: str = "",
    status: str = "",
) -> Response:
    """The organiser's control room: every table, the balance, moderation, the panel."""
    event_id = id_of(access.event)
    where = moderation.parse_filter(session, event_id, table, status)
    extra = {
        "pending": night.count_pending(session, event_id),
        "og": opinion_groups_view(session, event_id),
    }
    return live_page(request, session, access, "room", extra=extra, where=where)


@router.get("/events/{event_id}/room/moderation")
def room_moderation(
    request: Request,
    access: ManagedEventDep,
    session: SessionDep,
    table: str = "",
    status: str = "",
) -> Response:
    """The moderation list alone, as filtered: the room fetches it again when comments change."""
    where = moderation.parse_filter(session, access.event.id, table, status)
    ctx = context(session, "room", access.event, None, ["moderation"], where)
    return render(request, template_for("room", "moderation"), ctx | {"access": access})


@router.get("/events/{event_id}/screen")
def screen_page(request: Request, access: EventDep, session: SessionDep) -> Response:
    """The projector wall: published content only, large enough for the back of the hall."""
    url = join_url(access.event)
    # The full quiet zone (four modules) is part of the code a phone must see on a projector.
    extra = {"qr": qr_svg(url, border=4), "join_url": url, "join_address": join_address()}
    return live_page(request, session, access, "screen", extra=extra)


@router.get("/events/{event_id}/qr")
def qr_sheets(request: Request, access: EventDep, session: SessionDep) -> Response:
    """QR codes to print: the whole meeting, then one A4 sheet per table."""
    event = access.event
    sheets: list[dict[str, Any]] = [
        {"title": "Join the meeting", "url": join_url(event), "group": None}
    ]
    sheets += [
        {"title": g.name, "url": join_url(event, g), "group": g}
        for g in events.list_groups(session, event.id)
    ]
    for sheet in sheets:
        sheet["svg"] = qr_svg(str(sheet["url"]), scale=10)
    context = {"event": event, "sheets": sheets, "local_only": local_only(join_url(event))}
    return render(request, "pages/night/qr.html", context)
