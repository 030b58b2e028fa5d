"""Server-sent event streams for the live views, one per kind of view.

A stream opens with the current state of each of its fragments (so a reconnect catches up),
then carries pushes. A client that does not ask for `text/event-stream` gets that first
snapshot and the end of the response, which keeps the streams testable with plain requests.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.dependencies import EventDep, ManagedEventDep, SessionDep, TableDep
from app.live.broker import Channel
from app.live_views import respond
from app.models.base import id_of
from app.schemas.common import RowId
from app.services import night

router = APIRouter(include_in_schema=False)


def resident_channel(code: str, session: SessionDep, group_id: int | None = None) -> Channel:
    return night.resident_channel(session, code, group_id)


def resident_table_channel(code: str, group_id: RowId, session: SessionDep) -> Channel:
    return resident_channel(code, session, group_id)


ResidentChannel = Annotated[Channel, Depends(resident_channel)]
ResidentTableChannel = Annotated[Channel, Depends(resident_table_channel)]


@router.get("/j/{code}/stream")
async def resident_stream(request: Request, channel: ResidentChannel) -> Response:
    return await respond(request, channel)


@router.get("/j/{code}/t/{group_id}/stream")
async def resident_table_stream(request: Request, channel: ResidentTableChannel) -> Response:
    return await respond(request, channel)


def table_channel(group: TableDep) -> Channel:
    return Channel("table", group.event_id, group.id)


@router.get("/events/{event_id}/tables/{group_id}/stream")
async def table_stream(
    request: Request, channel: Annotated[Channel, Depends(table_channel)]
) -> Response:
    return await respond(request, channel)


def _event_id(access: EventDep) -> int:
    return id_of(access.event)


def _managed_event_id(access: ManagedEventDep) -> int:
    return id_of(access.event)


@router.get("/events/{event_id}/room/stream")
async def room_stream(
    request: Request, eid: Annotated[int, Depends(_managed_event_id)]
) -> Response:
    return await respond(request, Channel("room", eid))


@router.get("/events/{event_id}/screen/stream")
async def screen_stream(request: Request, eid: Annotated[int, Depends(_event_id)]) -> Response:
    return await respond(request, Channel("screen", eid))


@router.get("/events/{event_id}/door/stream")
async def door_stream(request: Request, eid: Annotated[int, Depends(_event_id)]) -> Response:
    return await respond(request, Channel("door", eid))
