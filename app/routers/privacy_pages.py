"""The residents' privacy notice, and the owners' form for the contact it gives."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.dependencies import CurrentUser, SessionDep
from app.forms import FilledForm
from app.models import Organisation
from app.schemas.common import RowId
from app.services import events, privacy
from app.services.access import load_owned_organisation
from app.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/j/{code}/privacy")
def notice(request: Request, code: str, session: SessionDep) -> Response:
    """Who holds what a resident sends, what is kept, and whom to ask."""
    event = events.get_by_join_code(session, code)
    back = f"/j/{event.join_code}"
    table = request.query_params.get("t", "")
    if table.isdigit():
        back += f"/t/{table}"
    context = {
        "event": event,
        "controllers": privacy.controllers(session, event),
        "back": back,
        "public_page": privacy.public_page(session, event),
    }
    return render(request, "pages/privacy/notice.html", context)


def _owned(session: SessionDep, principal: CurrentUser, org_id: int) -> Organisation:
    return load_owned_organisation(session, principal, org_id)


@router.get("/orgs/{org_id}/contact")
def contact_form(
    request: Request, org_id: RowId, session: SessionDep, principal: CurrentUser
) -> Response:
    """The e-mail residents are given to ask about their data."""
    org = _owned(session, principal, org_id)
    context = {"org": org, "raw": {"contact_email": org.contact_email}, "errors": {}}
    return render(request, "pages/privacy/contact.html", context)


@router.post("/orgs/{org_id}/contact")
def save_contact(
    request: Request,
    org_id: RowId,
    session: SessionDep,
    principal: CurrentUser,
    contact_email: Annotated[str, Form()] = "",
) -> Response:
    org = _owned(session, principal, org_id)
    form = FilledForm(raw={"contact_email": contact_email})
    with form.attempt(session, "contact_email", rename=lambda _: "contact_email"):
        privacy.set_contact_email(session, organisation=org, email=contact_email)
    if not form.ok:
        context = {"org": org, "raw": form.raw, "errors": form.errors}
        return render(request, "pages/privacy/contact.html", context, status_code=422)
    return RedirectResponse(f"/orgs/{org_id}/contact?saved=1", status_code=303)
