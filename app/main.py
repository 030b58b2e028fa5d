"""Wires the application together: middleware, routers, static files, error handlers."""

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from app import errors
from app.boundary import BodyLimit, SecurityHeaders, Sessions
from app.config import get_settings
from app.dependencies import refuse_control_characters
from app.lifespan import lifespan
from app.resident_lane.asgi import ResidentLane
from app.routers import ROUTERS

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
        lifespan=lifespan,
        # Every form and JSON body of staff, checked once here rather than route by route.
        dependencies=[Depends(refuse_control_characters)],
    )
    app.add_middleware(Sessions, secret_key=settings.signing_key(), https_only=settings.https_only)
    # Phones on a weak signal: pages and assets compressed (event streams never are).
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(ResidentLane, state=app.state)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:  # in order: the busiest first (see app/routers/__init__.py)
        app.include_router(router)

    return app


app = create_app()
