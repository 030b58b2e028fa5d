"""The set-up form's rows for tables and roles.

Rows are read from the posted form (or the event), changed by the "add another" and "remove"
buttons (a plain post re-renders the form without JavaScript; with it, htmx swaps only the
rows), and checked into the specs the services take, each refusal keyed to its row's field.
"""

import re
from dataclasses import dataclass, field

from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from app.models import Event, Membership, Organisation, User
from app.models.events import DEFAULT_ROLES
from app.services import attendance, events
from app.services.access import Principal
from app.services.attendance import SIDES, RoleSpec
from app.services.events import GroupSpec

_ROW_FIELD = re.compile(r"^(groups|roles)-(\d+)-")
MAX_ROWS = 100  # a form with more rows than a hall has tables is not a form


@dataclass
class TableRow:
    id: str = ""
    name: str = ""
    facilitators: list[str] = field(default_factory=list)


@dataclass
class RoleRow:
    name: str = ""
    side: str = ""
    expected: bool = True


@dataclass
class Rows:
    tables: list[TableRow]
    roles: list[RoleRow]
    focus: str = ""  # the field to focus after adding a row


@dataclass
class Choice:
    id: int
    label: str
    hint: str


def _count(data: FormData, kind: str) -> int:
    indices = [int(m[2]) for key in data if (m := _ROW_FIELD.match(key)) and m[1] == kind]
    return min(max(indices, default=-1) + 1, MAX_ROWS)


def from_form(data: FormData) -> Rows | None:
    """The rows as posted; None when the form has none (a script posting the text fields)."""
    if not any(_ROW_FIELD.match(key) for key in data):
        return None
    tables = [
        TableRow(
            id=str(data.get(f"groups-{i}-id") or ""),
            name=str(data.get(f"groups-{i}-name") or ""),
            facilitators=[str(v) for v in data.getlist(f"groups-{i}-facilitators")],
        )
        for i in range(_count(data, "groups"))
    ]
    roles = [
        RoleRow(
            name=str(data.get(f"roles-{i}-name") or ""),
            side=str(data.get(f"roles-{i}-side") or ""),
            expected=data.get(f"roles-{i}-expected") == "on",
        )
        for i in range(_count(data, "roles"))
    ]
    return Rows(tables=tables, roles=roles)


def from_event(session: Session, event: Event) -> Rows:
    facilitators = events.facilitators_by_group(session, event.id)
    tables = [
        TableRow(
            id=str(g.id),
            name=g.name,
            facilitators=[str(u.id) for u in facilitators.get(g.id or 0, [])],
        )
        for g in events.list_groups(session, event.id)
    ]
    roles = [RoleRow(r.name, r.side, r.expected) for r in attendance.list_roles(session, event.id)]
    return padded(Rows(tables=tables, roles=roles))


def blank() -> Rows:
    roles = [RoleRow(name, side) for name, side in DEFAULT_ROLES]
    return padded(Rows(tables=[TableRow(), TableRow()], roles=roles))


def padded(rows: Rows) -> Rows:
    """One blank row at the end of each list, to type a new table or role into."""
    if not rows.tables or rows.tables[-1].name or rows.tables[-1].facilitators:
        rows.tables.append(TableRow())
    if not rows.roles or rows.roles[-1].name or rows.roles[-1].side:
        rows.roles.append(RoleRow())
    return rows


def apply(rows: Rows, action: str) -> Rows:
    """Add a blank row, or remove one: `add-table`, `remove-table-2`, `add-role`, …"""
    kind, _, index = action.removeprefix("add-").removeprefix("remove-").partition("-")
    target: list[TableRow] | list[RoleRow] = rows.tables if kind == "table" else rows.roles
    if kind not in ("table", "role"):
        return rows
    if action.startswith("add-") and len(target) < MAX_ROWS:
        if kind == "table":
            rows.tables.append(TableRow())
        else:
            rows.roles.append(RoleRow())
        rows.focus = f"{'groups' if kind == 'table' else 'roles'}-{len(target) - 1}-name"
    elif action.startswith("remove-") and index.isdigit() and int(index) < len(target):
        del target[int(index)]
    return rows


def tables_to_specs(
    rows: list[TableRow], allowed: set[int], errors: dict[str, str]
) -> tuple[list[GroupSpec], list[int]]:
    """The filled rows as specs (blank rows skipped), and each spec's row number."""
    specs: list[GroupSpec] = []
    where: list[int] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        name = row.name.strip()
        if not name and not row.facilitators:
            continue
        ids = [int(f) for f in row.facilitators if f.isdigit()]
        if not name:
            errors[f"groups-{i}-name"] = "Give this table a name"
        elif len(name) > 100:
            errors[f"groups-{i}-name"] = "Keep a table's name to 100 characters"
        elif name.lower() in seen:
            errors[f"groups-{i}-name"] = f"There is already a table called {name}"
        if len(ids) != len(row.facilitators) or not set(ids) <= allowed:
            errors[f"groups-{i}-facilitators"] = "Choose facilitators from the list"
        seen.add(name.lower())
        table_id = int(row.id) if row.id.isdigit() else None
        specs.append(GroupSpec(name=name, facilitator_ids=ids, id=table_id))
        where.append(i)
    return specs, where


def roles_to_specs(rows: list[RoleRow], errors: dict[str, str]) -> list[RoleSpec]:
    specs: list[RoleSpec] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        name = row.name.strip()
        if not name and not row.side:
            continue
        if not name:
            errors[f"roles-{i}-name"] = "Give this role a name"
        elif len(name) > 60:
            errors[f"roles-{i}-name"] = "Keep a role's name to 60 characters"
        elif name.lower() in seen:
            errors[f"roles-{i}-name"] = f"{name} is listed twice"
        if row.side not in SIDES:
            errors[f"roles-{i}-side"] = f"Choose community or services for {name or 'this role'}"
        seen.add(name.lower())
        specs.append(RoleSpec(name=name, side=row.side, expected=row.expected))
    if not specs and not errors.keys() & {f"roles-{i}-name" for i in range(len(rows))}:
        errors["roles-0-name"] = "List at least one role"
    return specs


def service_field(field_name: str | None, where: list[int]) -> str | None:
    """A service's `groups.3.name` as the form's row field (blank rows are not specs)."""
    parts = (field_name or "").split(".")
    if parts[0] == "groups" and len(parts) == 3 and parts[1].isdigit():
        spec = int(parts[1])
        return f"groups-{where[spec]}-{parts[2]}" if spec < len(where) else "groups"
    if parts[0] == "groups":
        return "groups"
    return None


def facilitator_choices(
    session: Session, principal: Principal, event: Event | None
) -> list[Choice]:
    """Members of the organisations the organiser manages, and whoever already facilitates at
    this event (never an address the form made up)."""
    query = (
        select(User, Organisation.name)
        .join(Membership, col(Membership.user_id) == User.id)
        .join(Organisation, col(Organisation.id) == Membership.organisation_id)
        .where(col(Membership.organisation_id).in_(principal.managed_org_ids))
        .order_by(col(User.name), col(User.email))
    )
    choices: dict[int, Choice] = {}
    for user, org_name in session.exec(query).all():
        if user.id is not None and user.id not in choices:
            choices[user.id] = Choice(user.id, user.name or user.email, f"{user.email}, {org_name}")
    if event is not None:
        for users in events.facilitators_by_group(session, event.id).values():
            for user in users:
                if user.id is not None and user.id not in choices:
                    choices[user.id] = Choice(user.id, user.name or user.email, user.email)
    return list(choices.values())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def from_text(
    session: Session, raw: dict[str, str], errors: dict[str, str], staff_of: list[int]
) -> tuple[list[GroupSpec], list[RoleSpec], Rows]:
    """The older text fields, still taken from scripts: `groups`, one table per line
    (`Table 1 | facilitator@example.org, other@example.org`), and `roles`, one per line
    (`Councillor, services`, with `, not expected` to stop absence alerts).

    Only staff of `staff_of` (the caller's and the event's hosts) are looked up, so the form
    never tells whether an e-mail has an account elsewhere."""
    staff = select(Membership.user_id).where(col(Membership.organisation_id).in_(staff_of))
    groups = []
    for line in _lines(raw.get("groups", "")):
        name, _, emails = line.partition("|")
        ids = []
        for email in [e.strip().lower() for e in emails.split(",") if e.strip()]:
            user = session.exec(
                select(User).where(User.email == email, col(User.id).in_(staff))
            ).first()
            if user is None or user.id is None:
                errors["groups"] = f"No one in the hosting organisations has the e-mail {email}"
            else:
                ids.append(user.id)
        groups.append(GroupSpec(name=name.strip(), facilitator_ids=ids))
    roles = []
    for line in _lines(raw.get("roles", "")):
        parts = [p.strip() for p in line.split(",")]
        side = parts[1].lower() if len(parts) > 1 else ""
        if side not in SIDES:
            errors["roles"] = f"Say whether {parts[0]} is community or services"
            continue
        expected = not (len(parts) > 2 and parts[2].lower() == "not expected")
        roles.append(RoleSpec(name=parts[0], side=side, expected=expected))
    if not roles and "roles" not in errors:
        errors["roles"] = "List at least one role"
    tables = [
        TableRow(name=g.name, facilitators=[str(i) for i in g.facilitator_ids]) for g in groups
    ]
    rows = Rows(tables=tables, roles=[RoleRow(r.name, r.side, r.expected) for r in roles])
    return groups, roles, padded(rows)
