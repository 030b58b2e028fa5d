"""Error answers through a real server, signed in or not: each keeps its status (404, 403, 409,
422) on a page for the browser and in the API's shape for the API, never a 500.

A TestClient renders the error page inside the request's database session; a real server
renders it after the session has closed, which is where signed-in error pages used to fail.
"""

from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import Session

from app.db import make_engine
from app.models import Organisation
from tests.support import factories
from tests.support.databases import create_scratch_database
from tests.support.factories import CSRF_RE, PASSWORD
from tests.support.live_server import LiveServer, Seeded, seed

HUGE = "99999999999999999999"
HTML = {"Accept": "text/html"}


@dataclass
class World:
    server: LiveServer
    meeting: Seeded
    owner_email: str


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    server = LiveServer(create_scratch_database("cg_errors"), name="error-pages-server")
    try:
        meeting = seed(server.database_url)
        engine = make_engine(server.database_url)
        with Session(engine) as session:
            org = session.get(Organisation, meeting.event.organisation_id)
            assert org is not None
            owner_email = factories.user(session, org, "owner").email
            session.commit()
        engine.dispose()
        yield World(server, meeting, owner_email)
    finally:
        server.stop()


def signed_in(server: LiveServer, email: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url, timeout=10)
    match = CSRF_RE.search(client.get("/login").text)
    assert match
    signed = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": match[1]}
    )
    assert signed.status_code == 303, signed.text
    csrf = CSRF_RE.search(client.get("/events").text)
    assert csrf
    return client, csrf[1]


def assert_page(response: httpx.Response, status: int, *, email: str | None = None) -> None:
    assert response.status_code == status, (response.request.url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1" in response.text and "Internal Server Error" not in response.text
    if email is not None:  # the page is the signed-in one, with the way to sign out
        assert f"Sign out {email}" in response.text


def assert_api(response: httpx.Response, status: int, field: str | None = "") -> None:
    assert response.status_code == status, (response.request.url, response.text[:300])
    body = response.json()
    assert body["detail"] and body["errors"], body
    if field != "":
        assert body["errors"][0]["field"] == field, body


@pytest.mark.parametrize("role", ["owner", "organiser"])
def test_managers_get_each_error_with_its_own_status(world: World, role: str) -> None:
    email = world.owner_email if role == "owner" else world.meeting.organiser.email
    client, csrf = signed_in(world.server, email)
    eid, table = world.meeting.event.id, world.meeting.table_ids[0]
    with closing(client):
        for path in (
            "/events/99999",
            "/events/abc",
            f"/events/{HUGE}",
            f"/events/{eid}/tables/99999",
            f"/events/{eid}/tables/{HUGE}",
            "/mentoring/99999",
            f"/mentoring/{HUGE}",
            "/events/99999/summary",
        ):
            assert_page(client.get(path, headers=HTML), 404, email=email)
        assert_page(client.get("/nowhere", headers=HTML), 404)  # no route: no one asked who
        big = client.get(f"/events/{HUGE}", headers=HTML)
        assert "Nothing has this event_id" in big.text
        # A form with a role the meeting does not have, and one that would go below zero.
        roles = client.get(f"/api/v1/events/{eid}").json()["roles"]
        form = {"csrf_token": csrf, "delta": "1", "role": "nope"}
        attendance = f"/events/{eid}/tables/{table}/attendance"
        assert client.post(attendance, data=form, headers=HTML).status_code in (404, 422)
        form |= {"role": roles[0]["name"], "delta": "-1"}
        assert_page(client.post(attendance, data=form, headers=HTML), 409, email=email)
        form |= {"delta": "many"}
        assert_page(client.post(attendance, data=form, headers=HTML), 422, email=email)
        # Without the form's token: refused, on the signed-in page.
        assert_page(client.post(attendance, data={"role": "x", "delta": "1"}), 403)
        # The API answers in its own shape, with the cookie as with a token.
        assert_api(client.get("/api/v1/events/99999"), 404)
        assert_api(client.get(f"/api/v1/events/{HUGE}"), 404, "event_id")
        assert_api(client.get("/api/v1/events/abc"), 404, "event_id")
        assert_api(client.get(f"/api/v1/actions/{HUGE}"), 404, "action_id")
        assert_api(client.get(f"/api/v1/events?offset={HUGE}"), 422, "offset")
        create = {"title": "A", "starts_at": "2027-01-01T18:00", "ends_at": "2027-01-01T17:00"}
        headers = {"X-CSRF-Token": csrf}
        assert_api(client.post("/api/v1/events", json=create, headers=headers), 422)
        create |= {"ends_at": "2027-01-01T20:00", "cohost_ids": [int(HUGE)]}
        assert_api(client.post("/api/v1/events", json=create, headers=headers), 422, "cohost_ids.0")


def test_a_facilitator_is_refused_what_is_not_theirs_on_a_page(world: World) -> None:
    email = world.meeting.facilitator.email
    client, _ = signed_in(world.server, email)
    eid = world.meeting.event.id
    other_table = world.meeting.table_ids[1]
    with closing(client):
        for path in (f"/events/{eid}/room", f"/events/{eid}/summary"):
            response = client.get(path, headers=HTML)
            assert response.status_code in (403, 404), path
            assert_page(response, response.status_code, email=email)
        assert_page(
            client.get(f"/events/{eid}/tables/{other_table}", headers=HTML), 403, email=email
        )
        assert_page(client.get("/events/99999", headers=HTML), 404, email=email)
        assert_api(client.get(f"/api/v1/events/{eid}/summary"), 403)
        assert_page(client.get("/tokens", headers=HTML), 403, email=email)  # owners' page


def test_anonymous_callers_get_pages_and_the_api_shape(world: World) -> None:
    code = world.meeting.event.join_code
    with httpx.Client(base_url=world.server.url, timeout=10) as anonymous:
        assert anonymous.get("/events/99999", headers=HTML).status_code == 401  # sign in first
        assert_api(anonymous.get("/api/v1/events/99999"), 401)
        assert_page(anonymous.get("/j/NOSUCHCODE", headers=HTML), 404)
        assert_page(anonymous.get("/p/no-such-programme", headers=HTML), 404)
        assert_page(anonymous.get(f"/j/{code}/t/{HUGE}", headers=HTML), 404)
        stream = anonymous.get(
            f"/j/{code}/t/{HUGE}/stream", headers={"Accept": "text/event-stream"}
        )
        assert stream.status_code == 404
        assert_api(anonymous.get(f"/api/v1/join/{code}/comments/{HUGE}/vote"), 405, None)
        vote = anonymous.post(
            f"/api/v1/join/{code}/comments/{HUGE}/vote",
            json={"vote": "agree"},
            headers={"X-Voter-Key": "k" * 30},
        )
        assert_api(vote, 404, "comment_id")
        comment = {"body": "Hello", "group_id": int(HUGE)}
        assert_api(anonymous.post(f"/api/v1/join/{code}/comments", json=comment), 422, "group_id")
