"""The staff summary page: read it, write the introduction, feature quotes, publish."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import ManagedEventDep, SessionDep
from app.forms import read_form
from app.schemas.common import MAX_ROW_ID
from app.services import summary
from app.services.access import EventAccess
from app.templating import render

router = APIRouter(include_in_schema=False)

# The page lists the most agreed comments of each question; ?all=1 lists every one.
PAGE_LIMIT = 50


def _page(
    request: Request,
    session: Session,
    access: EventAccess,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    data = summary.build(session, event=access.event)
    limit = None if request.query_params.get("all") else PAGE_LIMIT
    context = {
        "summary": data,
        "staff": True,
        "limit": limit,
        "all_link": True,
        "intro": None,  # the saved introduction, unless a refused one is being re-shown
        "left_out": summary.left_out_ids(session, access.event.id or 0),
        "errors": errors or {},
        **extra,
    }
    return render(request, "pages/summary/summary.html", context, status_code=status_code)


def _back(access: EventAccess, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/events/{access.event.id}/summary{anchor}", status_code=303)


@router.get("/events/{event_id}/summary")
def summary_page(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    return _page(request, session, access)


@router.post("/events/{event_id}/summary")
async def save_intro(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    form = await read_form(request)
    intro = form.raw.get("intro", "")
    with form.attempt(session, "intro", rename=lambda _: "intro"):
        summary.edit(session, event=access.event, intro=intro)
    if not form.ok:
        return _page(request, session, access, form.errors, form.status_code, intro=intro)
    return _back(access)


@router.post("/events/{event_id}/summary/featured")
async def feature(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    form = await read_form(request)
    comment_id = form.number("comment_id", low=1, high=MAX_ROW_ID, message="Choose a comment")
    if comment_id is not None:
        with form.attempt(session, "comment_id", rename=lambda _: "comment_id"):
            summary.feature(
                session,
                event=access.event,
                comment_id=comment_id,
                featured=form.raw.get("featured") == "1",
            )
    if not form.ok:
        return _page(request, session, access, form.errors, form.status_code)
    return _back(access, f"#comment-{comment_id}")


def _preview(
    request: Request,
    session: Session,
    access: EventAccess,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    event = access.event
    assert event.id is not None
    context = {
        "event": event,
        "summary": summary.build(session, event=event, public=True),
        "comments": summary.comment_rows(session, event.id),
        "questions": summary.question_names(session, event.id),
        "left_out": summary.left_out_ids(session, event.id),
        "staff": False,
        "limit": None,
        "all_link": False,
        "errors": errors or {},
    }
    return render(request, "pages/summary/preview.html", context, status_code=status_code)


@router.get("/events/{event_id}/summary/preview")
def preview(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    """The public page as it will read, with a choice of comments to leave out of it."""
    return _preview(request, session, access)


@router.post("/events/{event_id}/summary/publish")
async def publish(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    form = await read_form(request)
    choice = form.raw.get("publish", "1")
    from_preview = form.raw.get("choosing") == "1"
    with form.attempt(session, "status", rename=lambda _: "status"):
        if from_preview:
            left_out = [int(v) for v in form.lists.get("left_out", []) if v.isdigit()]
            summary.leave_out(session, event=access.event, comment_ids=left_out)
        if choice == "preview":
            return RedirectResponse(
                f"/events/{access.event.id}/summary/preview#preview", status_code=303
            )
        if choice == "1":
            summary.publish(session, event=access.event)
        else:
            summary.unpublish(session, event=access.event)
    if not form.ok:
        if from_preview:
            return _preview(request, session, access, form.errors, form.status_code)
        return _page(request, session, access, form.errors, form.status_code)
    return _back(access)
