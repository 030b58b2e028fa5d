"""Public pages of a programme, no sign-in: published summaries, cadence, "you said, we did"."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.config import get_settings
from app.dependencies import SessionDep
from app.schemas.common import RowId
from app.services import exports, public
from app.services.plain_text import printable
from app.templating import render, templates

router = APIRouter(include_in_schema=False)

PUBLIC_LIMIT = 50


@router.get("/p/{slug}")
def programme(request: Request, slug: str, session: SessionDep) -> Response:
    """The programme's published summaries, newest first, its cadence and its action tracker."""
    page = public.programme_page(session, slug)
    return render(request, "pages/public/programme.html", {"page": page})


@router.get("/p/{slug}/events/{event_id}")
def event_summary(request: Request, slug: str, event_id: RowId, session: SessionDep) -> Response:
    """One meeting's published summary."""
    programme, data = public.published_summary(session, slug, event_id)
    limit = None if request.query_params.get("all") else PUBLIC_LIMIT
    return render(
        request,
        "pages/public/summary.html",
        {"programme": programme, "summary": data, "staff": False, "limit": limit, "all_link": True},
    )


@router.get("/p/{slug}/actions.csv")
def tracker_csv(slug: str, session: SessionDep) -> Response:
    """The tracker as a spreadsheet, for residents and journalists to follow."""
    page = public.programme_page(session, slug)
    return Response(
        exports.to_csv(public.tracker_rows(page)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{slug}-actions.csv"'},
    )


@router.get("/p/{slug}/feed.atom")
def tracker_feed(slug: str, session: SessionDep) -> Response:
    """Progress on the programme's actions as an Atom feed."""
    page = public.programme_page(session, slug)
    entries = public.feed(session, page)
    base = get_settings().public_base_url.rstrip("/")
    body = templates.get_template("pages/public/feed.xml").render(
        page=page, entries=entries, base=base
    )
    # XML cannot hold a control character stored before they were refused.
    return Response(printable(body), media_type="application/atom+xml; charset=utf-8")
