"""Staff sign-in and sign-out pages."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.dependencies import SEEN_KEY, SESSION_KEY, SessionDep, verify_csrf
from app.services import accounts, landing, staff_sessions
from app.services.access import principal_for
from app.services.errors import DomainError
from app.services.login_throttle import SlowDown
from app.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never redirect a signed-in user to another host. Empty: the page
    # the person's role starts on.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return ""


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "pages/auth/login.html", {"next": _safe_next(next), "errors": {}})


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    address = request.client.host if request.client else None
    try:
        user = accounts.authenticate(session, email=email, password=password, address=address)
    except DomainError as exc:
        status = exc.status_code if exc.status_code == 429 else 400
        response = render(
            request,
            "pages/auth/login.html",
            {"next": _safe_next(next), "email": email, "errors": {"email": exc.message}},
            status_code=status,
        )
        if isinstance(exc, SlowDown):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    secret = staff_sessions.start(session, user=user)
    request.session.clear()
    request.session[SESSION_KEY] = secret
    request.session[SEEN_KEY] = staff_sessions.clock()
    target = _safe_next(next) or landing.landing_path(session, principal_for(session, user))
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, session: SessionDep) -> Response:
    """Sign out: the session ends on the server, so a copy of the cookie is worth nothing."""
    if secret := request.session.get(SESSION_KEY):
        staff_sessions.end(session, str(secret))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
