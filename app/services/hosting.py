"""Who hosts an event: co-hosts, its programme and its tables' facilitators.

With a `principal`, whatever belongs to an organisation the caller doesn't manage becomes an
invitation that organisation accepts; without one (the demo, the command line, a cohort's own
sessions) it is taken as given.
"""

from sqlmodel import Session, col, select

from app.models import (
    Event,
    EventCohost,
    Group,
    GroupFacilitator,
    Membership,
    Organisation,
    Programme,
    User,
)
from app.models.base import id_of
from app.models.invitations import InvitationKind
from app.services import invitations
from app.services.access import Principal
from app.services.errors import DomainError


def set_programme(
    session: Session, *, event: Event, programme_id: int | None, principal: Principal | None
) -> None:
    """Attach the event to a programme of the caller's; another's is asked, not attached."""
    if programme_id is None or programme_id == event.programme_id:
        event.programme_id = programme_id
        return
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise DomainError("No such programme", field="programme_id")
    if principal is None or principal.can_manage_org(programme.organisation_id):
        event.programme_id = programme_id
        return
    if principal.user.id is None or event.id is None:
        return
    invitations.invite_organisation(
        session,
        kind=InvitationKind.PROGRAMME,
        organisation_id=programme.organisation_id,
        invited_by=principal.user,
        event_id=event.id,
        programme_id=programme_id,
    )


def cohost_ids(session: Session, event: Event) -> list[int]:
    return list(
        session.exec(
            select(EventCohost.organisation_id).where(EventCohost.event_id == event.id)
        ).all()
    )


def set_cohosts(
    session: Session,
    *,
    event: Event,
    organisation_ids: list[int],
    principal: Principal | None = None,
) -> None:
    """Make these the co-hosts: the caller's own at once, any other once it accepts."""
    wanted = {org for org in organisation_ids if org != event.organisation_id}
    for org_id in wanted:
        if session.get(Organisation, org_id) is None:
            raise DomainError(f"No organisation with id {org_id}", field="cohost_ids")
    existing = session.exec(select(EventCohost).where(EventCohost.event_id == event.id)).all()
    for row in existing:
        if row.organisation_id not in wanted:
            session.delete(row)
    asked = invitations.for_event(session, event.id)
    for invitation in asked:
        if invitation.kind == InvitationKind.COHOST and invitation.organisation_id not in wanted:
            session.delete(invitation)
    have = {row.organisation_id for row in existing}
    event_id = id_of(event)
    for org_id in sorted(wanted - have):
        if principal is None or principal.can_manage_org(org_id):
            session.add(EventCohost(event_id=event_id, organisation_id=org_id))
        else:
            invitations.invite_organisation(
                session,
                kind=InvitationKind.COHOST,
                organisation_id=org_id,
                invited_by=principal.user,
                event_id=event_id,
            )
    session.flush()


def _host_memberships(session: Session, event: Event, user_id: int) -> list[int]:
    hosts = {event.organisation_id, *cohost_ids(session, event)}
    return list(
        session.exec(
            select(Membership.organisation_id).where(
                Membership.user_id == user_id, col(Membership.organisation_id).in_(hosts)
            )
        ).all()
    )


def set_facilitators(
    session: Session,
    *,
    group: Group,
    user_ids: list[int],
    event: Event,
    principal: Principal | None = None,
) -> None:
    """Name a table's facilitators: the caller's own staff at once, a co-host's once it accepts."""
    orgs_of = {user_id: _host_memberships(session, event, user_id) for user_id in user_ids}
    for user_id, orgs in orgs_of.items():
        if not orgs:
            user = session.get(User, user_id)
            who = user.email if user is not None else "This facilitator"
            raise DomainError(
                f"{who} is not a member of the organisations hosting this event",
                field="groups.facilitator_ids",
            )
    existing = session.exec(
        select(GroupFacilitator).where(GroupFacilitator.group_id == group.id)
    ).all()
    for row in existing:
        if row.user_id not in user_ids:
            session.delete(row)
    have = {row.user_id for row in existing}
    group_id = id_of(group)
    for user_id in dict.fromkeys(user_ids):
        if user_id in have:
            continue
        orgs = orgs_of[user_id]
        if principal is None or any(principal.can_manage_org(o) for o in orgs):
            session.add(GroupFacilitator(group_id=group_id, user_id=user_id))
        else:
            invitations.invite_organisation(
                session,
                kind=InvitationKind.FACILITATOR,
                organisation_id=orgs[0],
                invited_by=principal.user,
                event_id=event.id,
                group_id=group_id,
                user_id=user_id,
            )
