"""API shapes for invitations."""

from datetime import datetime

from pydantic import BaseModel

from app.models import Invitation
from app.models.invitations import InvitationKind, InvitationStatus


class InvitationOut(BaseModel):
    id: int
    kind: InvitationKind
    status: InvitationStatus
    organisation_id: int
    event_id: int | None
    programme_id: int | None
    group_id: int | None
    user_id: int | None
    email: str
    role: str
    created_at: datetime
    description: str = ""


class LinkOut(BaseModel):
    """A personal invitation sent: the link is here only when no mail server is configured."""

    invitation: InvitationOut
    link: str | None = None
    mailed: bool


class TokenIn(BaseModel):
    token: str


PRIVATE = {"token_hash", "expires_at", "decided_at", "invited_by_id"}


def invitation_out(invitation: Invitation, description: str = "") -> InvitationOut:
    return InvitationOut(
        **invitation.model_dump(
            exclude={"token_hash", "expires_at", "decided_at", "invited_by_id"}
        ),
        description=description,
    )
