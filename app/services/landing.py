"""Where a member of staff starts: the page their role works on tonight."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from app.models import Event, Group, GroupFacilitator, utcnow
from app.models.events import EventStatus
from app.services.access import Principal

# A meeting "tonight": open now, or a draft starting within these hours either side of now.
NIGHT = timedelta(hours=12)


@dataclass
class TableTonight:
    event: Event
    group: Group

    @property
    def path(self) -> str:
        return f"/events/{self.event.id}/tables/{self.group.id}"


def tables_tonight(
    session: Session, principal: Principal, now: datetime | None = None
) -> list[TableTonight]:
    """The tables this person facilitates at meetings open now or about to start."""
    now = now or utcnow()
    rows = session.exec(
        select(Event, Group)
        .join(Group, col(Group.event_id) == Event.id)
        .join(GroupFacilitator, col(GroupFacilitator.group_id) == Group.id)
        .where(
            GroupFacilitator.user_id == principal.id,
            or_(
                col(Event.status) == EventStatus.OPEN,
                (col(Event.status) == EventStatus.DRAFT)
                & (col(Event.starts_at) > now - NIGHT)
                & (col(Event.starts_at) < now + NIGHT),
            ),
        )
        .order_by(col(Event.starts_at), col(Group.position))
    ).all()
    return [TableTonight(event=e, group=g) for e, g in rows]


def landing_path(session: Session, principal: Principal) -> str:
    """Organisers: the events list. Facilitators: their table tonight, or a choice of them."""
    if principal.managed_org_ids:
        return "/events"
    tables = tables_tonight(session, principal)
    if len(tables) == 1:
        return tables[0].path
    if tables:
        return "/tonight"
    return "/events"
