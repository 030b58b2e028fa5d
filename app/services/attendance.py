"""Who is in the room: roles per event, door and table counts, the community : services balance."""

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from app.live import changes
from app.models import AttendanceEntry, AttendanceRole, Event, Group
from app.models.base import id_of
from app.models.events import DEFAULT_ROLES, Side
from app.services.errors import Conflict, DomainError, NotFound, one_of

MAX_DELTA = 50


def list_roles(session: Session, event_id: int | None) -> list[AttendanceRole]:
    return list(
        session.exec(
            select(AttendanceRole)
            .where(AttendanceRole.event_id == event_id)
            .order_by(col(AttendanceRole.position))
        ).all()
    )


@dataclass
class RoleSpec:
    name: str
    side: str
    expected: bool = True


def replace_roles(session: Session, *, event: Event, roles: list[RoleSpec] | None) -> None:
    """Make the event's roles these (the default set when None), keeping counted roles."""
    specs: list[RoleSpec] = (
        [RoleSpec(name, side) for name, side in DEFAULT_ROLES] if roles is None else roles
    )
    seen: set[str] = set()
    sides: list[Side] = []
    for i, spec in enumerate(specs):
        name = spec.name.strip()
        if not name or len(name) > 60:
            raise DomainError(f"Role {i + 1} needs a name of 1 to 60 characters", f"roles.{i}.name")
        message = "Side must be community or services"
        sides.append(one_of(Side, spec.side, message, field=f"roles.{i}.side"))
        if name.lower() in seen:
            raise DomainError(f"The role {name} is listed twice", field=f"roles.{i}.name")
        seen.add(name.lower())
    existing = {r.name.lower(): r for r in list_roles(session, event.id)}
    for key, row in existing.items():
        if key not in seen:
            if session.exec(
                select(AttendanceEntry.id).where(AttendanceEntry.role_id == row.id)
            ).first():
                raise Conflict(f"{row.name} has been counted and cannot be removed", field="roles")
            session.delete(row)
    for position, (spec, side) in enumerate(zip(specs, sides, strict=True)):
        row = existing.get(spec.name.strip().lower()) or AttendanceRole(
            event_id=id_of(event), name=spec.name.strip(), side=side
        )
        row.name, row.side, row.expected, row.position = (
            spec.name.strip(),
            side,
            spec.expected,
            position,
        )
        session.add(row)
    session.flush()


def record(
    session: Session,
    *,
    event: Event,
    role: str,
    delta: int,
    group_id: int | None = None,
    user_id: int | None = None,
) -> AttendanceEntry:
    """Count arrivals (or a correction) for a role at the door or at a table."""
    row = session.exec(
        select(AttendanceRole).where(
            AttendanceRole.event_id == event.id,
            func.lower(AttendanceRole.name) == role.strip().lower(),
        )
    ).first()
    if row is None:
        names = ", ".join(r.name for r in list_roles(session, event.id))
        raise DomainError(f"Role must be one of this event's roles: {names}", field="role")
    if delta == 0 or abs(delta) > MAX_DELTA:
        raise DomainError(f"Delta must be between -{MAX_DELTA} and {MAX_DELTA}, not 0", "delta")
    if group_id is not None:
        group = session.get(Group, group_id)
        if group is None or group.event_id != event.id:
            raise NotFound("No such table in this event", field="group_id")
    current = _count(session, role_id=row.id, group_id=group_id)
    if current + delta < 0:
        raise Conflict(f"{row.name} would go below zero", field="delta")
    event_id = id_of(event)
    entry = AttendanceEntry(
        event_id=event_id, role_id=id_of(row), group_id=group_id, delta=delta, user_id=user_id
    )
    session.add(entry)
    session.flush()
    changes.record(session, "attendance", event_id, group_id=group_id)
    return entry


def undo_last(
    session: Session, *, event: Event, user_id: int | None, group_id: int | None = None
) -> AttendanceEntry | None:
    """Take back this user's last tap at this place (the door when group_id is None) that is
    not taken back yet; each undo goes one tap further back. None when nothing is left."""
    undone = select(AttendanceEntry.undoes_id).where(col(AttendanceEntry.undoes_id).is_not(None))
    last = session.exec(
        select(AttendanceEntry)
        .where(
            col(AttendanceEntry.event_id) == event.id,
            col(AttendanceEntry.user_id) == user_id,
            _at_place(group_id),
            col(AttendanceEntry.undoes_id).is_(None),
            col(AttendanceEntry.id).not_in(undone),
        )
        .order_by(col(AttendanceEntry.id).desc())
    ).first()
    if last is None:
        return None
    role = session.get(AttendanceRole, last.role_id)
    assert role is not None
    entry = record(
        session, event=event, role=role.name, delta=-last.delta, group_id=group_id, user_id=user_id
    )
    entry.undoes_id = last.id
    session.add(entry)
    session.flush()
    return entry


def _at_place(group_id: int | None) -> ColumnElement[bool]:
    """At the door (no table) or at one table."""
    column = col(AttendanceEntry.group_id)
    return column.is_(None) if group_id is None else column == group_id


def _count(session: Session, *, role_id: int | None, group_id: int | None) -> int:
    where = [col(AttendanceEntry.role_id) == role_id, _at_place(group_id)]
    total = session.exec(select(func.coalesce(func.sum(AttendanceEntry.delta), 0)).where(*where))
    return int(total.one())


@dataclass
class RoleCount:
    role: AttendanceRole
    door: int
    tables: dict[int, int] = field(default_factory=dict)

    @property
    def at_tables(self) -> int:
        return sum(self.tables.values())


@dataclass
class Balance:
    roles: list[RoleCount]
    community: int
    services: int
    absent: list[str]  # expected roles nobody has come for

    @property
    def total(self) -> int:
        return self.community + self.services

    def side(self, name: str) -> list[RoleCount]:
        """The roles on one side, in their set-up order."""
        return [rc for rc in self.roles if rc.role.side == name]

    @property
    def warning(self) -> str | None:
        """Services outnumbering, or nearly matching, community is the Battersea room."""
        if self.total == 0:
            return None
        if self.services > self.community:
            return "More people from services than from the community"
        if self.services >= 0.8 * self.community:
            return "Services nearly match the community in number"
        return None


def balance(session: Session, event_id: int | None, *, door_only: bool = False) -> Balance:
    """Door counts per role (table counts where nobody counted at the door), and the balance.

    `door_only`: what the door itself has counted, for the steward (who must not see table
    counts pass for arrivals they have not tapped)."""
    roles = list_roles(session, event_id)
    rows = session.exec(
        select(
            AttendanceEntry.role_id,
            AttendanceEntry.group_id,
            func.sum(AttendanceEntry.delta),
        )
        .where(AttendanceEntry.event_id == event_id)
        .group_by(col(AttendanceEntry.role_id), col(AttendanceEntry.group_id))
    ).all()
    counts = {r.id: RoleCount(role=r, door=0) for r in roles}
    for role_id, group_id, total in rows:
        rc = counts.get(role_id)
        if rc is None:
            continue
        if group_id is None:
            rc.door = int(total or 0)
        else:
            rc.tables[group_id] = int(total or 0)
    listed = [counts[r.id] for r in roles if r.id is not None]
    headcount = {rc.role.id: rc.door if door_only else rc.door or rc.at_tables for rc in listed}
    community = sum(headcount[rc.role.id] for rc in listed if rc.role.side == Side.COMMUNITY)
    services = sum(headcount[rc.role.id] for rc in listed if rc.role.side == Side.SERVICES)
    absent = [rc.role.name for rc in listed if rc.role.expected and headcount[rc.role.id] == 0]
    return Balance(roles=listed, community=community, services=services, absent=absent)
