"""Wires the application together: middleware, routers, static files, error handlers."""

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from app import errors, live_views
from app.asgi import ResidentLane, Sessions
from app.boundary import BodyLimit, SecurityHeaders
from app.config import get_settings
from app.dependencies import refuse_control_characters
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
    home_pages,
    live_streams,
    mentoring_pages,
    mentoring_participant_pages,
    mentoring_people_pages,
    night_actions,
    night_pages,
    opinion_groups,
    privacy_pages,
    public_pages,
    resident_pages,
    summary_pages,
)

STATIC_DIR = Path(__file__).parent / "static"


class CommonGround(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's own error layer, so that a 500 carries the headers too, and
        # ahead of the residents' lane, so that no body over the cap is read by anyone.
        https_only = get_settings().https_only
        return SecurityHeaders(BodyLimit(super().build_middleware_stack()), https_only)


def create_app() -> FastAPI:
    settings = get_settings()
    app = CommonGround(
        title="Common Ground",
        version="0.1.0",
        description="Community engagement meetings between public services and residents.",
        lifespan=live_views.lifespan,
        # Every form and JSON body of staff, checked once here rather than route by route.
        dependencies=[Depends(refuse_control_characters)],
    )
    app.add_middleware(Sessions, secret_key=settings.signing_key(), https_only=settings.https_only)
    # Phones on a weak signal: pages and assets compressed (event streams never are).
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(ResidentLane, state=app.state)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Routes are matched in order, router by router: the busiest ones (residents' phones and
    # the live streams) come first, so their requests do not try every staff route before.
    for module in (
        api_join,
        resident_pages,
        privacy_pages,
        live_streams,
        health,
        auth,
        home_pages,
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

    return app


app = create_app()
