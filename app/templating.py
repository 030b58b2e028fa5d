"""Jinja templates and the one render() helper that serves pages and their htmx partials."""

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.boundary import CSRF_FIELD, csrf_token
from app.models.comments import CommentStatus, PanelStatus, VoteValue
from app.models.events import EventStatus, Side
from app.models.mentoring import CohortStatus, InterestStatus, PairStatus
from app.schemas.opinion_groups import GroupingStatus

TEMPLATES_DIR = Path(__file__).parent / "templates"
LONDON = ZoneInfo("Europe/London")

templates = Jinja2Templates(directory=TEMPLATES_DIR)


def local_time(value: datetime | None, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
    """Show a stored UTC time in UK local time, where the meetings happen."""
    if value is None:
        return ""
    return value.astimezone(LONDON).strftime(fmt)


def input_time(value: datetime | None) -> str:
    return local_time(value, "%Y-%m-%dT%H:%M") if value else ""


templates.env.filters["local_time"] = local_time
templates.env.filters["input_time"] = input_time
templates.env.globals["csrf_token"] = csrf_token
templates.env.globals["CSRF_FIELD"] = CSRF_FIELD
# Templates compare statuses with these (`event.status == EventStatus.OPEN`), never with text.
for _closed_set in (
    CohortStatus,
    CommentStatus,
    EventStatus,
    GroupingStatus,
    InterestStatus,
    PairStatus,
    PanelStatus,
    Side,
    VoteValue,
):
    templates.env.globals[_closed_set.__name__] = _closed_set


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def render(
    request: Request,
    page: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a full page, or only its partial for an htmx request."""
    template = partial if partial and is_htmx(request) else page
    ctx = {"principal": getattr(request.state, "principal", None), **(context or {})}
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    if status_code >= 400 and request.method != "GET":
        # A refused form shown in place keeps the page's address: the form's own address
        # (a POST) pushed into history would answer 405 on reload.
        response.headers["HX-Push-Url"] = "false"
    return response
