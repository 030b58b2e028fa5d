"""The demo mentoring scheme, like the case study: Westminster City Council and the Met paired
11 senior officers with council staff for six months from September 2020."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.models import Cohort, Organisation, User
from app.models.accounts import Role
from app.models.actions import ActionStatus
from app.models.base import id_of
from app.models.events import EventStatus
from app.services import accounts, events
from app.services.mentoring import cohorts, flows, pairs, people
from app.services.mentoring.people import Person

LONDON = ZoneInfo("Europe/London")
START, END = date(2020, 9, 1), date(2021, 2, 28)

# (name, job title, seniority): all names are invented.
COUNCIL = (
    ("Amara Okafor", "Head of Community Safety", 5),
    ("Tom Hargreaves", "Youth Services Manager", 4),
    ("Priya Nair", "Neighbourhood Engagement Lead", 3),
    ("Grace Mensah", "Head of Housing Services", 5),
    ("Daniel Price", "Schools Partnership Officer", 3),
    ("Fatima Hussain", "Public Health Commissioner", 4),
    ("Owen Clarke", "Licensing Manager", 3),
    ("Hannah Lee", "Family Services Lead", 4),
    ("Samuel Adeyemi", "Equalities Officer", 3),
    ("Ruth Kowalski", "Ward Partnership Manager", 4),
    ("Yusuf Ali", "Community Cohesion Officer", 3),
)
POLICE = (
    ("Ch Supt Helen Ward", "BCU Commander", 5),
    ("Supt Marcus Bell", "Neighbourhoods Superintendent", 5),
    ("Ch Insp Rachel Obi", "Partnerships Chief Inspector", 4),
    ("Supt James Fletcher", "Safeguarding Superintendent", 5),
    ("Ch Insp Nadia Rahman", "Response Chief Inspector", 4),
    ("Insp Kwame Asante", "Safer Schools Inspector", 3),
    ("Ch Insp Laura Stone", "Violence Suppression Chief Inspector", 4),
    ("Insp Peter Walsh", "Neighbourhood Inspector", 3),
    ("Supt Angela Brooks", "Public Protection Superintendent", 5),
    ("Insp David Chen", "Community Engagement Inspector", 3),
    ("Insp Sofia Martins", "Youth Engagement Inspector", 3),
)
OPPORTUNITIES = (
    ("Police represented at round tables", "Metropolitan Police"),
    ("Youth project in schools run jointly", "Schools Partnership and Safer Schools"),
    ("Joint ward walkabouts with residents each quarter", "Ward partnership managers"),
    ("Shared briefing before every public meeting", "Community Safety"),
    ("Council staff join police community engagement training", "Community Safety"),
    ("Joint response to community tension reports", "Community Cohesion and Partnerships"),
    ("Shadowing placements between council and police teams", "Human resources, both"),
    ("Alumni network meets each quarter to hold the work to account", "Scheme organisers"),
)
SESSIONS = (
    (date(2020, 9, 15), "Group session 1: starting out"),
    (date(2020, 12, 1), "Group session 2: halfway reflection"),
    (date(2021, 2, 23), "Group session 3: handover the baton"),
)


def seed_mentoring(session: Session, *, organiser: User, met: Organisation) -> Cohort:
    """Seed the scheme with 11 pairs, meetings, three closed sessions, actions, nominations."""
    council = accounts.create_organisation(
        session, name="Westminster City Council", slug="westminster-council"
    )
    accounts.add_member(session, user=organiser, organisation=council, role=Role.OWNER)
    cohort = cohorts.create_cohort(
        session,
        organisation_id=id_of(council),
        partner_ids=[id_of(met)],
        name="Westminster and Met mentoring — 2020 cohort",
        slug="westminster-met-mentoring-2020",
        scheme="Westminster and Met mentoring",
        description="Council staff and senior police officers paired for six months.",
        starts_on=START,
        ends_on=END,
        support_name="Dr Miriam Cole",
        support_role="Systemic therapist",
        support_contact="Book a confidential session through the scheme organisers",
        interest_opens_on=date(2020, 7, 1),
        interest_closes_on=date(2020, 8, 14),
        stale_weeks=6,
    )
    members = []
    for org, staff, role in ((council, COUNCIL, "mentee"), (met, POLICE, "mentor")):
        for name, title, seniority in staff:
            slug = name.split()[-2].lower() + "." + name.split()[-1].lower()
            person = Person(
                name=name,
                email=f"{slug}@{org.slug}.example.org",
                organisation_id=id_of(org),
                job_title=title,
                scheme_role=role,
                seniority=seniority,
            )
            members.append(people.add_participant(session, cohort=cohort, person=person))
    council_people, police_people = members[:11], members[11:]
    made = []
    for mentee, mentor in zip(council_people, police_people, strict=True):
        made.append(
            pairs.make_pair(
                session,
                cohort=cohort,
                first_id=id_of(mentor),
                second_id=id_of(mentee),
                reason="Paired by the scheme organisers",
            )
        )
    # Most pairs met monthly; the last two went quiet and are flagged on the cohort view.
    for n, pairing in enumerate(made):
        months = 6 if n < 9 else 2
        for m in range(months):
            met_on = START + timedelta(days=10 + 28 * m + n)
            pairs.log_meeting(
                session, cohort=cohort, pairing=pairing, met_on=met_on, minutes=60, today=END
            )
    programme = cohorts.load_programme(session, cohort)
    sessions = []
    for day, title in SESSIONS:
        starts = datetime.combine(day, time(16, 0), tzinfo=LONDON)
        event = flows.add_group_session(
            session,
            cohort=cohort,
            programme=programme,
            title=title,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            venue="Westminster City Hall",
        )
        events.set_status(session, event=event, status=EventStatus.OPEN)
        events.set_status(session, event=event, status=EventStatus.CLOSED)
        sessions.append(event)
    for text, owner in OPPORTUNITIES:
        flows.add_action(
            session,
            programme=programme,
            event_id=sessions[-1].id or 0,
            text=text,
            owner=owner,
            status=ActionStatus.AGREED,
            user_id=organiser.id,
        )
    for nominator, (name, org) in zip(
        members[:3] + police_people[:2],
        (
            ("Leah Morgan", council),
            ("Ben Osei", council),
            ("Carla Diaz", council),
            ("Supt Ian Grant", met),
            ("Insp Mei Wong", met),
        ),
        strict=True,
    ):
        people.nominate(
            session,
            cohort=cohort,
            nominator=nominator,
            name=name,
            email=name.split()[-2].lower() + "." + name.split()[-1].lower() + "@example.org",
            organisation_id=id_of(org),
            reason="Works with the same communities and would carry the work on.",
        )
    return cohort
