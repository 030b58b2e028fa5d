"""Owners' pages: members of an organisation and API tokens."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.db import get_write_engine
from app.dependencies import CurrentUser, SessionDep
from app.forms import FilledForm
from app.models import Organisation
from app.models.accounts import ROLES
from app.schemas.common import RowId
from app.services import accounts, mail, member_invitations
from app.services.access import (
    Principal,
    load_membership,
    load_owned_organisation,
    require_token_owner,
)
from app.templating import render

router = APIRouter(include_in_schema=False)


def _members_page(
    request: Request,
    session: Session,
    org: Organisation,
    *,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    invited: tuple[str, str | None] | None = None,
    status_code: int = 200,
) -> Response:
    assert org.id is not None
    return render(
        request,
        "pages/admin/members.html",
        {
            "org": org,
            "members": accounts.list_members(session, org.id),
            "roles": ROLES,
            "errors": errors or {},
            "raw": raw or {},
            "invited": invited,
            "other_orgs": accounts.organisations_among(
                session, request.state.principal.owned_org_ids, besides=org.id
            ),
        },
        status_code=status_code,
    )


def _owned_org(session: Session, principal: Principal, org_id: int) -> Organisation:
    return load_owned_organisation(session, principal, org_id)


@router.get("/orgs/{org_id}/members")
def members(
    org_id: RowId, request: Request, session: SessionDep, principal: CurrentUser
) -> Response:
    return _members_page(request, session, _owned_org(session, principal, org_id))


@router.post("/orgs/{org_id}/members")
def add_member(
    org_id: RowId,
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "facilitator",
    background: BackgroundTasks = BackgroundTasks(),
) -> Response:
    """Invite someone; they join when they accept from the link (mailed, or shown here once)."""
    org = _owned_org(session, principal, org_id)
    form = FilledForm(raw={"email": email, "name": name, "role": role})
    with form.attempt(session, "email"):
        invitation, link = member_invitations.invite(
            session, organisation_id=org_id, email=email, role=role, invited_by=principal.user
        )
    if not form.ok:
        return _members_page(
            request, session, org, errors=form.errors, raw=form.raw, status_code=422
        )
    if link is None:
        background.add_task(mail.deliver_pending, get_write_engine())
    return _members_page(request, session, org, invited=(invitation.email, link))


def _role(_field: str | None) -> str:
    return "role"  # a member's row shows one message, by the role


@router.post("/orgs/{org_id}/members/{membership_id}/role")
def change_role(
    org_id: RowId,
    membership_id: RowId,
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    role: Annotated[str, Form()] = "",
) -> Response:
    org = _owned_org(session, principal, org_id)
    form = FilledForm()
    with form.attempt(session, "role", rename=_role):
        accounts.change_role(
            session, membership=load_membership(session, org_id, membership_id), role=role
        )
    if not form.ok:
        return _members_page(request, session, org, errors=form.errors, status_code=422)
    return RedirectResponse(f"/orgs/{org_id}/members", status_code=303)


@router.post("/orgs/{org_id}/members/{membership_id}/remove")
def remove_member(
    org_id: RowId,
    membership_id: RowId,
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
) -> Response:
    org = _owned_org(session, principal, org_id)
    form = FilledForm()
    with form.attempt(session, "role", rename=_role):
        accounts.remove_member(session, membership=load_membership(session, org_id, membership_id))
    if not form.ok:
        return _members_page(request, session, org, errors=form.errors, status_code=422)
    return RedirectResponse(f"/orgs/{org_id}/members", status_code=303)


def _visible_token_user_ids(session: Session, principal: Principal) -> list[int]:
    return accounts.token_user_ids_visible_to(session, principal)


def _tokens_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    secret: str | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "pages/admin/tokens.html",
        {
            "tokens": accounts.list_tokens(session, _visible_token_user_ids(session, principal)),
            "secret": secret,
            "can_create": bool(principal.owned_org_ids),
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/tokens")
def tokens(request: Request, session: SessionDep, principal: CurrentUser) -> Response:
    """Owners manage API tokens (SPEC §1); anyone else is refused on a page that says so."""
    require_token_owner(principal)
    return _tokens_page(request, session, principal)


@router.post("/tokens")
def create_token(
    request: Request,
    session: SessionDep,
    principal: CurrentUser,
    name: Annotated[str, Form()] = "",
) -> Response:
    require_token_owner(principal)
    if not name.strip():
        return _tokens_page(
            request, session, principal, errors={"name": "Name the token"}, status_code=422
        )
    _, secret = accounts.create_token(session, user=principal.user, name=name)
    return _tokens_page(request, session, principal, secret=secret)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(token_id: RowId, session: SessionDep, principal: CurrentUser) -> Response:
    accounts.revoke_token(session, token=accounts.load_token(session, principal, token_id))
    return RedirectResponse("/tokens", status_code=303)
