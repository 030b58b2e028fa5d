"""Server-sent event streams for the live views, one per kind of view.

A stream opens with the current state of each of its fragments (so a reconnect catches up),
then carries pushes. A client that does not ask for `text/event-stream` gets that first
snapshot and the end of the response, which keeps the streams testable with plain requests.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse

from app.dependencies import EventDep, ManagedEventDep, SessionDep
from app.models.base import id_of
from app.routers.night_pages import table_for
from app.schemas.common import RowId
from app.services import events, night
from app.services.errors import NotFound
from app.services.live import Broker, Channel

router = APIRouter(include_in_schema=False)


def broker_of(request: Request) -> Broker:
    broker: Broker | None = getattr(request.app.state, "broker", None)
    if broker is None:
        raise RuntimeError("the live broker is started by the application's lifespan")
    return broker


async def respond(request: Request, channel: Channel) -> Response:
    broker = broker_of(request)
    if "text/event-stream" not in request.headers.get("accept", ""):
        body = b"".join(await broker.snapshot(channel))
        return Response(body, media_type="text/event-stream")
    return stream_response(broker, channel)


def stream_response(broker: Broker, channel: Channel) -> StreamingResponse:
    # The broker's stream is already encoded, keep-alives included: a plain streaming
    # response carries it with the fewest tasks per open phone (memory is what limits how many
    # one process serves).
    return StreamingResponse(
        broker.stream(channel),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def resident_channel(code: str, session: SessionDep, group_id: int | None = None) -> Channel:
    event = events.get_by_join_code(session, code)
    event_id = id_of(event)
    if group_id is not None and night.group_of(session, event_id, group_id) is None:
        raise NotFound("No such table at this meeting", field="group_id")
    return Channel("resident", event_id, group_id)


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


def table_channel(group_id: RowId, access: EventDep, session: SessionDep) -> Channel:
    table_for(session, access, group_id)
    return Channel("table", id_of(access.event), group_id)


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
