"""The residents' lane: the night's busiest requests answered ahead of the middleware stack
(`app.boundary` wraps it, with everything else)."""

import re

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app import errors
from app.boundary import replay_body
from app.db import UNAVAILABLE, get_engine
from app.live.broker import Channel
from app.live_views import stream_response
from app.schemas.comments import CommentIn
from app.schemas.common import MAX_ROW_ID
from app.services import night
from app.services.comments import comment_from_phone
from app.services.errors import DomainError, NotFound

_RESIDENT_STREAM = re.compile(r"^/j/(?P<code>[^/]+)(?:/t/(?P<group_id>\d+))?/stream$")
_RESIDENT_COMMENT = re.compile(r"^/api/v1/join/(?P<code>[^/]+)/comments$")
# A comment is at most 1,000 characters: even written all in escaped emoji, its JSON is
# smaller than this. A larger body goes the long way, and is refused there.
_LANE_BODY_BYTES = 16 * 1024


class ResidentLane:
    """Residents' live streams and comments, answered ahead of the middleware stack.

    These need no session cookie, no compression and no staff check, and they are most of a
    night's traffic: a phone keeps its stream open all night, and every layer a request passes
    through keeps a frame alive for as long (answered here, an open phone costs about a quarter
    less memory); a comment answered here costs about two fifths less work.

    Anything else goes on to the application: a stream whose join code or table is unknown, a
    comment that is not plain JSON of the expected shape (the application answers the
    validation error), and every other request.
    """

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, method = scope["path"], scope["method"]
            if method == "GET" and (match := _RESIDENT_STREAM.match(path)):
                if await self._stream(match, scope, receive, send):
                    return
            elif method == "POST" and (match := _RESIDENT_COMMENT.match(path)):
                onward = await self._comment(match["code"], scope, receive, send)
                if onward is None:
                    return
                receive = onward
        await self.app(scope, receive, send)

    async def _stream(
        self, match: re.Match[str], scope: Scope, receive: Receive, send: Send
    ) -> bool:
        broker = getattr(self.state, "broker", None)
        if broker is None or not _accepts(scope, b"text/event-stream"):
            return False
        group_id = int(match["group_id"]) if match["group_id"] else None
        if group_id is not None and not 1 <= group_id <= MAX_ROW_ID:
            return False  # the application refuses it by name
        try:
            channel = await run_in_threadpool(_resident_channel, match["code"], group_id)
        except UNAVAILABLE:
            response: Response = errors.unavailable_json()  # a phone's stream: no page
        else:
            if channel is None:
                return False
            response = stream_response(broker, channel)
        await response(scope, receive, send)
        return True

    async def _comment(
        self, code: str, scope: Scope, receive: Receive, send: Send
    ) -> Receive | None:
        """Answer a resident's comment; or hand back a `receive` for the application, which
        replays the body when it was read."""
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        json_body = headers.get(b"content-type", b"").split(b";")[0].strip() == b"application/json"
        if not (json_body and length.isdigit() and int(length) <= _LANE_BODY_BYTES):
            return receive
        body = await _read_body(receive)
        if body is None:
            return None
        try:
            comment = CommentIn.model_validate_json(body)
        except ValidationError:
            return replay_body(body, receive)
        client = scope.get("client")
        try:
            created = await comment_from_phone(code, comment, client[0] if client else None)
        except DomainError as exc:
            response = await errors.domain_error(Request(scope), exc)
        except IntegrityError as exc:
            response = await errors.integrity_error(Request(scope), exc)
        except UNAVAILABLE:
            response = errors.unavailable_json()
        else:
            response = Response(
                created.model_dump_json(), status_code=201, media_type="application/json"
            )
        await response(scope, receive, send)
        return None


def _accepts(scope: Scope, media_type: bytes) -> bool:
    return any(k == b"accept" and media_type in v for k, v in scope["headers"])


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body, or None when the phone went away before sending it."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _resident_channel(code: str, group_id: int | None) -> Channel | None:
    with Session(get_engine()) as session:
        try:
            return night.resident_channel(session, code, group_id)
        except NotFound:
            return None
