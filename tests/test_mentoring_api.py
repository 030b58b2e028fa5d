"""The mentoring API: what organisers, participants and outsiders get, and clear 4xx answers."""

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app.services.mentoring import cohorts, pairs, people
from tests.support import factories
from tests.support import mentoring_factories as mf


def _as(db: Session, user):  # type: ignore[no-untyped-def]
    headers = factories.token(db, user)
    db.commit()
    return headers


def test_organisers_list_cohorts_with_every_pair(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    for user in (s.organiser, s.partner_organiser):
        body = client.get("/api/v1/cohorts", headers=_as(db, user)).json()
        [cohort] = body["items"]
        assert cohort["viewer"] == "organiser"
        assert {p["id"] for p in cohort["pairs"]} == {s.pair.id, s.other_pair.id}
        assert cohort["participant_count"] == 6
        assert cohort["support"]["role"] == "Systemic therapist"


def test_a_participant_sees_only_their_own_pair_and_cohort(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    headers = _as(db, s.member)
    [cohort] = client.get("/api/v1/cohorts", headers=headers).json()["items"]
    assert cohort["viewer"] == "participant" and cohort["participant_count"] is None
    assert [p["id"] for p in cohort["pairs"]] == [s.pair.id]
    other = f"/api/v1/cohorts/{s.cohort.id}/pairings/{s.other_pair.id}/meetings"
    assert client.get(other, headers=headers).status_code == 404
    assert (
        client.get(f"/api/v1/cohorts/{s.cohort.id}/participants", headers=headers).status_code
        == 403
    )


def test_outsiders_see_no_cohort(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    headers = _as(db, s.outsider)
    assert client.get("/api/v1/cohorts", headers=headers).json()["items"] == []
    response = client.get(f"/api/v1/cohorts/{s.cohort.id}", headers=headers)
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "cohort_id"


def test_creating_a_cohort_needs_two_organisations(db: Session, client: TestClient) -> None:
    a, b = factories.org(db), factories.org(db)
    organiser = factories.user(db, a, "organiser")
    headers = _as(db, organiser)
    body = {"name": "C", "slug": "c-2027", "starts_on": "2027-09-01", "ends_on": "2028-03-01"}
    one = client.post("/api/v1/cohorts", json={**body, "organisations": [a.slug]}, headers=headers)
    assert one.status_code == 422
    assert one.json()["errors"][0]["field"] == "organisations"
    two = client.post(
        "/api/v1/cohorts", json={**body, "organisations": [b.slug, a.id]}, headers=headers
    )
    assert two.status_code == 201, two.text
    # The partner is asked, and joins the cohort when one of its organisers accepts (issue 14).
    assert {o["id"] for o in two.json()["organisations"]} == {a.id}
    assert two.json()["pairs"] == []
    partner = _as(db, factories.user(db, b, "organiser"))
    assert client.get(f"/api/v1/cohorts/{two.json()['id']}", headers=partner).status_code == 404
    (asked,) = client.get("/api/v1/invitations", headers=partner).json()
    assert asked["kind"] == "cohort"
    client.post(f"/api/v1/invitations/{asked['id']}/accept", headers=partner)
    joined = client.get(f"/api/v1/cohorts/{two.json()['id']}", headers=partner)
    assert {o["id"] for o in joined.json()["organisations"]} == {a.id, b.id}


def test_pairing_rules_answer_with_the_field(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    headers = _as(db, s.organiser)
    colleague = mf.participant(db, s.cohort, s.lead)
    db.commit()
    url = f"/api/v1/cohorts/{s.cohort.id}/pairings"
    same = client.post(
        url, json={"first_id": s.spare_lead.id, "second_id": colleague.id}, headers=headers
    )
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "second_id"
    busy = client.post(
        url, json={"first_id": s.spare_partner.id, "second_id": s.me.id}, headers=headers
    )
    assert busy.status_code == 409 and busy.json()["errors"][0]["field"] == "second_id"
    made = client.post(
        url, json={"first_id": s.spare_lead.id, "second_id": s.spare_partner.id}, headers=headers
    )
    assert made.status_code == 201 and made.json()["reason"] == "Paired by hand"


def test_the_pair_logs_meetings_by_date_and_length_only(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    headers = _as(db, s.member)
    url = f"/api/v1/cohorts/{s.cohort.id}/pairings/{s.pair.id}/meetings"
    today = cohorts.today()
    notes = client.post(
        url,
        json={"met_on": today.isoformat(), "minutes": 60, "notes": "We talked about X"},
        headers=headers,
    )
    assert notes.status_code == 422 and notes.json()["errors"][0]["field"] == "notes"
    future = client.post(
        url,
        json={"met_on": (today + timedelta(days=1)).isoformat(), "minutes": 60},
        headers=headers,
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "met_on"
    long = client.post(url, json={"met_on": today.isoformat(), "minutes": 600}, headers=headers)
    assert long.status_code == 422 and long.json()["errors"][0]["field"] == "minutes"
    ok = client.post(url, json={"met_on": today.isoformat(), "minutes": 50}, headers=headers)
    assert ok.status_code == 201 and set(ok.json()) == {"id", "met_on", "minutes"}
    assert client.get(url, headers=headers).json()["items"] == [ok.json()]
    fix = client.patch(f"{url}/{ok.json()['id']}", json={"minutes": 75}, headers=headers)
    assert fix.status_code == 200 and fix.json()["minutes"] == 75
    tomorrow = (today + timedelta(days=1)).isoformat()
    wrong = client.patch(f"{url}/{ok.json()['id']}", json={"met_on": tomorrow}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "met_on"
    elsewhere = f"/api/v1/cohorts/{s.cohort.id}/pairings/{s.other_pair.id}/meetings"
    other = pairs.log_meeting(
        db, cohort=s.cohort, pairing=s.other_pair, met_on=today, minutes=30, today=today
    )
    db.commit()
    assert (
        client.patch(f"{url}/{other.id}", json={"minutes": 5}, headers=headers).status_code == 404
    )
    assert (
        client.patch(f"{elsewhere}/{other.id}", json={"minutes": 5}, headers=headers).status_code
        == 404
    )
    organiser = _as(db, s.organiser)
    assert client.get(url, headers=organiser).status_code == 403
    cohort = client.get(f"/api/v1/cohorts/{s.cohort.id}", headers=organiser).json()
    mine = next(p for p in cohort["pairs"] if p["id"] == s.pair.id)
    assert (mine["meeting_count"], mine["last_met_on"]) == (1, today.isoformat())
    assert "minutes" not in str(cohort["pairs"])  # organisers see counts, not the meetings


def test_flags_follow_the_weeks_asked_for(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    headers = _as(db, s.organiser)
    url = f"/api/v1/cohorts/{s.cohort.id}"
    assert all(p["flagged"] for p in client.get(url, headers=headers).json()["pairs"])
    relaxed = client.get(url, params={"stale_weeks": 12}, headers=headers).json()
    assert not any(p["flagged"] for p in relaxed["pairs"])
    assert client.get(url, params={"stale_weeks": 0}, headers=headers).status_code == 422


def test_nominations_close_and_handover(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    nxt = mf.cohort(db, s.lead, s.partner, previous=s.cohort)
    member, organiser = _as(db, s.member), _as(db, s.organiser)
    url = f"/api/v1/cohorts/{s.cohort.id}/nominations"
    body = {
        "nominee_name": "Me",
        "nominee_email": s.member.email,
        "organisation": s.lead.id,
        "reason": "Keen",
    }
    assert client.post(url, json=body, headers=member).json()["errors"][0]["field"] == (
        "nominee_email"
    )
    body |= {"nominee_name": "Leah Morgan", "nominee_email": "leah@example.org"}
    made = client.post(url, json=body, headers=member)
    assert made.status_code == 201 and made.json()["nominator_id"] == s.me.id
    spoof = client.post(
        url,
        json={**body, "nominee_email": "x@example.org", "nominator_id": s.spare_lead.id},
        headers=member,
    )
    assert spoof.status_code == 403
    closed = client.patch(
        f"/api/v1/cohorts/{s.cohort.id}", json={"status": "closed"}, headers=organiser
    )
    assert closed.json()["status"] == "closed"
    alumni = client.get(f"/api/v1/cohorts/{s.cohort.id}/alumni", headers=organiser).json()
    assert s.me.name in {a["name"] for a in alumni["items"]}
    handed = client.post(
        f"/api/v1/cohorts/{s.cohort.id}/handover",
        json={"next_cohort_id": nxt.id},
        headers=organiser,
    )
    assert handed.status_code == 200, handed.text
    [created] = handed.json()["created"]
    assert created["email"] == "leah@example.org"
    listed = client.get(url, headers=organiser).json()
    assert listed["total"] == 1 and listed["items"][0]["participant_id"] == created["id"]


def test_interests_are_approved_into_participants(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    interest = people.submit_interest(
        db,
        cohort=s.cohort,
        person=people.Person("Keen Person", "keen@example.org", s.partner.id or 0),
        today=cohorts.today(),
    )
    headers = _as(db, s.partner_organiser)
    url = f"/api/v1/cohorts/{s.cohort.id}/interests/{interest.id}"
    approved = client.patch(url, json={"status": "approved"}, headers=headers)
    assert approved.json()["participant_id"] is not None
    again = client.patch(url, json={"status": "declined"}, headers=headers)
    assert again.status_code == 409


def test_sessions_and_actions_of_a_cohort(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    headers = _as(db, s.organiser)
    base = f"/api/v1/cohorts/{s.cohort.id}"
    made = client.post(
        f"{base}/sessions",
        json={
            "title": "Reflection",
            "starts_at": "2027-01-05T16:00:00Z",
            "ends_at": "2027-01-05T18:00:00Z",
        },
        headers=headers,
    )
    assert made.json()["recording"] == "not_recorded"
    event = client.get(f"/api/v1/events/{made.json()['id']}", headers=headers).json()
    assert event["recording"] == "not_recorded"
    action = client.post(
        f"{base}/actions",
        json={"event_id": made.json()["id"], "text": "Joint youth project"},
        headers=headers,
    )
    assert action.status_code == 201
    cohort = client.get(base, headers=headers).json()
    assert [a["text"] for a in cohort["actions"]] == ["Joint youth project"]
    assert [e["title"] for e in cohort["group_sessions"]] == ["Reflection"]


def test_exports_hold_pairs_meeting_counts_nominations_and_alumni(
    db: Session, client: TestClient
) -> None:
    s = mf.scheme(db)
    today = cohorts.today()
    pairs.log_meeting(db, cohort=s.cohort, pairing=s.pair, met_on=today, minutes=60, today=today)
    people.nominate(
        db,
        cohort=s.cohort,
        nominator=s.me,
        name="=Leah",
        email="leah@example.org",
        organisation_id=s.lead.id or 0,
        reason="Carries it on",
    )
    headers = _as(db, s.organiser)
    text = client.get(f"/api/v1/cohorts/{s.cohort.id}/export/csv", headers=headers)
    assert text.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    pair_row = next(r for r in rows if r and r[0] == s.partner_person.name)
    assert pair_row[2] == s.me.name and pair_row[5] == "1" and pair_row[6] == today.isoformat()
    assert any(r[:2] == [s.me.name, "'=Leah"] for r in rows)  # no formula injection
    book = client.get(f"/api/v1/cohorts/{s.cohort.id}/export/xlsx", headers=headers)
    sheets = load_workbook(io.BytesIO(book.content)).sheetnames
    assert sheets[:2] == ["Pairs", "Nominations"] and sheets[2].startswith("Alumni")
    assert (
        client.get(f"/api/v1/cohorts/{s.cohort.id}/export/pdf", headers=headers).status_code == 404
    )
    member = _as(db, s.member)
    assert (
        client.get(f"/api/v1/cohorts/{s.cohort.id}/export/csv", headers=member).status_code == 403
    )


def test_lists_come_in_pages(db: Session, client: TestClient) -> None:
    s = mf.scheme(db)
    headers = _as(db, s.organiser)
    url = f"/api/v1/cohorts/{s.cohort.id}/participants"
    page = client.get(url, params={"limit": 2, "offset": 1}, headers=headers).json()
    assert (page["total"], len(page["items"]), page["offset"]) == (6, 2, 1)
    assert client.get(url, params={"limit": 0}, headers=headers).status_code == 422
