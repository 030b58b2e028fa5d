"""Factories for test data, and helpers to act as a signed-in user."""

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Event, Organisation, User
from app.services import accounts, events
from app.services.events import GroupSpec, QuestionSpec
from app.services.security import hash_password

PASSWORD = "correct horse battery"
# Hashed once: argon2 is slow on purpose, and tests create many users.
_PASSWORD_HASH = hash_password(PASSWORD)
_seq = itertools.count(1)


def org(session: Session, name: str | None = None) -> Organisation:
    n = next(_seq)
    return accounts.create_organisation(session, name=name or f"Org {n}", slug=f"org-{n}")


def user(
    session: Session, organisation: Organisation | None = None, role: str = "organiser"
) -> User:
    n = next(_seq)
    u = User(email=f"user{n}@example.org", name=f"User {n}", password_hash=_PASSWORD_HASH)
    session.add(u)
    session.flush()
    if organisation is not None:
        accounts.add_member(session, user=u, organisation=organisation, role=role)
    return u


def event(
    session: Session,
    organisation: Organisation,
    *,
    status: str = "draft",
    questions: int = 3,
    tables: int = 2,
    facilitators: dict[int, list[int]] | None = None,
    moderation: str = "post",
    title: str = "Community meeting",
) -> Event:
    """An event with questions and tables; `facilitators` maps table index to user ids."""
    assert organisation.id is not None
    starts = datetime(2027, 1, 14, 18, 30, tzinfo=UTC)
    e = events.create_event(
        session,
        organisation_id=organisation.id,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        moderation=moderation,
        questions=[QuestionSpec(text=f"Question {i + 1}?") for i in range(questions)],
        groups=[
            GroupSpec(name=f"Table {i + 1}", facilitator_ids=(facilitators or {}).get(i, []))
            for i in range(tables)
        ],
    )
    if status in ("open", "closed"):
        events.set_status(session, event=e, status="open")
    if status == "closed":
        events.set_status(session, event=e, status="closed")
    session.flush()
    return e


def token(session: Session, u: User) -> dict[str, str]:
    """Authorization headers for a new API token of this user."""
    _, secret = accounts.create_token(session, user=u, name="test")
    return {"Authorization": f"Bearer {secret}"}


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = CSRF_RE.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, u: User, password: str = PASSWORD) -> str:
    """Sign in through the login form; returns the session's CSRF token for later forms."""
    response = client.post(
        "/login",
        data={"email": u.email, "password": password, "csrf_token": csrf_from(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_from(client, "/events")


@dataclass
class World:
    """Two organisations, staff in every role, and an event with assigned facilitators."""

    org: Organisation
    other_org: Organisation
    owner: User
    organiser: User
    facilitator: User  # facilitates table 1 of `event`
    other_facilitator: User  # facilitates an event of the same organisation, not this one
    other_organiser: User  # organiser of the other organisation
    event: Event
    other_event: Event


def world(session: Session, status: str = "open") -> World:
    o, other = org(session), org(session)
    owner = user(session, o, "owner")
    organiser = user(session, o, "organiser")
    fac = user(session, o, "facilitator")
    other_fac = user(session, o, "facilitator")
    other_organiser = user(session, other, "organiser")
    e = event(session, o, status=status, facilitators={0: [fac.id or 0]})
    e2 = event(session, o, status=status, facilitators={0: [other_fac.id or 0]}, title="Another")
    return World(o, other, owner, organiser, fac, other_fac, other_organiser, e, e2)
