"""Steps that touch several things at once: group sessions and their actions, closing a cohort,
and turning nominations into the next cohort's participants."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from app.live import changes
from app.models import Action, Cohort, Event, Nomination, Participant, Programme, utcnow
from app.models.actions import ActionStatus
from app.models.events import RecordingPolicy, Side
from app.models.mentoring import CohortStatus
from app.services import actions, events
from app.services.access import cohort_organisation_ids
from app.services.attendance import RoleSpec
from app.services.errors import Conflict, DomainError, NotFound
from app.services.mentoring.cohorts import organisations, require_active
from app.services.mentoring.pairs import end_all_pairs
from app.services.mentoring.people import Person, add_participant, find_participant


def add_group_session(
    session: Session,
    *,
    cohort: Cohort,
    programme: Programme,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: str = "",
) -> Event:
    """A whole-group reflection session: an event of the cohort's programme, not recorded."""
    require_active(cohort)
    lead = programme.organisation_id
    orgs = organisations(session, cohort.id)
    return events.create_event(
        session,
        organisation_id=lead,
        cohost_ids=[o.id for o in orgs if o.id is not None and o.id != lead],
        programme_id=programme.id,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        description="A reflection session of the mentoring cohort. Sessions are not recorded: "
        "only attendance and the actions agreed are kept.",
        recording=RecordingPolicy.NOT_RECORDED,
        equality_monitoring=False,
        roles=[RoleSpec(name=o.name[:60], side=Side.SERVICES) for o in orgs],
    )


def group_sessions(session: Session, programme_id: int | None) -> list[Event]:
    return list(
        session.exec(
            select(Event)
            .where(Event.programme_id == programme_id)
            .order_by(col(Event.starts_at), col(Event.id))
        ).all()
    )


def add_action(
    session: Session,
    *,
    programme: Programme,
    event_id: int,
    text: str,
    owner: str = "",
    due_date: date | None = None,
    status: str = ActionStatus.AGREED,
    user_id: int | None = None,
) -> Action:
    """An opportunity the cohort takes forward, on one of its group sessions (so the action
    tracker and the public page show it like any meeting's action)."""
    event = session.get(Event, event_id)
    if event is None or event.programme_id != programme.id:
        raise DomainError("Choose one of the cohort's group sessions", field="event_id")
    text = text.strip()
    if not text or len(text) > 2000:
        raise DomainError("Describe the action in 1 to 2000 characters", field="text")
    initial = actions.check_status(status)
    action = Action(
        event_id=event_id,
        text=text,
        owner=owner.strip()[:200],
        due_date=due_date,
        status=initial,
        created_by_id=user_id,
    )
    session.add(action)
    session.flush()
    changes.record(session, "action", event_id, action_id=action.id)
    return action


def cohort_actions(session: Session, programme_id: int | None) -> list[Action]:
    return list(
        session.exec(
            select(Action)
            .join(Event, col(Event.id) == Action.event_id)
            .where(Event.programme_id == programme_id)
            .order_by(col(Action.id))
        ).all()
    )


def close_cohort(session: Session, *, cohort: Cohort) -> Cohort:
    """Close a cohort: its pairs end and its participants become alumni of the scheme."""
    require_active(cohort)
    end_all_pairs(session, cohort=cohort)
    cohort.status = CohortStatus.CLOSED
    cohort.closed_at = utcnow()
    session.add(cohort)
    session.flush()
    return cohort


@dataclass
class Handover:
    created: list[Participant] = field(default_factory=list)
    linked: list[Nomination] = field(default_factory=list)  # nominee was already a participant
    skipped: list[tuple[Nomination, str]] = field(default_factory=list)


def handover(session: Session, *, cohort: Cohort, next_cohort: Cohort) -> Handover:
    """In one step, every open nomination becomes a participant of the next cohort, and each
    nomination keeps the link to the participant it became."""
    if next_cohort.id == cohort.id or next_cohort.scheme != cohort.scheme:
        raise DomainError("Choose a later cohort of the same scheme", field="next_cohort_id")
    if next_cohort.starts_on < cohort.starts_on:
        raise DomainError("The next cohort must start after this one", field="next_cohort_id")
    require_active(next_cohort)
    nominations = session.exec(
        select(Nomination)
        .where(Nomination.cohort_id == cohort.id, col(Nomination.participant_id).is_(None))
        .order_by(col(Nomination.id))
    ).all()
    if not nominations:
        raise Conflict("There are no nominations left to hand over", field="nominations")
    result = Handover()
    allowed = cohort_organisation_ids(session, next_cohort.id)
    for nomination in nominations:
        existing = find_participant(session, next_cohort.id, nomination.nominee_email)
        if existing is not None:
            nomination.participant_id = existing.id
            result.linked.append(nomination)
        elif nomination.nominee_organisation_id not in allowed:
            result.skipped.append((nomination, "their organisation is not in the next cohort"))
            continue
        else:
            person = Person(
                name=nomination.nominee_name,
                email=nomination.nominee_email,
                organisation_id=nomination.nominee_organisation_id,
            )
            participant = add_participant(session, cohort=next_cohort, person=person)
            nomination.participant_id = participant.id
            result.created.append(participant)
        session.add(nomination)
    session.flush()
    return result


def get_next_cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("No such cohort", field="next_cohort_id")
    return cohort
