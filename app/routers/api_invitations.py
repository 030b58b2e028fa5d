"""JSON API for invitations: what your organisations are asked, and accepting a personal link."""

from fastapi import APIRouter
from sqlmodel import Session

from app.dependencies import CurrentUser, SessionDep
from app.schemas.common import ERROR_RESPONSES, RowId
from app.schemas.invitations import InvitationOut, TokenIn, invitation_out
from app.services import invitations
from app.services.access import Principal

router = APIRouter(prefix="/api/v1", tags=["invitations"], responses=ERROR_RESPONSES)


@router.get("/invitations", response_model=list[InvitationOut])
def list_invitations(session: SessionDep, principal: CurrentUser) -> list[InvitationOut]:
    """Invitations waiting for an owner or organiser of your organisations."""
    return [
        invitation_out(i, invitations.describe(session, i))
        for i in invitations.for_principal(session, principal)
    ]


def _decide(
    session: Session, principal: Principal, invitation_id: int, accept: bool
) -> InvitationOut:
    invitation = invitations.get_for_principal(session, principal, invitation_id)
    invitations.decide(session, invitation=invitation, accept=accept, user=principal.user)
    return invitation_out(invitation, invitations.describe(session, invitation))


@router.post("/invitations/link/accept", response_model=InvitationOut)
def accept_link(body: TokenIn, session: SessionDep, principal: CurrentUser) -> InvitationOut:
    """Accept a personal invitation (membership, mentoring participant) sent to your e-mail."""
    invitation = invitations.by_token(session, body.token)
    invitations.decide(session, invitation=invitation, accept=True, user=principal.user)
    return invitation_out(invitation, invitations.describe(session, invitation))


@router.post("/invitations/link/decline", response_model=InvitationOut)
def decline_link(body: TokenIn, session: SessionDep, principal: CurrentUser) -> InvitationOut:
    invitation = invitations.by_token(session, body.token)
    invitations.decide(session, invitation=invitation, accept=False, user=principal.user)
    return invitation_out(invitation, invitations.describe(session, invitation))


@router.post("/invitations/{invitation_id}/accept", response_model=InvitationOut)
def accept(invitation_id: RowId, session: SessionDep, principal: CurrentUser) -> InvitationOut:
    """Accept: the co-hosting, programme or facilitator takes effect now."""
    return _decide(session, principal, invitation_id, True)


@router.post("/invitations/{invitation_id}/decline", response_model=InvitationOut)
def decline(invitation_id: RowId, session: SessionDep, principal: CurrentUser) -> InvitationOut:
    return _decide(session, principal, invitation_id, False)
