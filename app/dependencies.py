"""Annotated dependencies: the database session, the caller, and events and cohorts loaded
for the caller.

Every permission check on an event goes through `load_event`, and on a cohort through
`load_cohort`, once, here.
"""

import hmac
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.boundary import CSRF_FIELD, RESIDENT_PREFIXES
from app.config import get_settings
from app.db import get_session
from app.models import Comment, Group, PanelQuestion, User
from app.models.base import id_of
from app.schemas.common import RowId
from app.services import accounts, staff_sessions
from app.services.access import (
    CohortAccess,
    EventAccess,
    Principal,
    load_cohort,
    load_comment,
    load_event,
    load_panel_question,
    load_table,
    principal_for,
)
from app.services.errors import DomainError, Forbidden, NotAuthenticated
from app.services.plain_text import field_with_control_characters

# Commit before the response is sent: anything acknowledged is on disk.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_HEADER = "x-csrf-token"
# The session cookie names a server-side session, and when it was last used.
SESSION_KEY = "sid"
SEEN_KEY = "seen"


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
    if _bearer(request) is None and request.session.get(SESSION_KEY):
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
    elif token is None:
        user = _session_user(request, session)
    if user is None:
        raise NotAuthenticated("Sign in, or send a valid bearer token")
    principal = principal_for(session, user)
    request.state.principal = principal
    return principal


def sign_in(request: Request, session: Session, user: User) -> None:
    """Start a server-side session for `user` and put its secret in a fresh cookie."""
    secret = staff_sessions.start(session, user=user)
    request.session.clear()
    request.session[SESSION_KEY] = secret
    request.session[SEEN_KEY] = staff_sessions.clock()


def _session_user(request: Request, session: Session) -> User | None:
    """The user of the cookie's session while it lasts; an ended or idle one is forgotten."""
    secret = request.session.get(SESSION_KEY)
    if not secret:
        return None
    idle = get_settings().session_idle_minutes
    fresh = staff_sessions.still_fresh(request.session.get(SEEN_KEY), idle_minutes=idle)
    user = staff_sessions.user_for(session, str(secret)) if fresh else None
    if user is None:
        request.session.pop(SESSION_KEY, None)
        request.session.pop(SEEN_KEY, None)
        return None
    request.session[SEEN_KEY] = staff_sessions.clock()
    return user


CurrentUser = Annotated[Principal, Depends(current_principal)]


def event_for_viewer(event_id: RowId, session: SessionDep, principal: CurrentUser) -> EventAccess:
    return load_event(session, principal, event_id, "view")


def event_for_manager(event_id: RowId, session: SessionDep, principal: CurrentUser) -> EventAccess:
    return load_event(session, principal, event_id, "manage")


EventDep = Annotated[EventAccess, Depends(event_for_viewer)]
ManagedEventDep = Annotated[EventAccess, Depends(event_for_manager)]


def cohort_for_viewer(
    cohort_id: RowId, session: SessionDep, principal: CurrentUser
) -> CohortAccess:
    return load_cohort(session, principal, cohort_id, "view")


def cohort_for_manager(
    cohort_id: RowId, session: SessionDep, principal: CurrentUser
) -> CohortAccess:
    return load_cohort(session, principal, cohort_id, "manage")


# 404 when the cohort is not the caller's; 403 when they may see but not manage it.
CohortDep = Annotated[CohortAccess, Depends(cohort_for_viewer)]
ManagedCohortDep = Annotated[CohortAccess, Depends(cohort_for_manager)]


def table_of_event(group_id: RowId, access: EventDep, session: SessionDep) -> Group:
    return load_table(session, access, group_id)


def comment_in_event(
    comment_id: RowId, access: EventDep, session: SessionDep
) -> tuple[Comment, EventAccess]:
    return load_comment(session, access.principal, comment_id, in_event=id_of(access.event))


def comment_anywhere(
    comment_id: RowId, session: SessionDep, principal: CurrentUser
) -> tuple[Comment, EventAccess]:
    return load_comment(session, principal, comment_id)


def panel_question_in_event(
    question_id: RowId, access: EventDep, session: SessionDep
) -> tuple[PanelQuestion, EventAccess]:
    return load_panel_question(session, access.principal, question_id, in_event=id_of(access.event))


def panel_question_anywhere(
    question_id: RowId, session: SessionDep, principal: CurrentUser
) -> tuple[PanelQuestion, EventAccess]:
    return load_panel_question(session, principal, question_id)


# Below an event: 404 when it is not in the event (or not the caller's to see), 403 when the
# caller may see but not act on it (another facilitator's table; organisers only).
TableDep = Annotated[Group, Depends(table_of_event)]
EventCommentDep = Annotated[tuple[Comment, EventAccess], Depends(comment_in_event)]
CommentDep = Annotated[tuple[Comment, EventAccess], Depends(comment_anywhere)]
EventPanelQuestionDep = Annotated[
    tuple[PanelQuestion, EventAccess], Depends(panel_question_in_event)
]
PanelQuestionDep = Annotated[tuple[PanelQuestion, EventAccess], Depends(panel_question_anywhere)]


def signed_in(request: Request, session: SessionDep) -> Principal | None:
    """The signed-in staff member from the session cookie, or None: for pages anyone may open."""
    user = _session_user(request, session)
    if user is None:
        return None
    principal = principal_for(session, user)
    request.state.principal = principal
    return principal


MaybeUser = Annotated[Principal | None, Depends(signed_in)]


async def refuse_control_characters(request: Request) -> None:
    """Refuse a staff form or JSON body with a control character in any of its texts (422,
    naming the field); residents' texts are checked, more strictly, as they are cleaned."""
    if request.method in SAFE_METHODS or request.url.path.startswith(RESIDENT_PREFIXES):
        return
    content_type = request.headers.get("content-type", "")
    data: object
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        data = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    elif "json" in content_type:
        try:
            data = await request.json()
        except ValueError:
            return  # not JSON: answered as such by the route's own parsing
    else:
        return
    if field := field_with_control_characters(data):
        raise DomainError(
            f"{field}: remove the control characters (invisible codes such as U+0000)", field
        )
