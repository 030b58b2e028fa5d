"""Invitations: nothing crosses organisations until the invited side accepts.

An organisation is asked (co-hosting an event, an event joining its programme, one of its staff
facilitating a table) and one of its owners or organisers accepts. A person is asked (joining an
organisation, being linked to a mentoring participant) through a one-time link sent to their
e-mail; only the holder of that link, signed in with that e-mail or setting the password of a new
account, accepts. Every answer is the same whether the e-mail has an account or not.
"""

import secrets
from datetime import timedelta

from sqlmodel import Session, col, select

from app.models import (
    Cohort,
    CohortOrganisation,
    Event,
    EventCohost,
    Group,
    GroupFacilitator,
    Invitation,
    Membership,
    Organisation,
    Participant,
    Programme,
    User,
    utcnow,
)
from app.models.accounts import Role
from app.models.base import id_of, is_value
from app.models.invitations import ORG_KINDS, InvitationKind, InvitationStatus
from app.services import accounts
from app.services.access import Principal
from app.services.errors import Conflict, DomainError, Forbidden, NotFound
from app.services.security import token_digest

LINK_DAYS = 7


def _pending(session: Session, **match: object) -> Invitation | None:
    query = select(Invitation).where(Invitation.status == InvitationStatus.PENDING)
    for name, value in match.items():
        query = query.where(getattr(Invitation, name) == value)
    return session.exec(query).first()


def invite_organisation(
    session: Session,
    *,
    kind: InvitationKind,
    organisation_id: int,
    invited_by: User,
    event_id: int | None = None,
    programme_id: int | None = None,
    group_id: int | None = None,
    user_id: int | None = None,
) -> Invitation:
    """Ask an organisation (once: a second identical request returns the first)."""
    assert kind in ORG_KINDS
    match = dict(kind=kind, organisation_id=organisation_id, event_id=event_id)
    match |= dict(programme_id=programme_id, group_id=group_id, user_id=user_id)
    invitation = _pending(session, **match)
    if invitation is None:
        invitation = Invitation(invited_by_id=invited_by.id, **match)  # type: ignore[arg-type]
        session.add(invitation)
        session.flush()
    return invitation


def invite_person(
    session: Session,
    *,
    kind: InvitationKind,
    organisation_id: int,
    email: str,
    invited_by: User | None,
    role: str = "",
    participant_id: int | None = None,
) -> tuple[Invitation, str]:
    """Ask a person by e-mail; returns the invitation and its one-time link's secret."""
    email = accounts.normalise_email(email)
    if kind == InvitationKind.MEMBERSHIP and not is_value(Role, role):
        raise DomainError(f"Role must be one of {', '.join(Role)}", field="role")
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(
        kind=kind,
        organisation_id=organisation_id,
        email=email,
        role=role,
        participant_id=participant_id,
        invited_by_id=invited_by.id if invited_by else None,
        token_hash=token_digest(secret),
        expires_at=utcnow() + timedelta(days=LINK_DAYS),
    )
    session.add(invitation)
    session.flush()
    return invitation, secret


def for_event(session: Session, event_id: int | None) -> list[Invitation]:
    """Invitations an event has sent that are still waiting."""
    return list(
        session.exec(
            select(Invitation)
            .where(Invitation.event_id == event_id, Invitation.status == InvitationStatus.PENDING)
            .order_by(col(Invitation.id))
        ).all()
    )


def for_principal(session: Session, principal: Principal) -> list[Invitation]:
    """What the caller's organisations are asked and may accept."""
    return list(
        session.exec(
            select(Invitation)
            .where(
                Invitation.status == InvitationStatus.PENDING,
                col(Invitation.kind).in_(ORG_KINDS),
                col(Invitation.organisation_id).in_(principal.managed_org_ids),
            )
            .order_by(col(Invitation.id))
        ).all()
    )


def describe(session: Session, invitation: Invitation) -> str:
    """One line saying what accepting does, naming only what the inviter chose to share."""
    event = session.get(Event, invitation.event_id) if invitation.event_id else None
    host = session.get(Organisation, event.organisation_id) if event else None
    org = session.get(Organisation, invitation.organisation_id)
    about = f"“{event.title}” ({host.name if host else ''})" if event else ""
    org_name = org.name if org else ""
    if invitation.kind == InvitationKind.COHOST:
        return f"{org_name} is asked to co-host {about}"
    if invitation.kind == InvitationKind.PROGRAMME:
        programme = session.get(Programme, invitation.programme_id)
        return f"{about} asks to join the programme “{programme.name if programme else ''}”"
    if invitation.kind == InvitationKind.FACILITATOR:
        user = session.get(User, invitation.user_id)
        group = session.get(Group, invitation.group_id)
        who = user.email if user else ""
        return (
            f"{who} of {org_name} is asked to facilitate {group.name if group else ''} at {about}"
        )
    if invitation.kind == InvitationKind.COHORT:
        programme = session.get(Programme, invitation.programme_id)
        lead = session.get(Organisation, programme.organisation_id) if programme else None
        name, by = (programme.name if programme else ""), (lead.name if lead else "")
        return f"{org_name} is asked to partner in the mentoring cohort “{name}” of {by}"
    if invitation.kind == InvitationKind.MEMBERSHIP:
        return f"Join {org_name} as {invitation.role}"
    participant = session.get(Participant, invitation.participant_id)
    name = participant.name if participant else ""
    return f"Take part in a mentoring cohort of {org_name} as {name}"


def get_for_principal(session: Session, principal: Principal, invitation_id: int) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.kind not in ORG_KINDS
        or not principal.can_manage_org(invitation.organisation_id)
    ):
        raise NotFound("No such invitation", field="invitation_id")
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(f"This invitation was {invitation.status}", field="invitation_id")
    return invitation


def _apply_org(session: Session, invitation: Invitation) -> None:
    if invitation.kind == InvitationKind.COHORT:
        cohort = session.exec(
            select(Cohort).where(Cohort.programme_id == invitation.programme_id)
        ).first()
        if cohort is None or cohort.id is None:
            raise NotFound("The cohort is gone", field="invitation_id")
        session.add(
            CohortOrganisation(cohort_id=cohort.id, organisation_id=invitation.organisation_id)
        )
        return
    event = session.get(Event, invitation.event_id)
    if event is None:
        raise NotFound("The event is gone", field="invitation_id")
    if invitation.kind == InvitationKind.COHOST:
        if not session.exec(
            select(EventCohost).where(
                EventCohost.event_id == event.id,
                EventCohost.organisation_id == invitation.organisation_id,
            )
        ).first():
            session.add(
                EventCohost(event_id=id_of(event), organisation_id=invitation.organisation_id)
            )
    elif invitation.kind == InvitationKind.PROGRAMME:
        event.programme_id = invitation.programme_id
        session.add(event)
    elif invitation.kind == InvitationKind.FACILITATOR:
        member = session.exec(
            select(Membership).where(
                Membership.user_id == invitation.user_id,
                Membership.organisation_id == invitation.organisation_id,
            )
        ).first()
        if member is None:
            raise Conflict("They are no longer a member of your organisation", "invitation_id")
        if not session.exec(
            select(GroupFacilitator).where(
                GroupFacilitator.group_id == invitation.group_id,
                GroupFacilitator.user_id == invitation.user_id,
            )
        ).first():
            session.add(GroupFacilitator(group_id=invitation.group_id or 0, user_id=member.user_id))


def decide(session: Session, *, invitation: Invitation, accept: bool, user: User) -> Invitation:
    """Accept (its effect happens now) or decline an invitation already checked for the caller."""
    if invitation.kind not in ORG_KINDS:
        check_addressee(invitation, user)
    if accept:
        if invitation.kind in ORG_KINDS:
            _apply_org(session, invitation)
        else:
            _apply_personal(session, invitation, user)
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.decided_at = utcnow()
    if invitation.kind not in ORG_KINDS:
        invitation.user_id = user.id
        invitation.token_hash = None  # one use only
    session.add(invitation)
    session.flush()
    return invitation


def by_token(session: Session, secret: str) -> Invitation:
    """The pending, unexpired invitation a one-time link stands for."""
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == token_digest(secret))
    ).first()
    expires = invitation.expires_at if invitation else None
    if invitation is None or invitation.status != InvitationStatus.PENDING or expires is None:
        raise NotFound("This link is not valid: it was used, withdrawn or mistyped", "token")
    if expires < utcnow():
        raise NotFound("This link has expired: ask for a new invitation", field="token")
    return invitation


def check_addressee(invitation: Invitation, user: User) -> None:
    if user.email.lower() != invitation.email.lower():
        raise Forbidden(
            f"This invitation is for {invitation.email}: sign in with that address", "email"
        )


def _apply_personal(session: Session, invitation: Invitation, user: User) -> None:
    if invitation.kind == InvitationKind.MEMBERSHIP:
        org = session.get(Organisation, invitation.organisation_id)
        assert org is not None
        already = session.exec(
            select(Membership).where(
                Membership.user_id == user.id, Membership.organisation_id == org.id
            )
        ).first()
        if already is None:
            accounts.add_member(session, user=user, organisation=org, role=invitation.role)
        return
    participant = session.get(Participant, invitation.participant_id)
    if participant is None:
        raise NotFound("The mentoring participant is gone", field="token")
    participant.user_id = user.id
    session.add(participant)


def accept_as_new_account(
    session: Session, *, invitation: Invitation, password: str, name: str = ""
) -> User:
    """Create the invited person's account with the password they choose, and accept."""
    if accounts.get_user_by_email(session, invitation.email) is not None:
        raise Conflict("Sign in with your account first, then open the link again", "password")
    user = accounts.create_user(session, email=invitation.email, password=password, name=name)
    decide(session, invitation=invitation, accept=True, user=user)
    return user
