"""Test data for mentoring: a cohort of two organisations with participants and a pair."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from app.models import Cohort, Organisation, Pairing, Participant, Programme, User
from app.services import accounts, invitations
from app.services.mentoring import cohorts, flows, pairs, people
from app.services.mentoring.people import Person
from tests.support import factories

_seq = itertools.count(1)


def cohort(
    session: Session,
    lead: Organisation,
    partner: Organisation,
    *,
    starts_on: date | None = None,
    weeks: int = 26,
    window_open: bool = True,
    previous: Cohort | None = None,
) -> Cohort:
    n = next(_seq)
    start = starts_on or cohorts.today() - timedelta(weeks=8)
    today = cohorts.today()
    assert lead.id is not None and partner.id is not None
    return cohorts.create_cohort(
        session,
        organisation_id=lead.id,
        partner_ids=[partner.id],
        name=f"Mentoring cohort {n}",
        slug=f"mentoring-{n}",
        starts_on=start,
        ends_on=start + timedelta(weeks=weeks),
        support_name="Dr Test",
        support_role="Systemic therapist",
        support_contact="via the organisers",
        interest_opens_on=today - timedelta(days=1) if window_open else None,
        interest_closes_on=today + timedelta(days=30) if window_open else None,
        previous_cohort_id=previous.id if previous else None,
    )


def participant(
    session: Session,
    c: Cohort,
    org: Organisation,
    *,
    role: str = "either",
    seniority: int = 3,
    email: str | None = None,
    name: str | None = None,
) -> Participant:
    n = next(_seq)
    person = Person(
        name=name or f"Person {n}",
        email=email or f"person{n}@example.org",
        organisation_id=org.id or 0,
        scheme_role=role,
        seniority=seniority,
    )
    added = people.add_participant(session, cohort=c, person=person)
    user = accounts.get_user_by_email(session, person.email) if email else None
    if user is not None:
        # Linked the only way there is: the account accepts the participant's invitation.
        invitation, _secret = invitations.invite_person(
            session,
            kind="participant",
            organisation_id=person.organisation_id,
            email=person.email,
            invited_by=None,
            participant_id=added.id,
        )
        invitations.decide(session, invitation=invitation, accept=True, user=user)
    return added


def programme_of(session: Session, c: Cohort) -> Programme:
    return cohorts.load_programme(session, c)


@dataclass
class Scheme:
    lead: Organisation
    partner: Organisation
    organiser: User  # organiser of the lead organisation
    partner_organiser: User  # organiser of the partner organisation
    member: User  # a participant who signs in (facilitator of the lead organisation)
    outsider: User  # organiser of an organisation outside the cohort
    cohort: Cohort
    me: Participant  # linked to `member`
    partner_person: Participant  # paired with `me`
    spare_lead: Participant
    spare_partner: Participant
    pair: Pairing
    other_pair: Pairing


def scheme(session: Session) -> Scheme:
    lead, partner, outside = factories.org(session), factories.org(session), factories.org(session)
    organiser = factories.user(session, lead, "organiser")
    partner_organiser = factories.user(session, partner, "organiser")
    member = factories.user(session, lead, "facilitator")
    outsider = factories.user(session, outside, "organiser")
    c = cohort(session, lead, partner)
    me = participant(session, c, lead, email=member.email, role="mentee")
    them = participant(session, c, partner, role="mentor")
    a, b = participant(session, c, lead), participant(session, c, partner)
    x, y = participant(session, c, lead), participant(session, c, partner)
    pair = pairs.make_pair(session, cohort=c, first_id=them.id or 0, second_id=me.id or 0)
    other = pairs.make_pair(session, cohort=c, first_id=x.id or 0, second_id=y.id or 0)
    return Scheme(
        lead=lead,
        partner=partner,
        organiser=organiser,
        partner_organiser=partner_organiser,
        member=member,
        outsider=outsider,
        cohort=c,
        me=me,
        partner_person=them,
        spare_lead=a,
        spare_partner=b,
        pair=pair,
        other_pair=other,
    )


def matrix_ids(session: Session, org: Organisation, member: User) -> dict[str, int | str]:
    """Ids for the authorisation matrix: a cohort of `org` and a partner organisation (slug
    `mentoring-partner`), in which `member` takes part and is paired."""
    partner = accounts.create_organisation(
        session, name="Mentoring partner", slug="mentoring-partner"
    )
    c = cohort(session, org, partner)
    me = participant(session, c, org, email=member.email)
    them = participant(session, c, partner)
    a, b = participant(session, c, org), participant(session, c, partner)
    pair = pairs.make_pair(session, cohort=c, first_id=them.id or 0, second_id=me.id or 0)
    interest = people.submit_interest(
        session,
        cohort=c,
        person=Person("Keen Person", "keen@example.org", org.id or 0),
        today=cohorts.today(),
    )
    people.nominate(
        session,
        cohort=c,
        nominator=me,
        name="Next Person",
        email="next.person@example.org",
        organisation_id=org.id or 0,
        reason="Would carry it on",
    )
    meeting = pairs.log_meeting(
        session, cohort=c, pairing=pair, met_on=c.starts_on, minutes=30, today=cohorts.today()
    )
    nxt = cohort(session, org, partner, previous=c)
    programme = programme_of(session, c)
    starts = datetime.combine(cohorts.today(), time(16), tzinfo=UTC)
    group_session = flows.add_group_session(
        session,
        cohort=c,
        programme=programme,
        title="Group session",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    return {
        "cohort": c.id or 0,
        "next_cohort": nxt.id or 0,
        "participant": a.id or 0,
        "me": me.id or 0,
        "spare_lead": a.id or 0,
        "spare_partner": b.id or 0,
        "pairing": pair.id or 0,
        "meeting": meeting.id or 0,
        "interest": interest.id or 0,
        "group_session": group_session.id or 0,
        "partner_org": partner.id or 0,
        "fmt": "csv",
        "yesterday": (cohorts.today() - timedelta(days=1)).isoformat(),
        "slug": programme.slug,
    }
