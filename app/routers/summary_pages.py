"""The staff summary page: read it, write the introduction, feature quotes, publish."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import ManagedEventDep, SessionDep
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


@router.post("/events/{event_id}/summary/publish")
async def publish(request: Request, access: ManagedEventDep, session: SessionDep) -> Response:
    wanted = (await request.form()).get("publish", "1") == "1"
    try:
        if wanted:
            summary.publish(session, event=access.event)
        else:
            summary.unpublish(session, event=access.event)
    except DomainError as exc:
        session.rollback()
        session.refresh(access.event)
        return _page(request, session, access, {"status": exc.message}, exc.status_code)
    return _back(access)
