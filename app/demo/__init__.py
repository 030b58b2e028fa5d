"""The demo: the Battersea community meeting under the London Race Action Plan, open, ready,
with an earlier published meeting, the night's votes and a mentoring scheme.

Wiring, not domain: it uses the services, and only the CLI and the tests import it.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.demo import history, votes
from app.demo.mentoring import seed_mentoring
from app.models import Event, Organisation, utcnow
from app.models.accounts import Role
from app.models.base import id_of
from app.models.events import EventStatus
from app.services import accounts, events, programmes
from app.services.events import GroupSpec, QuestionSpec
from app.services.security import generate_password

ORGANISER_EMAIL = "organiser@example.org"
PROGRAMME_SLUG = "lrap-battersea"
QUESTIONS = (
    "How can trust between Black Londoners and the Met be restored?",
    "How could the London Race Action Plan make a real difference in Battersea?",
    "What would make Black Londoners feel able to support the Met?",
)


@dataclass
class DemoLogin:
    email: str
    password: str | None  # None when the demo existed already: it is shown only once
    event: Event


def find_demo_event(session: Session) -> Event | None:
    org = session.exec(
        select(Organisation).where(Organisation.slug == "wandsworth-council")
    ).first()
    if org is None:
        return None
    return session.exec(
        select(Event).where(Event.organisation_id == org.id).order_by(Event.id)  # type: ignore[arg-type]
    ).first()


def seed(session: Session) -> DemoLogin:
    """Seed the demo when it is absent; safe to call on every start."""
    existing = find_demo_event(session)
    if existing is not None:
        return DemoLogin(email=ORGANISER_EMAIL, password=None, event=existing)
    council = accounts.create_organisation(
        session, name="Wandsworth Council", slug="wandsworth-council"
    )
    met = accounts.create_organisation(
        session, name="Metropolitan Police — South West BCU", slug="met-sw-bcu"
    )
    # Shared mailboxes residents can write to about their data (the privacy notice names them).
    council.contact_email = "data.protection@example.org"
    met.contact_email = "sw-bcu.privacy@example.org"
    password = generate_password()
    organiser = accounts.create_user(
        session, email=ORGANISER_EMAIL, password=password, name="Engagement lead"
    )
    for org in (council, met):
        accounts.add_member(session, user=organiser, organisation=org, role=Role.OWNER)
    facilitators = []
    for n in range(1, 7):
        user = accounts.create_user(
            session,
            email=f"facilitator{n}@example.org",
            password=generate_password(),
            name=f"Facilitator {n}",
        )
        accounts.add_member(
            session, user=user, organisation=council if n % 2 else met, role=Role.FACILITATOR
        )
        facilitators.append(user)
    council_id = id_of(council)
    programme = programmes.create_programme(
        session,
        organisation_id=council_id,
        name="London Race Action Plan — Battersea",
        slug=PROGRAMME_SLUG,
        description="Public meetings between residents of Battersea and the Metropolitan Police "
        "under the London Race Action Plan.",
    )
    london = ZoneInfo("Europe/London")
    today = utcnow().astimezone(london).date()
    starts = datetime.combine(today, time(18, 30), tzinfo=london)
    event = events.create_event(
        session,
        organisation_id=council_id,
        programme_id=programme.id,
        cohost_ids=[id_of(met)],
        title="Community meeting: rebuilding trust",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        venue="York Gardens Library",
        area="Battersea, Wandsworth",
        description="Residents and officers at discussion tables around three questions, then "
        "questions to the panel.",
        questions=[QuestionSpec(text=q, time_box_minutes=20) for q in QUESTIONS],
        groups=[
            GroupSpec(name=f"Table {n}", facilitator_ids=[u.id] if u.id else [])
            for n, u in enumerate(facilitators, start=1)
        ],
    )
    events.set_status(session, event=event, status=EventStatus.OPEN)
    votes.seed_votes(session, event=event)
    history.seed_past_meeting(
        session, programme=programme, starts=starts, organiser_id=organiser.id
    )
    seed_mentoring(session, organiser=organiser, met=met)
    return DemoLogin(email=ORGANISER_EMAIL, password=password, event=event)
