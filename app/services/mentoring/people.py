"""Participants, expressions of interest, nominations ("handover the baton") and alumni."""

from dataclasses import dataclass, field, fields, replace
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import (
    Cohort,
    Interest,
    Invitation,
    Nomination,
    Organisation,
    Participant,
    Programme,
    User,
    utcnow,
)
from app.models.base import id_of
from app.models.invitations import InvitationKind
from app.models.mentoring import CohortStatus, InterestStatus, SchemeRole
from app.services import invitation_mail, invitations
from app.services.access import CohortAccess, cohort_organisation_ids
from app.services.accounts import normalise_email
from app.services.errors import Conflict, DomainError, Forbidden, NotFound, one_of
from app.services.mentoring.cohorts import interest_open, require_active


@dataclass
class Person:
    """What a participant or an applicant says about themselves, checked once."""

    name: str
    email: str
    organisation_id: int
    job_title: str = ""
    scheme_role: str = SchemeRole.EITHER
    seniority: int = 3


PERSON_FIELDS = tuple(f.name for f in fields(Person))


def _check_person(session: Session, cohort: Cohort, person: Person) -> Person:
    name = person.name.strip()
    if not name or len(name) > 200:
        raise DomainError("Enter a name of 1 to 200 characters", field="name")
    email = normalise_email(person.email)
    if person.organisation_id not in cohort_organisation_ids(session, cohort.id):
        raise DomainError("Choose one of the cohort's organisations", field="organisation")
    message = "The role is mentor, mentee or either"
    role = one_of(SchemeRole, person.scheme_role, message, field="scheme_role")
    if not 1 <= person.seniority <= 5:
        raise DomainError("Seniority is from 1 (most junior) to 5 (most senior)", "seniority")
    job_title = person.job_title.strip()[:200]
    return replace(person, name=name, email=email, job_title=job_title, scheme_role=role)


def find_participant(session: Session, cohort_id: int | None, email: str) -> Participant | None:
    return session.exec(
        select(Participant).where(
            Participant.cohort_id == cohort_id, func.lower(Participant.email) == email.lower()
        )
    ).first()


def add_participant(session: Session, *, cohort: Cohort, person: Person) -> Participant:
    """Add a named member of staff; linked to an account only when it accepts an invitation."""
    require_active(cohort)
    person = _check_person(session, cohort, person)
    if find_participant(session, cohort.id, person.email):
        raise Conflict(f"{person.email} already takes part in this cohort", field="email")
    participant = Participant(cohort_id=id_of(cohort), **person.__dict__)
    session.add(participant)
    session.flush()
    return participant


def invite_participant(
    session: Session, *, participant: Participant, invited_by: User
) -> tuple[Invitation, str | None]:
    """Ask the participant to link their account; returns the link when it is not mailed."""
    if participant.user_id is not None:
        raise Conflict("This participant has already linked their account", "participant_id")
    invitation, secret = invitations.invite_person(
        session,
        kind=InvitationKind.PARTICIPANT,
        organisation_id=participant.organisation_id,
        email=participant.email,
        invited_by=invited_by,
        participant_id=participant.id,
    )
    return invitation, invitation_mail.send_or_show(session, invitation=invitation, secret=secret)


def update_participant(
    session: Session, *, participant: Participant, **changes: object
) -> Participant:
    cohort = session.get(Cohort, participant.cohort_id)
    assert cohort is not None
    values = {k: getattr(participant, k) for k in PERSON_FIELDS}
    values |= {k: v for k, v in changes.items() if v is not None}
    person = _check_person(session, cohort, Person(**values))
    other = find_participant(session, cohort.id, person.email)
    if other is not None and other.id != participant.id:
        raise Conflict(f"{person.email} already takes part in this cohort", field="email")
    for key, value in person.__dict__.items():
        setattr(participant, key, value)
    session.add(participant)
    session.flush()
    return participant


def get_participant(session: Session, cohort_id: int | None, participant_id: int) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None or participant.cohort_id != cohort_id:
        raise NotFound("No such participant in this cohort", field="participant_id")
    return participant


def list_participants(session: Session, cohort_id: int | None) -> list[Participant]:
    return list(
        session.exec(
            select(Participant)
            .where(Participant.cohort_id == cohort_id)
            .order_by(col(Participant.name), col(Participant.id))
        ).all()
    )


def submit_interest(session: Session, *, cohort: Cohort, person: Person, today: date) -> Interest:
    """An expression of interest from the public form, while the window is open."""
    if not interest_open(cohort, today):
        raise Conflict("Expressions of interest are not open for this cohort", field="cohort_id")
    person = _check_person(session, cohort, person)
    pending = session.exec(
        select(Interest.id).where(
            Interest.cohort_id == cohort.id,
            Interest.status == InterestStatus.PENDING,
            func.lower(Interest.email) == person.email,
        )
    ).first()
    if pending or find_participant(session, cohort.id, person.email):
        raise Conflict("We already have your interest for this cohort", field="email")
    interest = Interest(cohort_id=id_of(cohort), **person.__dict__)
    session.add(interest)
    session.flush()
    return interest


def get_interest(session: Session, cohort_id: int | None, interest_id: int) -> Interest:
    interest = session.get(Interest, interest_id)
    if interest is None or interest.cohort_id != cohort_id:
        raise NotFound("No such expression of interest", field="interest_id")
    return interest


def decide_interest(
    session: Session, *, cohort: Cohort, interest: Interest, status: str
) -> Interest:
    """Approve (the applicant becomes a participant) or decline an expression of interest."""
    decision = one_of(InterestStatus, status, "Approve or decline", field="status")
    if decision == InterestStatus.PENDING:
        raise DomainError("Approve or decline", field="status")
    if interest.status != InterestStatus.PENDING:
        raise Conflict(f"This expression of interest is already {interest.status}", "status")
    if decision == InterestStatus.APPROVED:
        person = Person(**{k: getattr(interest, k) for k in PERSON_FIELDS})
        interest.participant_id = add_participant(session, cohort=cohort, person=person).id
    interest.status = decision
    interest.decided_at = utcnow()
    session.add(interest)
    session.flush()
    return interest


def list_interests(session: Session, cohort_id: int | None) -> list[Interest]:
    return list(
        session.exec(
            select(Interest)
            .where(Interest.cohort_id == cohort_id)
            .order_by(col(Interest.status).desc(), col(Interest.created_at))
        ).all()
    )


def nominate(
    session: Session,
    *,
    cohort: Cohort,
    nominator: Participant,
    name: str,
    email: str,
    organisation_id: int,
    reason: str,
) -> Nomination:
    """A participant names a colleague for the next cohort; never themselves."""
    require_active(cohort)
    if nominator.cohort_id != cohort.id:
        raise DomainError("The nominator is not in this cohort", field="nominator_id")
    email = normalise_email(email)
    if email == nominator.email.lower():
        raise DomainError("Nominate a colleague, not yourself", field="nominee_email")
    name, reason = name.strip(), reason.strip()
    if not name or len(name) > 200:
        raise DomainError("Enter the colleague's name", field="nominee_name")
    if not reason or len(reason) > 500:
        raise DomainError("Give a short reason (up to 500 characters)", field="reason")
    if organisation_id not in cohort_organisation_ids(session, cohort.id):
        raise DomainError("Choose one of the scheme's organisations", field="organisation")
    already = session.exec(
        select(Nomination.id).where(
            Nomination.nominator_id == nominator.id, Nomination.nominee_email == email
        )
    ).first()
    if already:
        raise Conflict("You have already nominated this colleague", field="nominee_email")
    nomination = Nomination(
        cohort_id=id_of(cohort),
        nominator_id=id_of(nominator),
        nominee_name=name,
        nominee_email=email,
        nominee_organisation_id=organisation_id,
        reason=reason,
    )
    session.add(nomination)
    session.flush()
    return nomination


def nominator(session: Session, access: CohortAccess, nominator_id: int | None) -> Participant:
    """Who makes a nomination: the caller, in their own name; an organiser names a participant."""
    me = access.participant
    if nominator_id is not None and (me is None or nominator_id != me.id):
        if not access.manage:
            raise Forbidden("You nominate in your own name only", field="nominator_id")
        return get_participant(session, access.cohort.id, nominator_id)
    if me is not None:
        return me
    raise DomainError("Say which participant makes this nomination", field="nominator_id")


def list_nominations(
    session: Session, cohort_id: int | None, nominator_id: int | None = None
) -> list[Nomination]:
    query = select(Nomination).where(Nomination.cohort_id == cohort_id)
    if nominator_id is not None:
        query = query.where(Nomination.nominator_id == nominator_id)
    return list(session.exec(query.order_by(col(Nomination.id))).all())


@dataclass
class Alumnus:
    name: str
    email: str
    organisation: str
    cohorts: list[str] = field(default_factory=list)


def alumni(session: Session, scheme: str) -> list[Alumnus]:
    """Participants of the scheme's closed cohorts, once each, with the cohorts they were in."""
    rows = session.exec(
        select(Participant, Organisation.name, Programme.name)
        .join(Cohort, col(Cohort.id) == Participant.cohort_id)
        .join(Programme, col(Programme.id) == Cohort.programme_id)
        .join(Organisation, col(Organisation.id) == Participant.organisation_id)
        .where(Cohort.scheme == scheme, Cohort.status == CohortStatus.CLOSED)
        .order_by(col(Cohort.starts_on), col(Participant.name))
    ).all()
    people: dict[str, Alumnus] = {}
    for participant, org_name, cohort_name in rows:
        person = people.setdefault(
            participant.email.lower(), Alumnus(participant.name, participant.email, org_name)
        )
        person.organisation = org_name
        person.cohorts.append(cohort_name)
    return sorted(people.values(), key=lambda a: a.name.lower())
