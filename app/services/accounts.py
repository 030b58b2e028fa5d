"""Organisations, users, memberships, sign-in with throttling, and API tokens."""

import re
from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.config import get_settings
from app.models import ApiToken, Membership, Organisation, User, utcnow
from app.models.accounts import ROLES
from app.services import staff_sessions
from app.services.access import Principal
from app.services.errors import Conflict, DomainError, NotFound
from app.services.login_throttle import throttle
from app.services.security import hash_password, new_token, token_digest, verify_password

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise DomainError("Enter an e-mail address like name@example.org", field="email")
    return email


def create_organisation(session: Session, *, name: str, slug: str) -> Organisation:
    name, slug = name.strip(), slug.strip().lower()
    if not name:
        raise DomainError("Enter the organisation's name", field="name")
    if not SLUG_RE.match(slug):
        raise DomainError("Use lower-case letters, digits and hyphens", field="slug")
    if session.exec(select(Organisation).where(Organisation.slug == slug)).first():
        raise Conflict(f"An organisation with the slug {slug!r} exists", field="slug")
    org = Organisation(name=name, slug=slug)
    session.add(org)
    session.flush()
    return org


def get_organisation_by_slug(session: Session, slug: str) -> Organisation:
    org = session.exec(select(Organisation).where(Organisation.slug == slug)).first()
    if org is None:
        raise NotFound(f"No organisation with the slug {slug!r}", field="org")
    return org


def set_password(session: Session, *, user: User, password: str) -> User:
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"Use at least {MIN_PASSWORD} characters", field="password")
    user.password_hash = hash_password(password)
    session.add(user)
    # Whoever knew the old password is signed out with it.
    staff_sessions.end_all(session, user=user)
    return user


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_user(session: Session, *, email: str, password: str, name: str = "") -> User:
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"Use at least {MIN_PASSWORD} characters", field="password")
    if get_user_by_email(session, email):
        raise Conflict(f"A user with the e-mail {email} exists", field="email")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def add_member(
    session: Session, *, user: User, organisation: Organisation, role: str
) -> Membership:
    if role not in ROLES:
        raise DomainError(f"Role must be one of {', '.join(ROLES)}", field="role")
    existing = session.exec(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    ).first()
    if existing:
        raise Conflict(f"{user.email} is already a member of {organisation.name}", field="email")
    assert user.id is not None and organisation.id is not None
    membership = Membership(user_id=user.id, organisation_id=organisation.id, role=role)
    session.add(membership)
    session.flush()
    return membership


def list_members(session: Session, organisation_id: int) -> list[tuple[Membership, User]]:
    rows = session.exec(
        select(Membership, User)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(col(User.email))
    )
    return list(rows.all())


def change_role(session: Session, *, membership: Membership, role: str) -> Membership:
    if role not in ROLES:
        raise DomainError(f"Role must be one of {', '.join(ROLES)}", field="role")
    if membership.role == "owner" and role != "owner":
        _keep_an_owner(session, membership)
    membership.role = role
    session.add(membership)
    session.flush()
    return membership


def remove_member(session: Session, *, membership: Membership) -> None:
    if membership.role == "owner":
        _keep_an_owner(session, membership)
    session.delete(membership)
    session.flush()


def _keep_an_owner(session: Session, membership: Membership) -> None:
    owners = session.exec(
        select(Membership).where(
            Membership.organisation_id == membership.organisation_id,
            Membership.role == "owner",
        )
    ).all()
    if len(owners) <= 1:
        raise Conflict("An organisation needs at least one owner", field="role")


def authenticate(session: Session, *, email: str, password: str, address: str | None) -> User:
    """Check a sign-in; wrong passwords slow further tries from the same client address."""
    settings = get_settings()
    window = settings.login_throttle_minutes
    throttle.check(address, window_minutes=window)
    user = get_user_by_email(session, email)
    # The password is checked even for an unknown e-mail, so the time taken tells nothing.
    known = verify_password(user.password_hash if user else None, password)
    if user is None or not user.is_active or not known:
        throttle.failed(address, free=settings.login_free_failures, window_minutes=window)
        raise DomainError("The e-mail or password is not right", field="email")
    return user


def create_token(session: Session, *, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its hash is stored."""
    assert user.id is not None
    secret = new_token()
    token = ApiToken(
        user_id=user.id, name=name.strip()[:100], token_hash=token_digest(secret), prefix=secret[:8]
    )
    session.add(token)
    session.flush()
    return token, secret


def user_for_token(session: Session, secret: str) -> User | None:
    token = session.exec(
        select(ApiToken).where(ApiToken.token_hash == token_digest(secret))
    ).first()
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    # Recorded to the minute: writing on every call would make each read a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        session.add(token)
    return user


def list_tokens(session: Session, user_ids: list[int]) -> list[tuple[ApiToken, User]]:
    rows = session.exec(
        select(ApiToken, User)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(col(ApiToken.user_id).in_(user_ids))
        .order_by(col(ApiToken.created_at).desc())
    )
    return list(rows.all())


def token_user_ids_visible_to(session: Session, principal: Principal) -> list[int]:
    """Your own tokens, and those of people who belong only to organisations you own.

    A token acts for every organisation its user belongs to, so a member who also belongs
    elsewhere keeps their tokens out of sight of any single organisation's owner.
    """
    owned = principal.owned_org_ids
    members = select(Membership.user_id).where(col(Membership.organisation_id).in_(owned))
    elsewhere = select(Membership.user_id).where(col(Membership.organisation_id).not_in(owned))
    ids = session.exec(
        select(User.id).where(col(User.id).in_(members), col(User.id).not_in(elsewhere))
    ).all()
    return sorted({i for i in ids if i is not None} | {principal.id})


def revoke_token(session: Session, *, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        session.flush()
    return token


def load_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    """A token the caller may revoke: one of `token_user_ids_visible_to`."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id not in token_user_ids_visible_to(session, principal):
        raise NotFound("No such token", field="token_id")
    return token


def list_organisations(session: Session) -> list[Organisation]:
    """Every organisation, by name: those one may name as co-host or choose from."""
    return list(session.exec(select(Organisation).order_by(col(Organisation.name))).all())


def organisations_among(
    session: Session, ids: Iterable[int], *, besides: int | None = None
) -> list[Organisation]:
    """The organisations with these ids (but `besides`), by name."""
    query = select(Organisation).where(col(Organisation.id).in_(list(ids)))
    if besides is not None:
        query = query.where(col(Organisation.id) != besides)
    return list(session.exec(query.order_by(col(Organisation.name))).all())


def user_of(session: Session, membership: Membership) -> User:
    return session.get_one(User, membership.user_id)
