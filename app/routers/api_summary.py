"""JSON API for an event's summary: read it, edit it, publish it, export it."""

from fastapi import APIRouter

from app.dependencies import ManagedEventDep, SessionDep
from app.schemas.common import ERROR_RESPONSES
from app.schemas.summary import Summary, SummaryEdit
from app.services import summary

router = APIRouter(prefix="/api/v1", tags=["summary"], responses=ERROR_RESPONSES)


@router.get("/events/{event_id}/summary", response_model=Summary)
def get_summary(access: ManagedEventDep, session: SessionDep) -> Summary:
    """Everything the summary page shows, as JSON."""
    return summary.build(session, event=access.event)


@router.patch("/events/{event_id}/summary", response_model=Summary)
def edit_summary(body: SummaryEdit, access: ManagedEventDep, session: SessionDep) -> Summary:
    """Change the introduction or the featured quotes."""
    summary.edit(
        session,
        event=access.event,
        intro=body.intro,
        featured_comment_ids=body.featured_comment_ids,
    )
    return summary.build(session, event=access.event)


@router.post("/events/{event_id}/summary/publish", response_model=Summary)
def publish_summary(access: ManagedEventDep, session: SessionDep) -> Summary:
    """Publish a closed event's summary on its programme's public page (409 otherwise)."""
    summary.publish(session, event=access.event)
    return summary.build(session, event=access.event)


@router.delete("/events/{event_id}/summary/publish", response_model=Summary)
def unpublish_summary(access: ManagedEventDep, session: SessionDep) -> Summary:
    """Withdraw the summary from the public page."""
    summary.unpublish(session, event=access.event)
    return summary.build(session, event=access.event)
