"""Opinion groups: the API result and the staff page with its map, groups and common ground."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.dependencies import EventDep, SessionDep
from app.models.base import id_of
from app.schemas.common import ERROR_RESPONSES
from app.schemas.opinion_groups import OpinionGroupsOut
from app.services.opinion_groups.service import opinion_groups_view
from app.templating import render

router = APIRouter()


@router.get(
    "/api/v1/events/{event_id}/opinion-groups",
    response_model=OpinionGroupsOut,
    tags=["opinion groups"],
    responses=ERROR_RESPONSES,
)
def get_opinion_groups(access: EventDep, session: SessionDep) -> dict[str, object]:
    """The event's opinion groups, their representative comments and the common ground."""
    return opinion_groups_view(session, id_of(access.event))


@router.get("/events/{event_id}/opinion-groups", include_in_schema=False)
def opinion_groups_page(request: Request, access: EventDep, session: SessionDep) -> HTMLResponse:
    """Staff page: the opinion map, the groups and the common ground, refreshed live."""
    view = opinion_groups_view(session, id_of(access.event))
    return render(
        request,
        "pages/opinion_groups/page.html",
        {"event": access.event, "access": access, "og": view},
        partial="partials/opinion_groups/_live.html",
    )
