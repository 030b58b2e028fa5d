"""JSON API for organisations, their members, and programmes."""

from fastapi import APIRouter, BackgroundTasks, Response

from app.config import get_settings
from app.db import get_write_engine
from app.dependencies import CurrentUser, SessionDep
from app.models import Membership, Programme, User
from app.schemas.common import ERROR_RESPONSES, Page, RowId
from app.schemas.events import (
    MemberIn,
    MemberOut,
    MemberUpdate,
    OrganisationOut,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammeUpdate,
)
from app.schemas.invitations import LinkOut, invitation_out
from app.schemas.paging import PageDep, fetch_page
from app.services import accounts, mail, member_invitations, programmes
from app.services.access import (
    load_membership,
    load_programme,
    require_can_create,
    require_org_role,
)

router = APIRouter(prefix="/api/v1", tags=["organisations"], responses=ERROR_RESPONSES)


def programme_out(p: Programme) -> ProgrammeOut:
    base = get_settings().public_base_url.rstrip("/")
    return ProgrammeOut(**p.model_dump(), public_url=f"{base}/p/{p.slug}")


def member_out(m: Membership, u: User) -> MemberOut:
    assert m.id is not None
    return MemberOut(
        id=m.id,
        user_id=m.user_id,
        email=u.email,
        name=u.name,
        role=m.role,
        organisation_id=m.organisation_id,
    )


@router.get("/organisations", response_model=list[OrganisationOut])
def my_organisations(session: SessionDep, principal: CurrentUser) -> list[OrganisationOut]:
    """The organisations you belong to, with your role in each."""
    orgs = accounts.organisations_among(session, principal.roles)
    return [
        OrganisationOut(id=o.id or 0, name=o.name, slug=o.slug, role=principal.roles[o.id or 0])
        for o in orgs
    ]


@router.get("/organisations/{organisation_id}/members", response_model=Page[MemberOut])
def list_members(
    organisation_id: RowId, session: SessionDep, principal: CurrentUser, paging: PageDep
) -> Page[MemberOut]:
    require_org_role(principal, organisation_id, "manage")
    members = accounts.list_members(session, organisation_id)
    window = members[paging.offset : paging.offset + paging.limit]
    return Page(
        items=[member_out(m, u) for m, u in window], total=len(members), **paging.model_dump()
    )


@router.post("/organisations/{organisation_id}/members", response_model=LinkOut, status_code=202)
def invite_member(
    organisation_id: RowId,
    body: MemberIn,
    session: SessionDep,
    principal: CurrentUser,
    background: BackgroundTasks,
) -> LinkOut:
    """Invite someone to join (owners only): they accept from a one-time link.

    The link is mailed when a mail server is configured, otherwise returned here, once. The
    answer is the same whether the e-mail has an account or not; a new member sets their own
    password.
    """
    require_org_role(principal, organisation_id, "own")
    invitation, link = member_invitations.invite(
        session,
        organisation_id=organisation_id,
        email=body.email,
        role=body.role,
        invited_by=principal.user,
    )
    if link is None:
        background.add_task(mail.deliver_pending, get_write_engine())
    return LinkOut(invitation=invitation_out(invitation), link=link, mailed=link is None)


@router.patch("/organisations/{organisation_id}/members/{membership_id}", response_model=MemberOut)
def change_member(
    organisation_id: RowId,
    membership_id: RowId,
    body: MemberUpdate,
    session: SessionDep,
    principal: CurrentUser,
) -> MemberOut:
    require_org_role(principal, organisation_id, "own")
    m = accounts.change_role(
        session, membership=load_membership(session, organisation_id, membership_id), role=body.role
    )
    return member_out(m, accounts.user_of(session, m))


@router.delete("/organisations/{organisation_id}/members/{membership_id}", status_code=204)
def remove_member(
    organisation_id: RowId, membership_id: RowId, session: SessionDep, principal: CurrentUser
) -> Response:
    require_org_role(principal, organisation_id, "own")
    accounts.remove_member(
        session, membership=load_membership(session, organisation_id, membership_id)
    )
    return Response(status_code=204)


@router.get("/programmes", response_model=Page[ProgrammeOut])
def list_programmes(
    session: SessionDep, principal: CurrentUser, paging: PageDep
) -> Page[ProgrammeOut]:
    query = programmes.programmes_query(list(principal.roles))
    rows, total = fetch_page(session, query, paging)
    return Page(items=[programme_out(p) for p in rows], total=total, **paging.model_dump())


@router.post("/programmes", response_model=ProgrammeOut, status_code=201)
def create_programme(
    body: ProgrammeIn, session: SessionDep, principal: CurrentUser
) -> ProgrammeOut:
    organisation_id = require_can_create(principal, body.organisation_id, what="programmes")
    p = programmes.create_programme(
        session,
        organisation_id=organisation_id,
        name=body.name,
        slug=body.slug,
        kind=body.kind,
        description=body.description,
    )
    return programme_out(p)


@router.get("/programmes/{programme_id}", response_model=ProgrammeOut)
def get_programme(programme_id: RowId, session: SessionDep, principal: CurrentUser) -> ProgrammeOut:
    return programme_out(load_programme(session, principal, programme_id))


@router.patch("/programmes/{programme_id}", response_model=ProgrammeOut)
def update_programme(
    programme_id: RowId, body: ProgrammeUpdate, session: SessionDep, principal: CurrentUser
) -> ProgrammeOut:
    p = load_programme(session, principal, programme_id)
    require_org_role(principal, p.organisation_id, "manage")
    return programme_out(programmes.update_programme(session, programme=p, **body.model_dump()))
