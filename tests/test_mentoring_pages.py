"""The mentoring pages as organisers, participants and the public use them."""

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.services.mentoring import cohorts, flows, pairs, people
from tests.support import factories
from tests.support import mentoring_factories as mf


def _signed_in(db: Session, client: TestClient, user) -> str:  # type: ignore[no-untyped-def]
    db.commit()
    return factories.login(client, user)


def test_the_cohort_view_shows_pairs_counts_and_flags(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    today = cohorts.today()
    pairs.log_meeting(db, cohort=s.cohort, pairing=s.pair, met_on=today, minutes=60, today=today)
    _signed_in(db, client, s.organiser)
    page = client.get(f"/mentoring/{s.cohort.id}")
    assert page.status_code == 200
    assert s.me.name in page.text and s.partner_person.name in page.text
    assert "1 pair has not met for 4 weeks or more" in page.text
    assert "Not met for 8 weeks" in page.text
    relaxed = client.get(f"/mentoring/{s.cohort.id}?stale_weeks=10")
    assert "Not met for" not in relaxed.text and "weeks or more" not in relaxed.text


def test_a_participant_sees_their_pair_and_why_there_are_no_notes(
    db: Session, client: TestClient
) -> None:
    s = mf.scheme(db)
    csrf = _signed_in(db, client, s.member)
    page = client.get(f"/mentoring/{s.cohort.id}")
    assert f"You are paired with <strong>{s.partner_person.name}</strong>" in page.text
    assert "There is no notes field, on purpose" in page.text
    other = pairs.pair_views(db, cohort=s.cohort, today=cohorts.today())
    strangers = {v.first.name for v in other if v.pairing.id == s.other_pair.id}
    assert not any(name in page.text for name in strangers)
    assert 'name="notes"' not in page.text and "<textarea" in page.text  # only the nomination
    future = (cohorts.today() + timedelta(days=2)).isoformat()
    refused = client.post(
        f"/mentoring/{s.cohort.id}/meetings",
        data={"met_on": future, "minutes": "60", "csrf_token": csrf},
    )
    assert refused.status_code == 422 and "cannot be in the future" in refused.text
    logged = client.post(
        f"/mentoring/{s.cohort.id}/meetings",
        data={"met_on": cohorts.today().isoformat(), "minutes": "45", "csrf_token": csrf},
        follow_redirects=True,
    )
    assert "45 minutes" in logged.text and "met 1 time" in logged.text


def test_a_participant_nominates_from_their_page_but_not_themselves(
    db: Session, client: TestClient
) -> None:
    s = mf.scheme(db)
    csrf = _signed_in(db, client, s.member)
    form = {
        "nominee_name": "Me",
        "nominee_email": s.member.email,
        "organisation": str(s.lead.id),
        "reason": "Keen",
        "csrf_token": csrf,
    }
    refused = client.post(f"/mentoring/{s.cohort.id}/nominations", data=form)
    assert refused.status_code == 422 and "not yourself" in refused.text
    form |= {"nominee_name": "Leah Morgan", "nominee_email": "leah@example.org"}
    done = client.post(f"/mentoring/{s.cohort.id}/nominations", data=form, follow_redirects=True)
    assert done.status_code == 200 and "Leah Morgan" in done.text
    assert client.get(f"/mentoring/{s.cohort.id}/nominations").status_code == 403


def test_the_public_interest_form_is_csrf_protected_and_only_open_in_its_window(
    db: Session, client: TestClient
) -> None:
    s = mf.scheme(db)
    slug = mf.programme_of(db, s.cohort).slug
    db.commit()
    page = client.get(f"/p/{slug}/interest")
    assert page.status_code == 200 and "Express interest" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    form = {
        "name": "Keen Person",
        "email": "keen@example.org",
        "organisation": str(s.lead.id),
        "scheme_role": "mentee",
        "seniority": "2",
    }
    assert client.post(f"/p/{slug}/interest", data=form).status_code == 403
    done = client.post(f"/p/{slug}/interest", data={**form, "csrf_token": csrf.group(1)})
    assert done.status_code == 200 and "Thank you" in done.text
    [interest] = people.list_interests(db, s.cohort.id)
    assert (interest.status, interest.scheme_role, interest.seniority) == ("pending", "mentee", 2)
    closed = mf.cohort(db, s.lead, s.partner, window_open=False)
    closed_slug = mf.programme_of(db, closed).slug
    db.commit()
    assert "not open" in client.get(f"/p/{closed_slug}/interest").text
    late = client.post(f"/p/{closed_slug}/interest", data={**form, "csrf_token": csrf.group(1)})
    assert late.status_code == 409
    assert client.get("/p/no-such-scheme/interest").status_code == 404


def test_organisers_approve_interest_pair_by_suggestion_and_hand_over(
    db: Session, client: TestClient
) -> None:
    s = mf.scheme(db)
    interest = people.submit_interest(
        db,
        cohort=s.cohort,
        person=people.Person("Keen Person", "keen@example.org", s.partner.id or 0),
        today=cohorts.today(),
    )
    nxt = mf.cohort(db, s.lead, s.partner, previous=s.cohort)
    people.nominate(
        db,
        cohort=s.cohort,
        nominator=s.me,
        name="Leah Morgan",
        email="leah@example.org",
        organisation_id=s.lead.id or 0,
        reason="Runs the youth forum",
    )
    csrf = _signed_in(db, client, s.organiser)
    client.post(
        f"/mentoring/{s.cohort.id}/interests/{interest.id}",
        data={"status": "approved", "csrf_token": csrf},
    )
    listing = client.get(f"/mentoring/{s.cohort.id}/participants")
    assert "Keen Person" in listing.text
    pairing = client.get(f"/mentoring/{s.cohort.id}/pairing")
    assert f"{s.spare_lead.name} and {s.spare_partner.name}" in pairing.text
    assert "seniority 3" in pairing.text and "stays unpaired" in pairing.text
    same = client.post(
        f"/mentoring/{s.cohort.id}/pairing",
        data={"first_id": str(s.spare_lead.id), "second_id": str(s.me.id), "csrf_token": csrf},
    )
    assert same.status_code == 422 and "different organisations" in same.text
    client.post(f"/mentoring/{s.cohort.id}/pairing/suggested", data={"csrf_token": csrf})
    assert [p.email for p in pairs.unpaired(db, s.cohort.id)] == ["keen@example.org"]
    handed = client.post(
        f"/mentoring/{s.cohort.id}/handover",
        data={"next_cohort_id": str(nxt.id), "csrf_token": csrf},
    )
    assert handed.status_code == 200 and "1 nominee is now" in handed.text
    assert people.find_participant(db, nxt.id, "leah@example.org") is not None


def test_closing_a_cohort_from_its_page_lists_alumni(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    csrf = _signed_in(db, client, s.organiser)
    closed = client.post(
        f"/mentoring/{s.cohort.id}/close", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "This cohort closed" in closed.text
    alumni = client.get(f"/mentoring/{s.cohort.id}/alumni")
    assert s.me.name in alumni.text and s.partner_person.name in alumni.text


def test_group_sessions_and_actions_from_the_cohort_page(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    csrf = _signed_in(db, client, s.organiser)
    bad = client.post(
        f"/mentoring/{s.cohort.id}/sessions",
        data={"title": "", "starts_at": "soon", "ends_at": "2027-01-05T18:00", "csrf_token": csrf},
    )
    assert bad.status_code == 422 and "Enter a title" in bad.text
    client.post(
        f"/mentoring/{s.cohort.id}/sessions",
        data={
            "title": "Reflection",
            "starts_at": "2027-01-05T16:00",
            "ends_at": "2027-01-05T18:00",
            "csrf_token": csrf,
        },
    )
    [event] = flows.group_sessions(db, mf.programme_of(db, s.cohort).id)
    assert event.recording == "not_recorded"
    client.post(
        f"/mentoring/{s.cohort.id}/actions",
        data={
            "event_id": str(event.id),
            "text": "Police represented at round tables",
            "csrf_token": csrf,
        },
    )
    page = client.get(f"/mentoring/{s.cohort.id}")
    assert "Police represented at round tables" in page.text and "Reflection" in page.text


def test_creating_a_cohort_from_the_form(db: Session, client: TestClient) -> None:
    a, b = factories.org(db), factories.org(db)
    organiser = factories.user(db, a, "organiser")
    csrf = _signed_in(db, client, organiser)
    form = {
        "name": "Cohort 2027",
        "slug": "cohort-2027",
        "organisations": [str(a.id)],
        "starts_on": "2027-09-01",
        "ends_on": "2028-03-01",
        "stale_weeks": "4",
        "csrf_token": csrf,
    }
    one = client.post("/mentoring/new", data=form)
    assert one.status_code == 422 and "two or more organisations" in one.text
    made = client.post(
        "/mentoring/new",
        data={**form, "organisations": [str(a.id), str(b.id)]},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert client.get(made.headers["location"]).status_code == 200


def test_organisers_open_the_interest_window_from_the_cohort_page(
    db: Session, client: TestClient
) -> None:
    a, b = factories.org(db), factories.org(db)
    organiser = factories.user(db, a, "organiser")
    closed = mf.cohort(db, a, b, window_open=False)
    csrf = _signed_in(db, client, organiser)
    today = cohorts.today()
    form = {
        "starts_on": closed.starts_on.isoformat(),
        "ends_on": closed.ends_on.isoformat(),
        "interest_opens_on": today.isoformat(),
        "interest_closes_on": "",
        "stale_weeks": "3",
        "support_role": "Systemic therapist",
        "csrf_token": csrf,
    }
    half = client.post(f"/mentoring/{closed.id}/settings", data=form)
    assert half.status_code == 422 and "Give both ends" in half.text
    form["interest_closes_on"] = (today + timedelta(days=7)).isoformat()
    saved = client.post(f"/mentoring/{closed.id}/settings", data=form, follow_redirects=True)
    assert "Saved" in saved.text and "open now" in saved.text
    assert closed.stale_weeks == 3 and cohorts.interest_open(closed, today)
