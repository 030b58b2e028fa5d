"""Consent across organisations (issue 14, items 1-3): another organisation can only ask.

Two organisations, A and B. B's staff try, through the API and through the pages, what was
seen working before: naming A as co-host, joining A's programme, naming A's staff, adding A's
people to B, and signing in as A's mentoring participant.
"""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, Invitation, Membership, Participant
from app.services import (
    accounts,
    actions,
    comments,
    events,
    hosting,
    invitations,
    programmes,
    summary,
)
from tests.support import factories, mentoring_factories

STARTS = datetime(2027, 3, 1, 18, tzinfo=UTC)


def _two_orgs(db: Session) -> dict:  # type: ignore[type-arg]
    a, b = factories.org(db, "Org A"), factories.org(db, "Org B")
    w = {
        "a": a,
        "b": b,
        "a_owner": factories.user(db, a, "owner"),
        "a_organiser": factories.user(db, a, "organiser"),
        "a_staff": factories.user(db, a, "facilitator"),
        "b_owner": factories.user(db, b, "owner"),
        "b_staff": factories.user(db, b, "facilitator"),
        "a_programme": programmes.create_programme(
            db, organisation_id=a.id or 0, name="A's series", slug="a-series"
        ),
    }
    db.commit()
    return w


def _b_creates_event_naming_a(client: TestClient, db: Session, w: dict) -> dict:  # type: ignore[type-arg]
    response = client.post(
        "/api/v1/events",
        headers=factories.token(db, w["b_owner"]),
        json={
            "title": "B's meeting under A's name",
            "starts_at": STARTS.isoformat(),
            "ends_at": (STARTS + timedelta(hours=2)).isoformat(),
            "organisation_id": w["b"].id,
            "cohost_ids": [w["a"].id],
            "programme_id": w["a_programme"].id,
            "groups": [{"name": "Table 1", "facilitator_ids": [w["b_staff"].id]}],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _open_close_publish(db: Session, event_id: int) -> None:
    event = db.get(Event, event_id)
    assert event is not None
    events.set_status(db, event=event, status="open")
    comments.submit_comment(db, event=event, body="B's words on A's page")
    actions.create(db, event=event, text="B's promise in A's tracker", status="agreed")
    events.set_status(db, event=event, status="closed")
    summary.publish(db, event=event)
    db.commit()


def test_naming_another_organisation_only_asks_it(client: TestClient, db: Session) -> None:
    w = _two_orgs(db)
    out = _b_creates_event_naming_a(client, db, w)
    assert out["cohost_ids"] == [] and out["programme_id"] is None
    asked = {(i["kind"], i["organisation_id"], i["status"]) for i in out["invitations"]}
    assert asked == {("cohost", w["a"].id, "pending"), ("programme", w["a"].id, "pending")}
    _open_close_publish(db, out["id"])

    a_headers = factories.token(db, w["a_organiser"])
    listed = client.get("/api/v1/events", headers=a_headers).json()["items"]
    assert out["id"] not in [e["id"] for e in listed]
    assert client.get(f"/api/v1/events/{out['id']}", headers=a_headers).status_code == 404
    for path in ("/p/a-series", "/p/a-series/feed.atom", "/p/a-series/actions.csv"):
        page = client.get(path)
        assert page.status_code == 200
        assert "B's meeting" not in page.text and "B's promise" not in page.text, path
    assert client.get(f"/p/a-series/events/{out['id']}").status_code == 404


def test_accepted_invitations_take_effect(client: TestClient, db: Session) -> None:
    w = _two_orgs(db)
    out = _b_creates_event_naming_a(client, db, w)
    a_headers = factories.token(db, w["a_organiser"])
    pending = client.get("/api/v1/invitations", headers=a_headers).json()
    assert {i["kind"] for i in pending} == {"cohost", "programme"}
    # B cannot answer for A.
    b_headers = factories.token(db, w["b_owner"])
    for i in pending:
        refused = client.post(f"/api/v1/invitations/{i['id']}/accept", headers=b_headers)
        assert refused.status_code == 404
    for i in pending:
        answer = client.post(f"/api/v1/invitations/{i['id']}/accept", headers=a_headers)
        assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    now = client.get(f"/api/v1/events/{out['id']}", headers=a_headers).json()
    assert now["cohost_ids"] == [w["a"].id] and now["programme_id"] == w["a_programme"].id
    assert (
        client.post(f"/api/v1/invitations/{pending[0]['id']}/accept", headers=a_headers).status_code
        == 409
    )

    # A co-hosts now; B naming A's staff still asks A first.
    groups = [{"name": "Table 1", "facilitator_ids": [w["b_staff"].id, w["a_staff"].id]}]
    patched = client.patch(
        f"/api/v1/events/{out['id']}", headers=b_headers, json={"groups": groups}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["groups"][0]["facilitator_ids"] == [w["b_staff"].id]
    ask = [i for i in client.get("/api/v1/invitations", headers=a_headers).json()]
    assert [i["kind"] for i in ask] == ["facilitator"]
    client.post(f"/api/v1/invitations/{ask[0]['id']}/accept", headers=a_headers)
    after = client.get(f"/api/v1/events/{out['id']}", headers=a_headers).json()
    assert sorted(after["groups"][0]["facilitator_ids"]) == sorted(
        [w["b_staff"].id, w["a_staff"].id]
    )


def test_staff_of_an_organisation_that_has_not_accepted_cannot_be_named(
    client: TestClient, db: Session
) -> None:
    w = _two_orgs(db)
    out = _b_creates_event_naming_a(client, db, w)
    groups = [{"name": "Table 1", "facilitator_ids": [w["a_staff"].id]}]
    response = client.patch(
        f"/api/v1/events/{out['id']}",
        headers=factories.token(db, w["b_owner"]),
        json={"groups": groups},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "groups.facilitator_ids"


def test_the_set_up_page_neither_names_nor_reveals_the_other_side(
    client: TestClient, db: Session
) -> None:
    w = _two_orgs(db)
    csrf = factories.login(client, w["b_owner"])
    form = {
        "csrf_token": csrf,
        "title": "B's form meeting",
        "starts_at": "2027-03-01T18:00",
        "ends_at": "2027-03-01T20:00",
        "roles": "Resident, community",
        "organisation_id": str(w["b"].id),
        "programme_id": str(w["a_programme"].id),
    }
    created = client.post(
        "/events/new", data={**form, "cohost_ids": str(w["a"].id)}, follow_redirects=False
    )
    assert created.status_code == 303, created.text
    event_id = int(created.headers["location"].rsplit("/", 1)[1])
    page = client.get(f"/events/{event_id}")
    assert "Waiting for an answer" in page.text and "Org A is asked to co-host" in page.text
    # A's staff e-mail and an unknown one get the same answer: nothing is told about A's people.
    answers = []
    for email in (w["a_staff"].email, "nobody.at.all@example.org"):
        response = client.post(
            f"/events/{event_id}",
            data={**form, "cohost_ids": str(w["a"].id), "groups": f"Table 1 | {email}"},
        )
        assert response.status_code == 422
        answers.append(response.text.replace(email, "EMAIL"))
        assert w["a_staff"].email not in client.get(f"/events/{event_id}").text
    assert "has the e-mail" in answers[0] and answers[0] == answers[1]
    event = db.get(Event, event_id)
    db.refresh(event)
    assert event is not None and event.programme_id is None
    assert hosting.cohost_ids(db, event) == []


def test_accepting_and_declining_through_the_page(client: TestClient, db: Session) -> None:
    w = _two_orgs(db)
    out = _b_creates_event_naming_a(client, db, w)
    csrf = factories.login(client, w["a_organiser"])
    page = client.get("/invitations")
    assert "Org A is asked to co-host" in page.text and "asks to join the programme" in page.text
    cohost, programme = sorted(
        db.exec(select(Invitation).where(Invitation.event_id == out["id"])).all(),
        key=lambda i: i.kind,
    )
    no_csrf = client.post(f"/invitations/{cohost.id}/accept", follow_redirects=False)
    assert no_csrf.status_code == 403
    done = client.post(f"/invitations/{cohost.id}/accept", data={"csrf_token": csrf})
    assert done.status_code == 200 and "Accepted" in done.text
    client.post(f"/invitations/{programme.id}/decline", data={"csrf_token": csrf})
    assert "Nothing is waiting" in client.get("/invitations").text
    assert client.get(f"/events/{out['id']}").status_code == 200  # A co-hosts it now
    db.expire_all()
    event = db.get(Event, out["id"])
    assert event is not None and event.programme_id is None


def test_adding_a_member_is_an_invitation_that_tells_nothing(
    client: TestClient, db: Session
) -> None:
    w = _two_orgs(db)
    b_headers = factories.token(db, w["b_owner"])
    path = f"/api/v1/organisations/{w['b'].id}/members"
    with_password = client.post(
        path,
        headers=b_headers,
        json={"email": w["a_staff"].email, "role": "facilitator", "password": "chosen-by-b-1"},
    )
    assert with_password.status_code == 422  # nobody chooses another person's password
    answers = [
        client.post(path, headers=b_headers, json={"email": email, "role": "organiser"})
        for email in (w["a_staff"].email, "new.person@example.org")
    ]
    assert [a.status_code for a in answers] == [202, 202]
    shapes = [
        {k: v for k, v in a.json()["invitation"].items() if k not in ("id", "email", "created_at")}
        for a in answers
    ]
    assert shapes[0] == shapes[1]
    assert all(a.json()["link"] for a in answers)  # no mail server: shown to the inviter once
    members = client.get(path, headers=b_headers).json()["items"]
    assert w["a_staff"].email not in [m["email"] for m in members]
    assert not db.exec(
        select(Membership).where(
            Membership.user_id == w["a_staff"].id, Membership.organisation_id == w["b"].id
        )
    ).first()


def test_the_invited_person_accepts_with_the_link(client: TestClient, db: Session) -> None:
    w = _two_orgs(db)
    b_headers = factories.token(db, w["b_owner"])
    path = f"/api/v1/organisations/{w['b'].id}/members"
    sent = client.post(
        path, headers=b_headers, json={"email": w["a_staff"].email, "role": "organiser"}
    )
    link = sent.json()["link"].replace("http://testserver", "")
    token = link.rsplit("/", 1)[1]
    # B's owner holds the link but cannot accept as A's member, nor set their password.
    assert (
        client.post(
            "/api/v1/invitations/link/accept", headers=b_headers, json={"token": token}
        ).status_code
        == 403
    )
    anonymous = client.get(link)
    assert anonymous.status_code == 200 and "Choose your password" in anonymous.text
    csrf = factories.CSRF_RE.search(anonymous.text)
    assert csrf
    taken = client.post(link, data={"csrf_token": csrf[1], "password": "b-chose-this-1"})
    assert taken.status_code == 409  # the account exists: its password is not for B to set
    assert accounts.authenticate(
        db, email=w["a_staff"].email, password=factories.PASSWORD, address=None
    )
    # The person themselves, signed in, accepts through the API.
    mine = factories.token(db, w["a_staff"])
    accepted = client.post("/api/v1/invitations/link/accept", headers=mine, json={"token": token})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert client.get(link).status_code == 404  # one use only
    members = client.get(path, headers=b_headers).json()["items"]
    assert w["a_staff"].email in [m["email"] for m in members]


def test_a_new_member_sets_their_own_password(client: TestClient, db: Session) -> None:
    w = _two_orgs(db)
    csrf = factories.login(client, w["b_owner"])
    page = client.post(
        f"/orgs/{w['b'].id}/members",
        data={"csrf_token": csrf, "email": "fresh@example.org", "role": "facilitator"},
    )
    assert page.status_code == 200 and "fresh@example.org invited" in page.text
    link = page.text.split('class="cg-secret">', 1)[1].split("<", 1)[0]
    assert accounts.get_user_by_email(db, "fresh@example.org") is None
    client.post("/logout", data={"csrf_token": csrf})
    form = client.get(link.replace("http://testserver", ""))
    token = factories.CSRF_RE.search(form.text)
    assert token
    short = client.post(link, data={"csrf_token": token[1], "password": "short"})
    assert short.status_code == 422 and "at least 10" in short.text
    done = client.post(
        link, data={"csrf_token": token[1], "password": "my own secret", "name": "Fresh"}
    )
    assert done.status_code == 200 and done.url.path == "/events"
    user = accounts.get_user_by_email(db, "fresh@example.org")
    assert user is not None and accounts.authenticate(
        db, email="fresh@example.org", password="my own secret", address=None
    )
    roles = accounts.list_members(db, w["b"].id or 0)
    assert ("fresh@example.org", "facilitator") in [(u.email, m.role) for m, u in roles]


def test_an_expired_link_is_refused(client: TestClient, db: Session) -> None:
    w = _two_orgs(db)
    invitation, secret = invitations.invite_person(
        db,
        kind="membership",
        organisation_id=w["b"].id or 0,
        email="late@example.org",
        role="facilitator",
        invited_by=w["b_owner"],
    )
    invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.add(invitation)
    db.commit()
    response = client.get(f"/invitations/t/{secret}")
    assert response.status_code == 404 and "expired" in response.text


def test_owners_never_see_tokens_that_act_for_another_organisation(
    client: TestClient, db: Session
) -> None:
    w = _two_orgs(db)
    both = w["a_staff"]
    accounts.add_member(db, user=both, organisation=w["b"], role="facilitator")
    token, _ = accounts.create_token(db, user=both, name="acts-for-A-and-B")
    only_b, _ = accounts.create_token(db, user=w["b_staff"], name="acts-for-B-only")
    db.commit()
    csrf = factories.login(client, w["b_owner"])
    page = client.get("/tokens").text
    assert "acts-for-A-and-B" not in page and "acts-for-B-only" in page
    refused = client.post(f"/tokens/{token.id}/revoke", data={"csrf_token": csrf})
    assert refused.status_code == 404
    db.refresh(token)
    assert token.revoked_at is None
    assert only_b.id is not None


def test_a_participant_is_linked_only_by_an_accepted_invitation(
    client: TestClient, db: Session
) -> None:
    s = mentoring_factories.scheme(db)
    victim = s.partner_person  # the partner's participant, with no account yet
    db.commit()
    # Before: an owner elsewhere could make an account with the participant's e-mail.
    impostor_org = factories.org(db)
    impostor = factories.user(db, impostor_org, "owner")
    impostor.email = victim.email
    db.add(impostor)
    db.commit()
    factories.login(client, impostor)
    assert client.get(f"/mentoring/{s.cohort.id}").status_code == 404
    headers = factories.token(db, impostor)
    assert s.cohort.id not in [
        c["id"] for c in client.get("/api/v1/cohorts", headers=headers).json()["items"]
    ]

    # The organiser invites a participant; the link's holder makes their account and is linked.
    newcomer = s.spare_lead
    organiser = factories.token(db, s.organiser)
    sent = client.post(
        f"/api/v1/cohorts/{s.cohort.id}/participants/{newcomer.id}/invitation", headers=organiser
    )
    assert sent.status_code == 202, sent.text
    link = sent.json()["link"].replace("http://testserver", "")
    assert client.get(f"/mentoring/{s.cohort.id}").status_code == 404  # still nothing for B
    client.cookies.clear()
    form = client.get(link)
    csrf = factories.CSRF_RE.search(form.text)
    assert csrf and "Take part in a mentoring cohort" in form.text
    done = client.post(link, data={"csrf_token": csrf[1], "password": "participant's own"})
    assert done.status_code == 200 and done.url.path == "/events"
    db.refresh(newcomer)
    assert newcomer.user_id is not None
    assert client.get(f"/mentoring/{s.cohort.id}").status_code == 200
    assert db.get(Participant, newcomer.id) is not None


def test_saving_the_form_keeps_a_programme_the_other_side_accepted(
    client: TestClient, db: Session
) -> None:
    w = _two_orgs(db)
    out = _b_creates_event_naming_a(client, db, w)
    a_headers = factories.token(db, w["a_organiser"])
    for i in client.get("/api/v1/invitations", headers=a_headers).json():
        client.post(f"/api/v1/invitations/{i['id']}/accept", headers=a_headers)
    csrf = factories.login(client, w["b_owner"])
    page = client.get(f"/events/{out['id']}").text
    assert f'<option value="{w["a_programme"].id}" selected>' in page
    saved = client.post(
        f"/events/{out['id']}",
        data={
            "csrf_token": csrf,
            "title": "Renamed by B",
            "starts_at": "2027-03-01T18:00",
            "ends_at": "2027-03-01T20:00",
            "roles": "Resident, community",
            "programme_id": str(w["a_programme"].id),
            "cohost_ids": str(w["a"].id),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    event = db.get(Event, out["id"])
    db.refresh(event)
    assert event is not None and event.programme_id == w["a_programme"].id
    assert hosting.cohost_ids(db, event) == [w["a"].id]


def test_someone_else_holding_a_link_cannot_decline_it(client: TestClient, db: Session) -> None:
    w = _two_orgs(db)
    _, secret = invitations.invite_person(
        db,
        kind="membership",
        organisation_id=w["b"].id or 0,
        email=w["a_staff"].email,
        role="facilitator",
        invited_by=w["b_owner"],
    )
    db.commit()
    refused = client.post(
        "/api/v1/invitations/link/decline",
        headers=factories.token(db, w["b_owner"]),
        json={"token": secret},
    )
    assert refused.status_code == 403
    assert client.get(f"/invitations/t/{secret}").status_code == 200  # still pending


def test_a_cohort_naming_another_organisation_only_asks_it(client: TestClient, db: Session) -> None:
    w = _two_orgs(db)
    csrf = factories.login(client, w["b_owner"])
    made = client.post(
        "/mentoring/new",
        data={
            "csrf_token": csrf,
            "name": "B's scheme with A",
            "slug": "b-scheme",
            "organisations": [str(w["b"].id), str(w["a"].id)],
            "starts_on": "2027-09-01",
            "ends_on": "2028-03-01",
            "stale_weeks": "4",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    cohort_path = made.headers["location"]
    client.cookies.clear()
    factories.login(client, w["a_organiser"])
    assert "B's scheme with A" not in client.get("/mentoring").text
    assert client.get(cohort_path).status_code == 404
    page = client.get("/invitations").text
    assert "Org A is asked to partner in the mentoring cohort" in page
    (asked,) = db.exec(select(Invitation).where(Invitation.kind == "cohort")).all()
    csrf = factories.csrf_from(client, "/invitations")
    client.post(f"/invitations/{asked.id}/accept", data={"csrf_token": csrf})
    assert client.get(cohort_path).status_code == 200
