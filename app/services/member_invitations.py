"""Inviting a person into an organisation: the one path by which anyone becomes a member."""

from sqlmodel import Session, select

from app.models import Invitation, Membership, User
from app.models.invitations import InvitationKind
from app.services import accounts, invitation_mail, invitations
from app.services.errors import Conflict


def invite(
    session: Session, *, organisation_id: int, email: str, role: str, invited_by: User
) -> tuple[Invitation, str | None]:
    """Invite by e-mail; returns the invitation and the link when it is not mailed."""
    email = accounts.normalise_email(email)
    # The owner sees their own members anyway, so saying so tells them nothing new.
    already = session.exec(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)  # type: ignore[arg-type]
        .where(Membership.organisation_id == organisation_id, User.email == email)
    ).first()
    if already is not None:
        raise Conflict(f"{email} is already a member", field="email")
    invitation, secret = invitations.invite_person(
        session,
        kind=InvitationKind.MEMBERSHIP,
        organisation_id=organisation_id,
        email=email,
        role=role,
        invited_by=invited_by,
    )
    return invitation, invitation_mail.send_or_show(session, invitation=invitation, secret=secret)
