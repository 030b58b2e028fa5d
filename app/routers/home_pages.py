"""The front door: `/` and `/j` ask a resident for the code on the poster; staff start where
their role works tonight."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.dependencies import CurrentUser, MaybeUser, SessionDep
from app.services import events, landing
from app.services.errors import NotFound
from app.templating import render

router = APIRouter(include_in_schema=False)


def _join_form(request: Request, code: str = "", error: str = "", status: int = 200) -> Response:
    errors = {"code": error} if error else {}
    return render(request, "pages/join.html", {"code": code, "errors": errors}, status_code=status)


@router.get("/")
def home(request: Request, session: SessionDep, principal: MaybeUser) -> Response:
    """Residents type the join code here; signed-in staff go to their own starting page."""
    if principal is not None:
        return RedirectResponse(landing.landing_path(session, principal), status_code=303)
    return _join_form(request)


@router.get("/j")
def join_by_code(request: Request, session: SessionDep, code: str | None = None) -> Response:
    """The code as typed (any case, spaces ignored) leads to the meeting's page."""
    if code is None:
        return _join_form(request)
    cleaned = "".join(code.split()).upper()
    if not cleaned:
        return _join_form(request, code, "Enter the join code from the poster or the screen", 422)
    try:
        event = events.get_by_join_code(session, cleaned)
    except NotFound:
        message = f"No meeting has the code {cleaned[:20]}: check it against the poster"
        return _join_form(request, code, message, 404)
    return RedirectResponse(f"/j/{event.join_code}", status_code=303)


@router.get("/tonight")
def tonight(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    """A facilitator with several tables tonight chooses one."""
    tables = landing.tables_tonight(session, principal)
    return render(request, "pages/tonight.html", {"tables": tables})
