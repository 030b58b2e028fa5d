"""Wires the application together: middleware, routers, static files, error handlers."""

import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import errors, live_views
from app.config import get_settings
from app.db import get_engine
from app.routers import (
    action_pages,
    admin_pages,
    api_actions,
    api_comments,
    api_equality,
    api_events,
    api_join,
    api_mentoring,
    api_mentoring_pairs,
    api_orgs,
    api_summary,
    auth,
    event_pages,
    health,
    live_streams,
    mentoring_pages,
    mentoring_participant_pages,
    mentoring_people_pages,
    night_actions,
    night_pages,
    opinion_groups,
    public_pages,
    resident_pages,
    summary_pages,
)
from app.services.errors import NotFound
from app.services.live import Channel

STATIC_DIR = Path(__file__).parent / "static"

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Residents' pages must not leak the join code or anything else to other sites.
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Sessions:
    """Signed, HttpOnly, SameSite=Lax session cookies, marked Secure on https requests
    (seen through the proxy's headers) or always when HTTPS_ONLY is set."""

    def __init__(self, app: ASGIApp, secret_key: str, https_only: bool) -> None:
        options: dict[str, Any] = {
            "secret_key": secret_key,
            "session_cookie": "cg_session",
            "max_age": 12 * 60 * 60,
            "same_site": "lax",
        }
        self.secure = SessionMiddleware(app, https_only=True, **options)
        self.plain = self.secure if https_only else SessionMiddleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        middleware = self.secure if scope.get("scheme") in ("https", "wss") else self.plain
        await middleware(scope, receive, send)


_RESIDENT_STREAM = re.compile(r"^/j/(?P<code>[^/]+)(?:/t/(?P<group_id>\d+))?/stream$")


class ResidentStreams:
    """Residents' live streams, answered ahead of the middleware stack.

    A phone keeps its stream open all night, and every layer a request passes through keeps a
    frame alive for as long: answered here, each open phone costs about a quarter less memory.
    Such a stream needs no session cookie, no compression and no staff check. Anything else,
    a stream whose join code or table is unknown included, goes on to the application.
    """

    def __init__(self, app: ASGIApp, state: State) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _RESIDENT_STREAM.match(scope["path"]) if scope["type"] == "http" else None
        broker = getattr(self.state, "broker", None)
        if match and broker is not None and scope["method"] == "GET" and _streaming(scope):
            group_id = int(match["group_id"]) if match["group_id"] else None
            channel = await run_in_threadpool(_resident_channel, match["code"], group_id)
            if channel is not None:
                response = live_streams.stream_response(broker, channel)
                response.raw_headers += SECURITY_HEADERS
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _streaming(scope: Scope) -> bool:
    return any(k == b"accept" and b"text/event-stream" in v for k, v in scope["headers"])


def _resident_channel(code: str, group_id: int | None) -> Channel | None:
    with Session(get_engine()) as session:
        try:
            return live_streams.resident_channel(code, session, group_id)
        except NotFound:
            return None


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Common Ground",
        version="0.1.0",
        description="Community engagement meetings between public services and residents.",
        lifespan=live_views.lifespan,
    )
    app.add_middleware(Sessions, secret_key=settings.signing_key(), https_only=settings.https_only)
    app.add_middleware(SecurityHeaders)
    # Phones on a weak signal: pages and assets compressed (event streams never are).
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(ResidentStreams, state=app.state)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Routes are matched in order, router by router: the busiest ones (residents' phones and
    # the live streams) come first, so their requests do not try every staff route before.
    for module in (
        api_join,
        resident_pages,
        live_streams,
        health,
        auth,
        event_pages,
        admin_pages,
        api_events,
        api_orgs,
        api_comments,
        api_equality,
        summary_pages,
        api_summary,
        public_pages,
        api_actions,
        action_pages,
        opinion_groups,
        api_mentoring,
        api_mentoring_pairs,
        mentoring_pages,
        mentoring_people_pages,
        mentoring_participant_pages,
        night_pages,
        night_actions,
    ):
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/events", status_code=303)

    return app


app = create_app()
