"""Annotated dependencies: the database session, the caller, and events loaded for the caller.

Every permission check on an event goes through `load_event`, once, here.
"""

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.db import get_session
from app.models import User
from app.schemas.common import RowId
from app.services import accounts
from app.services.access import EventAccess, Principal, load_event, principal_for
from app.services.errors import Forbidden, NotAuthenticated

# Commit before the response is sent: anything acknowledged is on disk.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def verify_csrf(request: Request) -> None:
    """Refuse a form post unless it carries the session's token (also used before sign-in)."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and "form" in request.headers.get("content-type", ""):
        supplied = str((await request.form()).get(CSRF_FIELD) or "")
    if not expected or not supplied or not hmac.compare_digest(str(expected), supplied):
        raise Forbidden("The form has expired: reload the page and try again", field=CSRF_FIELD)


async def check_csrf(request: Request) -> None:
    """Refuse a state change made with the session cookie unless it carries the session's token.

    Bearer-token calls carry no ambient credential, so they need no token; a caller with
    neither is refused as unauthenticated by `current_principal`.
    """
    if _bearer(request) is None and request.session.get("user_id"):
        await verify_csrf(request)


CsrfChecked = Annotated[None, Depends(check_csrf)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def current_principal(request: Request, session: SessionDep, _csrf: CsrfChecked) -> Principal:
    """The signed-in staff member, from a bearer token or the session cookie."""
    token = _bearer(request)
    user: User | None = None
    if token:
        user = accounts.user_for_token(session, token)
    elif token is None and (user_id := request.session.get("user_id")):
        user = session.get(User, user_id)
        if user is not None and not user.is_active:
            user = None
    if user is None:
        raise NotAuthenticated("Sign in, or send a valid bearer token")
    principal = principal_for(session, user)
    request.state.principal = principal
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def event_for_viewer(event_id: RowId, session: SessionDep, principal: CurrentUser) -> EventAccess:
    return load_event(session, principal, event_id, "view")


def event_for_manager(event_id: RowId, session: SessionDep, principal: CurrentUser) -> EventAccess:
    return load_event(session, principal, event_id, "manage")


EventDep = Annotated[EventAccess, Depends(event_for_viewer)]
ManagedEventDep = Annotated[EventAccess, Depends(event_for_manager)]


def signed_in(request: Request, session: SessionDep) -> Principal | None:
    """The signed-in staff member from the session cookie, or None: for pages anyone may open."""
    user_id = request.session.get("user_id")
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.is_active:
        return None
    principal = principal_for(session, user)
    request.state.principal = principal
    return principal


MaybeUser = Annotated[Principal | None, Depends(signed_in)]
