"""Invitations (how anything crosses organisations) and the mail outbox that carries their links."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.models.base import EnumText, utc_field


class InvitationKind(StrEnum):
    COHOST = "cohost"
    PROGRAMME = "programme"
    FACILITATOR = "facilitator"
    COHORT = "cohort"
    MEMBERSHIP = "membership"
    PARTICIPANT = "participant"


# Accepted by an owner or organiser of the invited organisation ("cohort": to partner in a
# mentoring cohort, named by its programme).
ORG_KINDS: tuple[InvitationKind, ...] = (
    InvitationKind.COHOST,
    InvitationKind.PROGRAMME,
    InvitationKind.FACILITATOR,
    InvitationKind.COHORT,
)
# Accepted by the invited person, through the one-time link sent to their e-mail.
PERSONAL_KINDS: tuple[InvitationKind, ...] = (
    InvitationKind.MEMBERSHIP,
    InvitationKind.PARTICIPANT,
)


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Invitation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: EnumText[InvitationKind] = Field(sa_type=String(20))
    status: EnumText[InvitationStatus] = Field(
        default=InvitationStatus.PENDING, sa_type=String(10), index=True
    )
    # The organisation that is asked (co-host, programme's owner, facilitator's organisation),
    # or, for a membership, the organisation the person is asked to join.
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    invited_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    event_id: int | None = Field(
        default=None, foreign_key="event.id", index=True, ondelete="CASCADE"
    )
    programme_id: int | None = Field(
        default=None, foreign_key="programme.id", index=True, ondelete="CASCADE"
    )
    group_id: int | None = Field(
        default=None, foreign_key="discussion_group.id", index=True, ondelete="CASCADE"
    )
    participant_id: int | None = Field(
        default=None, foreign_key="participant.id", index=True, ondelete="CASCADE"
    )
    # The facilitator named; for personal invitations, whoever accepted.
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="CASCADE")
    email: str = Field(default="", max_length=254)
    role: str = Field(default="", max_length=20)
    # Personal invitations: a SHA-256 of the one-time link's secret, never the secret itself.
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    expires_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)
    decided_at: datetime | None = utc_field(nullable=True)


class OutboxMail(SQLModel, table=True):
    """A message waiting for the mail server: written with what it announces, sent after."""

    __tablename__ = "outbox_mail"

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = utc_field(default_now=True)
    sent_at: datetime | None = utc_field(nullable=True, index=True)
