"""Who may see and do what: the one place that scopes queries and loads events for a caller.

Organisers and owners manage every event hosted or co-hosted by their organisations;
facilitators see and act on the events whose tables they are assigned to. An event the caller
may not see answers 404, so its existence is not disclosed; one they may see but not manage
answers 403. Mentoring cohorts the same way: organisers and owners of a participating
organisation manage a cohort; a participant linked to the caller sees it (and only their own
pair); anyone else gets 404.
"""

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from app.models import (
    Cohort,
    CohortOrganisation,
    Comment,
    Event,
    EventCohost,
    Group,
    GroupFacilitator,
    Membership,
    Organisation,
    PanelQuestion,
    Participant,
    Programme,
    User,
)
from app.models.accounts import MANAGING_ROLES, Role
from app.models.base import id_of
from app.services.errors import Forbidden, NotFound

Need = Literal["view", "manage"]


@dataclass
class Principal:
    user: User
    # Taken while the session is open: an error page is rendered after it has closed, and
    # must not load anything from the user then.
    email: str
    roles: dict[int, Role] = field(default_factory=dict)  # organisation id -> role

    @property
    def id(self) -> int:
        return id_of(self.user)

    @property
    def managed_org_ids(self) -> list[int]:
        return [org for org, role in self.roles.items() if role in MANAGING_ROLES]

    @property
    def owned_org_ids(self) -> list[int]:
        return [org for org, role in self.roles.items() if role == Role.OWNER]

    def can_manage_org(self, organisation_id: int) -> bool:
        return organisation_id in self.managed_org_ids

    def owns(self, organisation_id: int) -> bool:
        return organisation_id in self.owned_org_ids


def principal_for(session: Session, user: User) -> Principal:
    memberships = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
    roles = {m.organisation_id: m.role for m in memberships}
    return Principal(user=user, email=user.email, roles=roles)


def _managed_event_filter(principal: Principal) -> ColumnElement[bool]:
    orgs = principal.managed_org_ids
    cohosted = select(EventCohost.event_id).where(col(EventCohost.organisation_id).in_(orgs))
    return or_(col(Event.organisation_id).in_(orgs), col(Event.id).in_(cohosted))


def _facilitated_event_filter(principal: Principal) -> ColumnElement[bool]:
    assigned = (
        select(Group.event_id)
        .join(GroupFacilitator, col(GroupFacilitator.group_id) == Group.id)
        .where(GroupFacilitator.user_id == principal.id)
    )
    return col(Event.id).in_(assigned)


def visible_events_filter(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause for the events this caller may see."""
    return or_(_managed_event_filter(principal), _facilitated_event_filter(principal))


def can_manage_event(session: Session, principal: Principal, event: Event) -> bool:
    if principal.can_manage_org(event.organisation_id):
        return True
    cohosts = session.exec(
        select(EventCohost.organisation_id).where(EventCohost.event_id == event.id)
    ).all()
    return any(principal.can_manage_org(org) for org in cohosts)


def facilitated_group_ids(session: Session, principal: Principal, event_id: int) -> list[int]:
    rows = session.exec(
        select(Group.id)
        .join(GroupFacilitator, col(GroupFacilitator.group_id) == Group.id)
        .where(Group.event_id == event_id, GroupFacilitator.user_id == principal.id)
    ).all()
    return [r for r in rows if r is not None]


@dataclass
class EventAccess:
    """An event loaded for a caller, with what they may do to it."""

    event: Event
    principal: Principal
    manage: bool
    group_ids: list[int]  # tables this caller facilitates

    def can_act_on_group(self, group_id: int | None) -> bool:
        return self.manage or (group_id is not None and group_id in self.group_ids)


def load_event(session: Session, principal: Principal, event_id: int, need: Need) -> EventAccess:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("No such event", field="event_id")
    manage = can_manage_event(session, principal, event)
    groups = [] if manage else facilitated_group_ids(session, principal, event_id)
    if not manage and not groups:
        raise NotFound("No such event", field="event_id")
    if need == "manage" and not manage:
        raise Forbidden("Only the event's organisers can do this")
    return EventAccess(event=event, principal=principal, manage=manage, group_ids=groups)


def require_org_role(
    principal: Principal, organisation_id: int, need: Literal["manage", "own"]
) -> None:
    if organisation_id not in principal.roles:
        raise NotFound("No such organisation", field="organisation_id")
    allowed = (
        principal.owns(organisation_id)
        if need == "own"
        else principal.can_manage_org(organisation_id)
    )
    if not allowed:
        raise Forbidden("Your role in this organisation does not allow this")


def require_can_create(
    principal: Principal, organisation_id: int | None = None, *, what: str = "events"
) -> int:
    """The organisation a new event (or programme) belongs to: the one named, which the caller
    organises for, or else the first they do."""
    refusal = f"Only organisers and owners create {what}"
    if organisation_id is None:
        if not principal.managed_org_ids:
            raise Forbidden(refusal, field="organisation_id")
        return min(principal.managed_org_ids)
    if organisation_id not in principal.roles:
        raise NotFound("No such organisation", field="organisation_id")
    if not principal.can_manage_org(organisation_id):
        raise Forbidden(refusal, field="organisation_id")
    return organisation_id


def require_token_owner(principal: Principal) -> None:
    """API tokens are managed by organisations' owners (SPEC §1)."""
    if not principal.owned_org_ids:
        raise Forbidden("Only owners manage API tokens")


def load_membership(session: Session, organisation_id: int, membership_id: int) -> Membership:
    """A membership of this organisation (the caller's role in it is checked by the route)."""
    m = session.get(Membership, membership_id)
    if m is None or m.organisation_id != organisation_id:
        raise NotFound("No such member", field="membership_id")
    return m


def load_programme(session: Session, principal: Principal, programme_id: int) -> Programme:
    """A programme of one of the caller's organisations."""
    p = session.get(Programme, programme_id)
    if p is None or p.organisation_id not in principal.roles:
        raise NotFound("No such programme", field="programme_id")
    return p


def load_owned_organisation(
    session: Session, principal: Principal, organisation_id: int, *, field: str = "org_id"
) -> Organisation:
    """An organisation the caller owns."""
    require_org_role(principal, organisation_id, "own")
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("No such organisation", field=field)
    return org


def table_at_meeting(session: Session, event_id: int | None, group_id: int) -> Group:
    """A table of the meeting a resident joined (by its code, so anyone may)."""
    group = session.get(Group, group_id)
    if group is None or group.event_id != event_id:
        raise NotFound("No such table at this meeting", field="group_id")
    return group


def load_table(session: Session, access: EventAccess, group_id: int) -> Group:
    """A table of this event that the caller facilitates (organisers: any table)."""
    group = session.get(Group, group_id)
    if group is None or group.event_id != access.event.id:
        raise NotFound("No such table in this event", field="group_id")
    if not access.can_act_on_group(group_id):
        raise Forbidden("This is another facilitator's table", field="group_id")
    return group


def _event_below(
    session: Session,
    principal: Principal,
    event_id: int,
    in_event: int | None,
    what: str,
    field: str,
) -> EventAccess:
    """The event of a row below it, seen as the row's own absence when the caller can't see it
    (or it belongs to another event than the address names)."""
    where = " in this event" if in_event is not None else ""
    if in_event is not None and event_id != in_event:
        raise NotFound(f"No such {what}{where}", field=field)
    try:
        return load_event(session, principal, event_id, "view")
    except NotFound:
        raise NotFound(f"No such {what}{where}", field=field) from None


def load_comment(
    session: Session, principal: Principal, comment_id: int, *, in_event: int | None = None
) -> tuple[Comment, EventAccess]:
    """A comment the caller moderates: organisers anywhere, facilitators at their own table."""
    comment = session.get(Comment, comment_id)
    if comment is None:
        where = " in this event" if in_event is not None else ""
        raise NotFound(f"No such comment{where}", field="comment_id")
    access = _event_below(session, principal, comment.event_id, in_event, "comment", "comment_id")
    if not access.can_act_on_group(comment.group_id):
        raise Forbidden("Only the event's organisers or this table's facilitator can do this")
    return comment, access


def require_control_room(access: EventAccess) -> None:
    """The control room (and what is done from it) is the event's organisers' alone."""
    if not access.manage:
        raise Forbidden("Only the event's organisers use the control room")


def load_panel_question(
    session: Session, principal: Principal, question_id: int, *, in_event: int | None = None
) -> tuple[PanelQuestion, EventAccess]:
    """A panel question, for the event's organisers (who answer or dismiss it)."""
    question = session.get(PanelQuestion, question_id)
    if question is None:
        where = " in this event" if in_event is not None else ""
        raise NotFound(f"No such panel question{where}", field="question_id")
    access = _event_below(
        session, principal, question.event_id, in_event, "panel question", "question_id"
    )
    if not access.manage:
        raise Forbidden("Only the event's organisers answer panel questions")
    return question, access


def cohort_organisation_ids(session: Session, cohort_id: int | None) -> list[int]:
    return list(
        session.exec(
            select(CohortOrganisation.organisation_id)
            .where(CohortOrganisation.cohort_id == cohort_id)
            .order_by(col(CohortOrganisation.organisation_id))
        ).all()
    )


def participant_filter(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause for the cohort participants that are this caller."""
    # Only by the link an invitation made when the account accepted it: never by e-mail,
    # which anyone who could create an account with that address would match.
    return col(Participant.user_id) == principal.id


def participation(session: Session, principal: Principal, cohort_id: int) -> Participant | None:
    return session.exec(
        select(Participant).where(Participant.cohort_id == cohort_id, participant_filter(principal))
    ).first()


@dataclass
class CohortAccess:
    """A cohort loaded for a caller: whether they manage it, and their own participation."""

    cohort: Cohort
    programme: Programme
    principal: Principal
    manage: bool
    participant: Participant | None


def load_cohort(session: Session, principal: Principal, cohort_id: int, need: Need) -> CohortAccess:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("No such cohort", field="cohort_id")
    manage = any(principal.can_manage_org(o) for o in cohort_organisation_ids(session, cohort.id))
    participant = participation(session, principal, cohort_id)
    if not manage and participant is None:
        raise NotFound("No such cohort", field="cohort_id")
    if need == "manage" and not manage:
        raise Forbidden("Only the cohort's organisers can do this")
    programme = session.get(Programme, cohort.programme_id)
    assert programme is not None
    return CohortAccess(cohort, programme, principal, manage, participant)


def require_participant(access: CohortAccess) -> Participant:
    """The caller as a participant of the cohort: what they do from their own page."""
    if access.participant is None:
        raise Forbidden("Only the cohort's participants do this from their own page")
    return access.participant
