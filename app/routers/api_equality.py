"""Equality monitoring for staff: breakdowns only ever through small-count suppression."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.dependencies import EventDep, SessionDep
from app.models.base import id_of
from app.schemas.common import ERROR_RESPONSES
from app.services import equality
from app.services.small_counts import NOTE

router = APIRouter(prefix="/api/v1", tags=["equality"], responses=ERROR_RESPONSES)


class EqualityBreakdownOut(BaseModel):
    responses: int
    note: str
    ethnic_group: dict[str, str]
    age_band: dict[str, str]
    borough: dict[str, str]


@router.get("/events/{event_id}/equality", response_model=EqualityBreakdownOut)
def equality_breakdown(access: EventDep, session: SessionDep) -> EqualityBreakdownOut:
    """Who answered the equality questions, with counts under 5 and their neighbours hidden."""
    total, shown = equality.breakdowns(session, event_id=id_of(access.event))
    return EqualityBreakdownOut(responses=total, note=NOTE, **shown)
