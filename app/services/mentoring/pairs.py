"""Pairings across organisations, the pairing suggestion, and pair meetings (date and length)."""

from datetime import date

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.models import Cohort, Organisation, Pairing, PairMeeting, Participant, utcnow
from app.models.base import id_of
from app.models.mentoring import PairStatus
from app.schemas.mentoring import PairView
from app.services.access import CohortAccess
from app.services.errors import Conflict, DomainError, Forbidden, NotFound
from app.services.mentoring.cohorts import require_active
from app.services.mentoring.people import get_participant, list_participants

MAX_MINUTES = 8 * 60  # longer than a working day is a typing mistake, not a meeting
HAND_MADE = "Paired by hand"


def active_pairing_of(session: Session, participant_id: int | None) -> Pairing | None:
    return session.exec(
        select(Pairing).where(
            Pairing.status == PairStatus.ACTIVE,
            or_(col(Pairing.first_id) == participant_id, col(Pairing.second_id) == participant_id),
        )
    ).first()


def make_pair(
    session: Session, *, cohort: Cohort, first_id: int, second_id: int, reason: str = HAND_MADE
) -> Pairing:
    """Pair two participants of different organisations, neither already in an active pair."""
    require_active(cohort)
    first = get_participant(session, cohort.id, first_id)
    second = get_participant(session, cohort.id, second_id)
    if first.id == second.id:
        raise DomainError("Choose two different people", field="second_id")
    if first.organisation_id == second.organisation_id:
        raise DomainError(
            "A pair brings together two different organisations: choose someone from another one",
            field="second_id",
        )
    # Lock both people (PostgreSQL; SQLite writers are serialised already), so two requests
    # can't each put the same person in a pair at the same moment.
    session.exec(
        select(Participant.id)
        .where(col(Participant.id).in_([first_id, second_id]))
        .order_by(col(Participant.id))
        .with_for_update()
    ).all()
    for name, person in (("first_id", first), ("second_id", second)):
        if active_pairing_of(session, person.id) is not None:
            raise Conflict(f"{person.name} is already in an active pair", field=name)
    pairing = Pairing(
        cohort_id=id_of(cohort), first_id=first_id, second_id=second_id, reason=reason[:500]
    )
    session.add(pairing)
    session.flush()
    return pairing


def get_pairing(session: Session, cohort_id: int | None, pairing_id: int) -> Pairing:
    pairing = session.get(Pairing, pairing_id)
    if pairing is None or pairing.cohort_id != cohort_id:
        raise NotFound("No such pair in this cohort", field="pairing_id")
    return pairing


def own_pairing(session: Session, access: CohortAccess, pairing_id: int) -> Pairing:
    """Only the pair itself reads and logs its meetings; organisers see counts only."""
    pairing = get_pairing(session, access.cohort.id, pairing_id)
    me = access.participant
    if me is None or me.id not in (pairing.first_id, pairing.second_id):
        if access.manage:
            raise Forbidden("Only the pair logs and reads its meetings", field="pairing_id")
        raise NotFound("No such pair in this cohort", field="pairing_id")
    return pairing


def end_pair(session: Session, *, pairing: Pairing) -> Pairing:
    if pairing.status == PairStatus.ACTIVE:
        pairing.status = PairStatus.ENDED
        pairing.ended_at = utcnow()
        session.add(pairing)
        session.flush()
    return pairing


def end_all_pairs(session: Session, *, cohort: Cohort) -> None:
    for pairing in session.exec(
        select(Pairing).where(Pairing.cohort_id == cohort.id, Pairing.status == PairStatus.ACTIVE)
    ).all():
        end_pair(session, pairing=pairing)


def log_meeting(
    session: Session, *, cohort: Cohort, pairing: Pairing, met_on: date, minutes: int, today: date
) -> PairMeeting:
    """Log that a pair met: a date within the cohort, not in the future, and a sane length."""
    require_active(cohort)
    if pairing.status != PairStatus.ACTIVE:
        raise Conflict("This pair has ended", field="pairing_id")
    _check_meeting(cohort, met_on, minutes, today)
    meeting = PairMeeting(pairing_id=id_of(pairing), met_on=met_on, minutes=minutes)
    session.add(meeting)
    session.flush()
    return meeting


def _check_meeting(cohort: Cohort, met_on: date, minutes: int, today: date) -> None:
    if met_on > today:
        raise DomainError("A meeting cannot be in the future", field="met_on")
    if not cohort.starts_on <= met_on <= cohort.ends_on:
        raise DomainError(
            f"Give a date within the cohort, {cohort.starts_on:%-d %b %Y} to "
            f"{cohort.ends_on:%-d %b %Y}",
            field="met_on",
        )
    if minutes <= 0:
        raise DomainError("Give the length in minutes, more than 0", field="minutes")
    if minutes > MAX_MINUTES:
        raise DomainError("A meeting can last at most 8 hours (480 minutes)", field="minutes")


def update_meeting(
    session: Session,
    *,
    cohort: Cohort,
    meeting: PairMeeting,
    met_on: date | None,
    minutes: int | None,
    today: date,
) -> PairMeeting:
    """Correct a logged meeting's date or length, under the same rules as logging it."""
    require_active(cohort)
    met_on = meeting.met_on if met_on is None else met_on
    minutes = meeting.minutes if minutes is None else minutes
    _check_meeting(cohort, met_on, minutes, today)
    meeting.met_on, meeting.minutes = met_on, minutes
    session.add(meeting)
    session.flush()
    return meeting


def get_meeting(session: Session, pairing: Pairing, meeting_id: int) -> PairMeeting:
    meeting = session.get(PairMeeting, meeting_id)
    if meeting is None or meeting.pairing_id != pairing.id:
        raise NotFound("No such meeting of this pair", field="meeting_id")
    return meeting


def list_meetings(session: Session, pairing_id: int | None) -> list[PairMeeting]:
    return list(
        session.exec(
            select(PairMeeting)
            .where(PairMeeting.pairing_id == pairing_id)
            .order_by(col(PairMeeting.met_on).desc(), col(PairMeeting.id).desc())
        ).all()
    )


def pair_views(
    session: Session,
    *,
    cohort: Cohort,
    today: date,
    stale_weeks: int | None = None,
    only_participant_id: int | None = None,
) -> list[PairView]:
    """Each pair with its meeting count and last meeting, flagged when quiet for too long."""
    weeks = stale_weeks or cohort.stale_weeks
    query = select(Pairing).where(Pairing.cohort_id == cohort.id)
    if only_participant_id is not None:
        query = query.where(
            or_(
                col(Pairing.first_id) == only_participant_id,
                col(Pairing.second_id) == only_participant_id,
            )
        )
    pairings = session.exec(
        query.order_by(col(Pairing.status), col(Pairing.id))
    ).all()  # "active" sorts first
    people = {p.id: p for p in list_participants(session, cohort.id)}
    stats: dict[int, tuple[int, date | None]] = {
        pairing_id: (count, last)
        for pairing_id, count, last in session.exec(
            select(PairMeeting.pairing_id, func.count(), func.max(PairMeeting.met_on))
            .where(col(PairMeeting.pairing_id).in_([p.id for p in pairings]))
            .group_by(col(PairMeeting.pairing_id))
        ).all()
    }
    reference = min(today, cohort.ends_on)
    views = []
    for pairing in pairings:
        count, last = stats.get(id_of(pairing), (0, None))
        since = last or cohort.starts_on
        weeks_since = max(0, (reference - since).days // 7)
        flagged = pairing.status == PairStatus.ACTIVE and weeks_since >= weeks
        views.append(
            PairView(
                pairing=pairing,
                first=people[pairing.first_id],
                second=people[pairing.second_id],
                meeting_count=count,
                last_met_on=last,
                weeks_since=weeks_since,
                flagged=flagged,
            )
        )
    return views


def unpaired(session: Session, cohort_id: int | None) -> list[Participant]:
    paired = set()
    for first, second in session.exec(
        select(Pairing.first_id, Pairing.second_id).where(
            Pairing.cohort_id == cohort_id, Pairing.status == PairStatus.ACTIVE
        )
    ).all():
        paired |= {first, second}
    return [p for p in list_participants(session, cohort_id) if p.id not in paired]


def org_names(session: Session, ids: set[int]) -> dict[int, str]:
    rows = session.exec(select(Organisation).where(col(Organisation.id).in_(ids))).all()
    return {id_of(o): o.name for o in rows}
