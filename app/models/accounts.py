"""Organisations, staff users, memberships and API tokens."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import EnumText, utc_field


class Role(StrEnum):
    """A member's role in an organisation."""

    OWNER = "owner"
    ORGANISER = "organiser"
    FACILITATOR = "facilitator"


MANAGING_ROLES: tuple[Role, ...] = (Role.OWNER, Role.ORGANISER)


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=80, unique=True)
    # Where residents write about their data: the privacy notice names it for every host.
    contact_email: str = Field(default="", max_length=254)
    created_at: datetime = utc_field(default_now=True)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    # No longer used (sign-ins are slowed per address, never locked per account); kept
    # because dropping a column means rebuilding this table on SQLite.
    failed_logins: int = 0
    locked_until: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    role: EnumText[Role] = Field(sa_type=String(20))
    created_at: datetime = utc_field(default_now=True)


class ApiToken(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=100)
    # Only a SHA-256 of the token is kept; the token itself is shown once.
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)
    created_at: datetime = utc_field(default_now=True)
    last_used_at: datetime | None = utc_field(nullable=True)
    revoked_at: datetime | None = utc_field(nullable=True)


class StaffSession(SQLModel, table=True):
    """A signed-in browser: signing out, or a new password, deletes it, and its cookie with it."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    # The cookie holds the secret; only its SHA-256 is kept, as for API tokens.
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = utc_field(default_now=True)
