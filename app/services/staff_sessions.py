"""Staff sign-in sessions kept on the server: the cookie names a row, and without the row the
cookie is worth nothing (signed out, password changed, or too old)."""

import time
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.models import StaffSession, User, utcnow
from app.models.base import id_of
from app.services.security import new_token, token_digest

MAX_AGE = timedelta(hours=12)


def start(session: Session, *, user: User) -> str:
    """A new session for this user; the secret for the cookie is returned once."""
    now = utcnow()
    # Sessions past their age are deleted as new ones begin, so the table stays small.
    session.execute(delete(StaffSession).where(col(StaffSession.created_at) < now - MAX_AGE))
    secret = new_token()
    session.add(StaffSession(user_id=id_of(user), token_hash=token_digest(secret), created_at=now))
    session.flush()
    return secret


def user_for(session: Session, secret: str) -> User | None:
    """The active user a session secret belongs to, while the session lasts."""
    row = session.exec(
        select(StaffSession).where(StaffSession.token_hash == token_digest(secret))
    ).first()
    if row is None or row.created_at < utcnow() - MAX_AGE:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def end(session: Session, secret: str) -> None:
    digest = token_digest(secret)
    session.execute(delete(StaffSession).where(col(StaffSession.token_hash) == digest))
    session.flush()


def end_all(session: Session, *, user: User) -> None:
    """Sign the user out everywhere (a new password, a deactivated account)."""
    session.execute(delete(StaffSession).where(col(StaffSession.user_id) == user.id))
    session.flush()


def clock() -> int:
    return int(time.time())


def still_fresh(seen: object, *, idle_minutes: int) -> bool:
    """Whether a session last used at `seen` (seconds, from the signed cookie) is not idle."""
    # No lower bound: hosts behind one proxy may disagree by a second or two.
    return isinstance(seen, int) and clock() - seen <= idle_minutes * 60
