"""Staff pages: signing in, creating and setting up events, members and API tokens."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import ApiToken, Event, Group, Membership, User
from tests.support import factories


def test_sign_in_and_out(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    page = client.get("/events")
    assert page.status_code == 200
    assert "Community meeting" in page.text
    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    again = client.get("/events", follow_redirects=False)
    assert again.status_code == 401
    assert 'action="/login"' in again.text
    assert 'name="next" value="/events"' in again.text


def test_wrong_password_is_refused(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    csrf = factories.csrf_from(client)
    bad = client.post(
        "/login", data={"email": w.owner.email, "password": "wrong", "csrf_token": csrf}
    )
    assert bad.status_code == 400
    assert "The e-mail or password is not right" in bad.text


def test_sign_in_without_the_form_token_is_refused(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    response = client.post("/login", data={"email": w.owner.email, "password": factories.PASSWORD})
    assert response.status_code == 403


def test_state_change_without_csrf_token_is_refused(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    factories.login(client, w.organiser)
    response = client.post(f"/events/{w.event.id}/status", data={"status": "closed"})
    assert response.status_code == 403
    db.refresh(w.event)
    assert w.event.status == "open"


def test_sign_in_never_redirects_off_site(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    response = client.post(
        "/login",
        data={
            "email": w.owner.email,
            "password": factories.PASSWORD,
            "next": "//evil.example/",
            "csrf_token": factories.csrf_from(client),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/events"


def test_create_event_form_shows_errors_next_to_fields(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    before = len(db.exec(select(Event)).all())
    response = client.post(
        "/events/new",
        data={
            "csrf_token": csrf,
            "title": "",
            "starts_at": "2027-02-01T20:00",
            "ends_at": "2027-02-01T18:00",
            "roles": "Resident, community",
        },
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert 'id="title-error"' in response.text
    assert "The end must be after the start" in response.text
    assert len(db.exec(select(Event)).all()) == before


def test_create_event_with_questions_tables_and_facilitators(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    response = client.post(
        "/events/new",
        data={
            "csrf_token": csrf,
            "title": "Spring meeting",
            "starts_at": "2027-04-01T18:30",
            "ends_at": "2027-04-01T20:30",
            "questions": "How can trust be restored?\nWhat would help?",
            "groups": f"Table 1 | {w.facilitator.email}\nTable 2",
            "roles": "Resident, community\nCouncillor, services",
            "moderation": "pre",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert "Spring meeting" in page.text
    assert w.facilitator.email in page.text
    event = db.exec(select(Event).where(Event.title == "Spring meeting")).one()
    assert event.moderation == "pre"
    # 18:30 in London in April is 17:30 UTC.
    assert event.starts_at.hour == 17
    assert len(db.exec(select(Group).where(Group.event_id == event.id)).all()) == 2


def test_setup_form_rejects_unknown_facilitator(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    response = client.post(
        f"/events/{w.event.id}",
        data={
            "csrf_token": csrf,
            "title": "Renamed",
            "starts_at": "2027-02-01T18:00",
            "ends_at": "2027-02-01T20:00",
            "groups": "Table 1 | nobody@example.org",
            "roles": "Resident, community",
        },
    )
    assert response.status_code == 422
    assert "No one in the hosting organisations has the e-mail nobody@example.org" in response.text
    db.refresh(w.event)
    assert w.event.title == "Community meeting"


def test_facilitator_sees_the_event_but_not_the_setup_form(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    factories.login(client, w.facilitator)
    page = client.get(f"/events/{w.event.id}")
    assert page.status_code == 200
    assert "Save changes" not in page.text
    assert client.get(f"/events/{w.other_event.id}").status_code == 404


def test_owner_invites_a_member_who_gets_a_link_once(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    csrf = factories.login(client, w.owner)
    response = client.post(
        f"/orgs/{w.org.id}/members",
        data={"csrf_token": csrf, "email": "New.Person@example.org", "role": "facilitator"},
    )
    assert response.status_code == 200
    assert "new.person@example.org invited" in response.text
    assert "/invitations/t/" in response.text  # no mail server: the link, shown once
    # Nobody has chosen their password: the account is made when they accept.
    assert db.exec(select(User).where(User.email == "new.person@example.org")).first() is None
    again = client.post(
        f"/orgs/{w.org.id}/members",
        data={"csrf_token": csrf, "email": w.facilitator.email, "role": "organiser"},
    )
    assert again.status_code == 422
    assert "already a member" in again.text


def test_the_last_owner_cannot_be_removed(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    csrf = factories.login(client, w.owner)
    mine = db.exec(select(Membership).where(Membership.user_id == w.owner.id)).one()
    response = client.post(f"/orgs/{w.org.id}/members/{mine.id}/remove", data={"csrf_token": csrf})
    assert response.status_code == 422
    assert "at least one owner" in response.text


def test_token_is_shown_once_stored_hashed_and_revocable(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    csrf = factories.login(client, w.owner)
    page = client.post("/tokens", data={"csrf_token": csrf, "name": "intranet export"})
    secret = page.text.split('id="new-token">', 1)[1].split("<", 1)[0]
    assert secret.startswith("cg_")
    stored = db.exec(select(ApiToken).where(ApiToken.name == "intranet export")).one()
    assert secret not in (stored.token_hash, stored.prefix)
    api = TestClient(client.app)
    assert (
        api.get("/api/v1/events", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )
    assert secret not in client.get("/tokens").text
    client.post(f"/tokens/{stored.id}/revoke", data={"csrf_token": csrf})
    assert (
        api.get("/api/v1/events", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_pages_send_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert "httponly" in response.headers["set-cookie"].lower()
    assert "samesite=lax" in response.headers["set-cookie"].lower()


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_session_cookie_is_secure_over_https(app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="https://testserver") as secure:
        assert "secure" in secure.get("/login").headers["set-cookie"].lower()
    with TestClient(app) as plain:
        assert "secure" not in plain.get("/login").headers["set-cookie"].lower()
