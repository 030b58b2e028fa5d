"""The staff summary page: read it, write the introduction, feature quotes, publish."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import ManagedEventDep, SessionDep
from app.models.base import id_of
from app.services import summary
from app.services.access import EventAccess
from app.services.errors import DomainError
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
        "left_out": summary.left_out_ids(session, id_of(access.event)),
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
    intro = str((await request.form()).get("intro", ""))
    try:
        summary.edit(session, event=access.event, intro=intro)
    except DomainError as exc:
        session.rollback()
        session.refresh(access.event)
        return _page(request, session, access, {"intro": exc.message}, exc.status_code, intro=intro)
    return _back(access)


@router.post("/events/{event_id}/summary/featured")
async def feature(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    form = await request.form()
    raw_id = str(form.get("comment_id", ""))
    try:
        if not raw_id.isdigit():
            raise DomainError("Choose a comment", field="comment_id")
        summary.feature(
            session,
            event=access.event,
            comment_id=int(raw_id),
            featured=form.get("featured") == "1",
        )
    except DomainError as exc:
        session.rollback()
        return _page(request, session, access, {"comment_id": exc.message}, exc.status_code)
    return _back(access, f"#comment-{raw_id}")


def _preview(
    request: Request,
    session: Session,
    access: EventAccess,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    event = access.event
    event_id = id_of(event)
    context = {
        "event": event,
        "summary": summary.build(session, event=event, public=True),
        "comments": summary.comment_rows(session, event_id),
        "questions": summary.question_names(session, event_id),
        "left_out": summary.left_out_ids(session, event_id),
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
    form = await request.form()
    choice = str(form.get("publish", "1"))
    from_preview = form.get("choosing") == "1"
    try:
        if from_preview:
            left_out = [int(str(v)) for v in form.getlist("left_out") if str(v).isdigit()]
            summary.leave_out(session, event=access.event, comment_ids=left_out)
        if choice == "preview":
            return RedirectResponse(
                f"/events/{access.event.id}/summary/preview#preview", status_code=303
            )
        if choice == "1":
            summary.publish(session, event=access.event)
        else:
            summary.unpublish(session, event=access.event)
    except DomainError as exc:
        session.rollback()
        session.refresh(access.event)
        if from_preview:
            return _preview(request, session, access, {"status": exc.message}, exc.status_code)
        return _page(request, session, access, {"status": exc.message}, exc.status_code)
    return _back(access)
