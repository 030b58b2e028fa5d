"""Pages for invitations: what your organisations are asked, and a personal one-time link."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import CurrentUser, SessionDep, current_principal, sign_in, verify_csrf
from app.forms import FilledForm
from app.models import Invitation
from app.schemas.common import RowId
from app.services import invitations
from app.services.access import Principal
from app.services.errors import NotAuthenticated
from app.templating import render

router = APIRouter(include_in_schema=False)


def optional_principal(request: Request, session: SessionDep) -> Principal | None:
    try:
        return current_principal(request, session, None)
    except NotAuthenticated:
        return None


MaybeUser = Annotated[Principal | None, Depends(optional_principal)]


@router.get("/invitations")
def my_invitations(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    pending = invitations.for_principal(session, principal)
    return render(
        request,
        "pages/invitations/list.html",
        {"invitations": [(i, invitations.describe(session, i)) for i in pending]},
    )


def _link_page(
    request: Request,
    session: Session,
    invitation: Invitation,
    token: str,
    principal: Principal | None,
    *,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "pages/invitations/link.html",
        {
            "invitation": invitation,
            "what": invitations.describe(session, invitation),
            "token": token,
            "principal": principal,
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/invitations/t/{token}")
def link_page(token: str, request: Request, session: SessionDep, principal: MaybeUser) -> Response:
    invitation = invitations.by_token(session, token)
    return _link_page(request, session, invitation, token, principal)


@router.post("/invitations/t/{token}", dependencies=[Depends(verify_csrf)])
def answer_link(
    token: str,
    request: Request,
    session: SessionDep,
    principal: MaybeUser,
    decision: Annotated[str, Form()] = "accept",
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    invitation = invitations.by_token(session, token)
    form = FilledForm(raw={"name": name})
    with form.attempt(session, "password"):
        if principal is not None:
            invitations.decide(
                session, invitation=invitation, accept=decision == "accept", user=principal.user
            )
        else:
            user = invitations.accept_as_new_account(
                session, invitation=invitation, password=password, name=name
            )
            sign_in(request, session, user)
    if not form.ok:
        return _link_page(
            request,
            session,
            invitations.by_token(session, token),
            token,
            principal,
            errors=form.errors,
            status_code=form.status_code,
        )
    return RedirectResponse("/events", status_code=303)


# After the link routes: "/invitations/t/…" is never taken for an invitation id.
def _decide(session: Session, principal: Principal, invitation_id: int, accept: bool) -> Response:
    invitation = invitations.get_for_principal(session, principal, invitation_id)
    invitations.decide(session, invitation=invitation, accept=accept, user=principal.user)
    return RedirectResponse(
        "/invitations?done=" + ("accept" if accept else "decline"), status_code=303
    )


@router.post("/invitations/{invitation_id}/accept")
def accept(invitation_id: RowId, session: SessionDep, principal: CurrentUser) -> Response:
    return _decide(session, principal, invitation_id, True)


@router.post("/invitations/{invitation_id}/decline")
def decline(invitation_id: RowId, session: SessionDep, principal: CurrentUser) -> Response:
    return _decide(session, principal, invitation_id, False)
