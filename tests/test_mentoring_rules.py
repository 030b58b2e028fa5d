"""The mentoring rules, at the service layer: pairs, meetings, nominations, closing, handover."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.models import Action, Event, Nomination
from app.services import comments, events
from app.services.access import cohort_organisation_ids, load_cohort, principal_for
from app.services.errors import Conflict, DomainError, Forbidden, NotFound
from app.services.mentoring import cohorts, flows, pairs, people
from app.services.mentoring.people import Person
from tests.support import factories
from tests.support import mentoring_factories as mf


def test_a_cohort_needs_two_organisations_and_sane_dates(db: Session) -> None:
    a, b = factories.org(db), factories.org(db)
    start = cohorts.today()
    with pytest.raises(DomainError) as one_org:
        cohorts.create_cohort(
            db,
            organisation_id=a.id or 0,
            partner_ids=[a.id or 0],
            name="C",
            slug="c-one",
            starts_on=start,
            ends_on=start + timedelta(days=10),
        )
    assert one_org.value.field == "organisations"
    with pytest.raises(DomainError) as backwards:
        cohorts.create_cohort(
            db,
            organisation_id=a.id or 0,
            partner_ids=[b.id or 0],
            name="C",
            slug="c-two",
            starts_on=start,
            ends_on=start - timedelta(days=1),
        )
    assert backwards.value.field == "ends_on"
    with pytest.raises(DomainError) as half_window:
        cohorts.create_cohort(
            db,
            organisation_id=a.id or 0,
            partner_ids=[b.id or 0],
            name="C",
            slug="c-three",
            starts_on=start,
            ends_on=start + timedelta(days=10),
            interest_opens_on=start,
        )
    assert half_window.value.field == "interest_closes_on"


def test_a_cohort_is_a_mentoring_programme(db: Session) -> None:
    s = mf.scheme(db)
    programme = mf.programme_of(db, s.cohort)
    assert programme.kind == "mentoring"
    assert set(cohort_organisation_ids(db, s.cohort.id)) == {s.lead.id, s.partner.id}


def test_a_same_organisation_pair_is_refused(db: Session) -> None:
    s = mf.scheme(db)
    colleague = mf.participant(db, s.cohort, s.lead)
    with pytest.raises(DomainError) as exc:
        pairs.make_pair(
            db, cohort=s.cohort, first_id=s.spare_lead.id or 0, second_id=colleague.id or 0
        )
    assert exc.value.field == "second_id"
    assert "different organisations" in exc.value.message


def test_a_participant_cannot_be_in_two_active_pairs(db: Session) -> None:
    s = mf.scheme(db)
    with pytest.raises(Conflict) as exc:
        pairs.make_pair(
            db, cohort=s.cohort, first_id=s.me.id or 0, second_id=s.spare_partner.id or 0
        )
    assert exc.value.field == "first_id"
    assert s.me.name in exc.value.message
    pairs.end_pair(db, pairing=s.pair)
    again = pairs.make_pair(
        db, cohort=s.cohort, first_id=s.me.id or 0, second_id=s.spare_partner.id or 0
    )
    assert again.status == "active"


def test_a_participant_of_another_cohort_cannot_be_paired_here(db: Session) -> None:
    s = mf.scheme(db)
    elsewhere = mf.cohort(db, s.lead, s.partner)
    stranger = mf.participant(db, elsewhere, s.partner)
    with pytest.raises(NotFound):
        pairs.make_pair(
            db, cohort=s.cohort, first_id=s.spare_lead.id or 0, second_id=stranger.id or 0
        )


@pytest.mark.parametrize(
    ("offset_days", "minutes", "field"),
    [
        (1, 60, "met_on"),  # tomorrow: in the future
        (None, 60, "met_on"),  # before the cohort started
        (0, 0, "minutes"),
        (0, -30, "minutes"),
        (0, 481, "minutes"),
    ],
)
def test_meetings_outside_the_cohort_in_the_future_or_of_absurd_length_are_refused(
    db: Session, offset_days: int | None, minutes: int, field: str
) -> None:
    s = mf.scheme(db)
    today = cohorts.today()
    met_on = s.cohort.starts_on - timedelta(days=1) if offset_days is None else today
    if offset_days:
        met_on = today + timedelta(days=offset_days)
    with pytest.raises(DomainError) as exc:
        pairs.log_meeting(
            db, cohort=s.cohort, pairing=s.pair, met_on=met_on, minutes=minutes, today=today
        )
    assert exc.value.field == field
    assert pairs.list_meetings(db, s.pair.id) == []


def test_a_meeting_after_the_cohort_ended_is_refused(db: Session) -> None:
    a, b = factories.org(db), factories.org(db)
    old = mf.cohort(db, a, b, starts_on=cohorts.today() - timedelta(weeks=40), weeks=26)
    x, y = mf.participant(db, old, a), mf.participant(db, old, b)
    pairing = pairs.make_pair(db, cohort=old, first_id=x.id or 0, second_id=y.id or 0)
    with pytest.raises(DomainError) as exc:
        pairs.log_meeting(
            db,
            cohort=old,
            pairing=pairing,
            met_on=old.ends_on + timedelta(days=1),
            minutes=60,
            today=cohorts.today(),
        )
    assert "within the cohort" in exc.value.message


def test_meetings_at_the_limits_are_kept_and_counted(db: Session) -> None:
    s = mf.scheme(db)
    today = cohorts.today()
    pairs.log_meeting(
        db, cohort=s.cohort, pairing=s.pair, met_on=s.cohort.starts_on, minutes=1, today=today
    )
    pairs.log_meeting(db, cohort=s.cohort, pairing=s.pair, met_on=today, minutes=480, today=today)
    view = next(
        v for v in pairs.pair_views(db, cohort=s.cohort, today=today) if v.pairing == s.pair
    )
    assert (view.meeting_count, view.last_met_on, view.flagged) == (2, today, False)


def test_pairs_that_have_not_met_for_n_weeks_are_flagged(db: Session) -> None:
    s = mf.scheme(db)  # the cohort started eight weeks ago
    today = cohorts.today()
    pairs.log_meeting(
        db,
        cohort=s.cohort,
        pairing=s.pair,
        met_on=today - timedelta(weeks=3),
        minutes=45,
        today=today,
    )
    views = {v.pairing.id: v for v in pairs.pair_views(db, cohort=s.cohort, today=today)}
    assert views[s.pair.id].weeks_since == 3 and not views[s.pair.id].flagged
    assert views[s.other_pair.id].flagged  # never met in eight weeks; default is four
    strict = {
        v.pairing.id: v for v in pairs.pair_views(db, cohort=s.cohort, today=today, stale_weeks=2)
    }
    assert strict[s.pair.id].flagged
    lenient = pairs.pair_views(db, cohort=s.cohort, today=today, stale_weeks=10)
    assert not any(v.flagged for v in lenient)


def test_a_participant_view_holds_only_their_own_pair(db: Session) -> None:
    s = mf.scheme(db)
    views = pairs.pair_views(
        db, cohort=s.cohort, today=cohorts.today(), only_participant_id=s.me.id
    )
    assert [v.pairing.id for v in views] == [s.pair.id]


def test_nominating_oneself_is_refused(db: Session) -> None:
    s = mf.scheme(db)
    with pytest.raises(DomainError) as exc:
        people.nominate(
            db,
            cohort=s.cohort,
            nominator=s.me,
            name="Me Again",
            email=s.me.email.upper(),
            organisation_id=s.lead.id or 0,
            reason="I am great",
        )
    assert exc.value.field == "nominee_email"


def test_a_nomination_needs_a_reason_and_a_scheme_organisation(db: Session) -> None:
    s = mf.scheme(db)
    stranger_org = factories.org(db)
    with pytest.raises(DomainError) as no_reason:
        people.nominate(
            db,
            cohort=s.cohort,
            nominator=s.me,
            name="A B",
            email="a.b@example.org",
            organisation_id=s.lead.id or 0,
            reason="  ",
        )
    assert no_reason.value.field == "reason"
    with pytest.raises(DomainError) as wrong_org:
        people.nominate(
            db,
            cohort=s.cohort,
            nominator=s.me,
            name="A B",
            email="a.b@example.org",
            organisation_id=stranger_org.id or 0,
            reason="Good",
        )
    assert wrong_org.value.field == "organisation"


def test_interest_only_while_the_window_is_open_and_approval_makes_a_participant(
    db: Session,
) -> None:
    s = mf.scheme(db)
    person = Person(name="Keen Person", email="keen@example.org", organisation_id=s.lead.id or 0)
    interest = people.submit_interest(db, cohort=s.cohort, person=person, today=cohorts.today())
    with pytest.raises(Conflict):
        people.submit_interest(db, cohort=s.cohort, person=person, today=cohorts.today())
    people.decide_interest(db, cohort=s.cohort, interest=interest, status="approved")
    assert interest.participant_id is not None
    assert people.find_participant(db, s.cohort.id, "keen@example.org") is not None
    with pytest.raises(Conflict):
        people.decide_interest(db, cohort=s.cohort, interest=interest, status="declined")
    closed = mf.cohort(db, s.lead, s.partner, window_open=False)
    with pytest.raises(Conflict) as exc:
        people.submit_interest(db, cohort=closed, person=person, today=cohorts.today())
    assert "not open" in exc.value.message


def test_group_sessions_are_not_recorded_events_of_the_programme(db: Session) -> None:
    s = mf.scheme(db)
    programme = mf.programme_of(db, s.cohort)
    start = datetime(2027, 1, 5, 16, tzinfo=UTC)
    event = flows.add_group_session(
        db,
        cohort=s.cohort,
        programme=programme,
        title="Reflection",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    assert event.recording == "not_recorded"
    assert event.programme_id == programme.id
    assert flows.group_sessions(db, programme.id) == [event]
    action = flows.add_action(
        db, programme=programme, event_id=event.id or 0, text="Police represented at round tables"
    )
    assert flows.cohort_actions(db, programme.id) == [action]
    assert db.get(Action, action.id) is not None


def test_actions_belong_to_the_cohorts_own_sessions(db: Session) -> None:
    s = mf.scheme(db)
    other = factories.event(db, s.lead)
    with pytest.raises(DomainError) as exc:
        flows.add_action(
            db, programme=mf.programme_of(db, s.cohort), event_id=other.id or 0, text="Not ours"
        )
    assert exc.value.field == "event_id"


def test_closing_makes_alumni_ends_pairs_and_freezes_the_cohort(db: Session) -> None:
    s = mf.scheme(db)
    flows.close_cohort(db, cohort=s.cohort)
    assert s.cohort.status == "closed" and s.pair.status == "ended"
    names = {a.name for a in people.alumni(db, s.cohort.scheme)}
    assert s.me.name in names and s.partner_person.name in names
    with pytest.raises(Conflict):
        pairs.log_meeting(
            db,
            cohort=s.cohort,
            pairing=s.pair,
            met_on=cohorts.today(),
            minutes=30,
            today=cohorts.today(),
        )
    with pytest.raises(Conflict):
        flows.close_cohort(db, cohort=s.cohort)


def test_alumni_run_across_the_cohorts_of_a_scheme_once_each(db: Session) -> None:
    s = mf.scheme(db)
    nxt = mf.cohort(db, s.lead, s.partner, previous=s.cohort)
    assert nxt.scheme == s.cohort.scheme
    again = mf.participant(db, nxt, s.lead, email=s.me.email, name=s.me.name)
    newcomer = mf.participant(db, nxt, s.partner)
    flows.close_cohort(db, cohort=s.cohort)
    flows.close_cohort(db, cohort=nxt)
    alumni = {a.email: a for a in people.alumni(db, s.cohort.scheme)}
    assert len(alumni[again.email].cohorts) == 2
    assert newcomer.email in alumni
    unrelated = mf.cohort(db, s.lead, s.partner)
    assert unrelated.scheme != s.cohort.scheme


def test_handover_turns_nominations_into_next_cohort_participants_in_one_step(
    db: Session,
) -> None:
    s = mf.scheme(db)
    nxt = mf.cohort(db, s.lead, s.partner, previous=s.cohort)
    kept = people.nominate(
        db,
        cohort=s.cohort,
        nominator=s.me,
        name="Leah Morgan",
        email="leah@example.org",
        organisation_id=s.lead.id or 0,
        reason="Runs the youth forum",
    )
    known = mf.participant(db, nxt, s.partner, email="known@example.org")
    linked = people.nominate(
        db,
        cohort=s.cohort,
        nominator=s.partner_person,
        name="Known",
        email="known@example.org",
        organisation_id=s.partner.id or 0,
        reason="Already keen",
    )
    result = flows.handover(db, cohort=s.cohort, next_cohort=nxt)
    assert [p.email for p in result.created] == ["leah@example.org"]
    assert kept.participant_id == result.created[0].id
    assert result.created[0].cohort_id == nxt.id
    assert linked.participant_id == known.id
    nomination = db.exec(select(Nomination).where(Nomination.id == kept.id)).one()
    assert nomination.nominator_id == s.me.id  # the nominator -> nominee link is kept
    with pytest.raises(Conflict):
        flows.handover(db, cohort=s.cohort, next_cohort=nxt)


def test_handover_needs_a_later_cohort_of_the_same_scheme(db: Session) -> None:
    s = mf.scheme(db)
    people.nominate(
        db,
        cohort=s.cohort,
        nominator=s.me,
        name="A B",
        email="a.b@example.org",
        organisation_id=s.lead.id or 0,
        reason="Good",
    )
    unrelated = mf.cohort(db, s.lead, s.partner)
    with pytest.raises(DomainError) as exc:
        flows.handover(db, cohort=s.cohort, next_cohort=unrelated)
    assert exc.value.field == "next_cohort_id"


def test_the_cohort_is_hidden_from_outsiders_and_read_only_for_participants(
    db: Session,
) -> None:
    s = mf.scheme(db)
    member = principal_for(db, s.member)
    access = load_cohort(db, member, s.cohort.id or 0, "view")
    assert access.participant == s.me and not access.manage
    with pytest.raises(Forbidden):
        load_cohort(db, member, s.cohort.id or 0, "manage")
    with pytest.raises(NotFound):
        load_cohort(db, principal_for(db, s.outsider), s.cohort.id or 0, "view")
    partner = principal_for(db, s.partner_organiser)
    assert load_cohort(db, partner, s.cohort.id or 0, "manage").manage


def test_group_sessions_show_in_events_as_closed_not_recorded(db: Session) -> None:
    s = mf.scheme(db)
    programme = mf.programme_of(db, s.cohort)
    start = datetime(2027, 1, 5, 16, tzinfo=UTC)
    flows.add_group_session(
        db,
        cohort=s.cohort,
        programme=programme,
        title="S",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    rows = db.exec(select(Event).where(Event.programme_id == programme.id)).all()
    assert [(e.recording, e.equality_monitoring) for e in rows] == [("not_recorded", False)]


def test_a_participant_with_an_account_is_linked_to_it(db: Session) -> None:
    s = mf.scheme(db)
    assert s.me.user_id == s.member.id
    assert s.spare_lead.user_id is None


def test_comments_are_refused_on_a_group_session_even_when_it_is_open(db: Session) -> None:
    s = mf.scheme(db)
    start = datetime(2027, 1, 5, 16, tzinfo=UTC)
    event = flows.add_group_session(
        db,
        cohort=s.cohort,
        programme=mf.programme_of(db, s.cohort),
        title="Reflection",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    events.set_status(db, event=event, status="open")
    with pytest.raises(Conflict) as exc:
        comments.submit_comment(db, event=event, body="What we said")
    assert "not recorded" in exc.value.message
