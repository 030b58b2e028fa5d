"""Issue 15: `/` and `/j` for residents, where staff land, refusals that name no internal id,
downloads named after the meeting, closing and publishing with a step to check first."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Comment
from app.services import events, summary
from app.services.errors import DomainError
from app.services.events import GroupSpec
from tests.support import factories

HX = {"HX-Request": "true"}


def test_anonymous_visitors_get_the_join_code_form(client: TestClient, db: Session) -> None:
    for path in ("/", "/j"):
        page = client.get(path)
        assert page.status_code == 200
        assert 'name="code"' in page.text and 'href="/login"' in page.text


def test_the_code_as_typed_leads_to_the_meeting(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    typed = " ".join(w.event.join_code.lower())  # any case, spaces anywhere
    response = client.get("/j", params={"code": typed}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/j/{w.event.join_code}"


def test_an_unknown_code_is_refused_on_the_form(client: TestClient, db: Session) -> None:
    factories.world(db)
    response = client.get("/j", params={"code": "zz zz zz"})
    assert response.status_code == 404
    assert "No meeting has the code ZZZZZZ" in response.text
    assert 'class="govuk-error-summary"' in response.text and 'value="zz zz zz"' in response.text
    empty = client.get("/j", params={"code": "  "})
    assert empty.status_code == 422 and "Enter the join code" in empty.text


def test_each_role_lands_where_it_works(make_client, db: Session) -> None:  # type: ignore[no-untyped-def]
    w = factories.world(db)
    db.commit()
    organiser, facilitator = make_client(), make_client()
    factories.login(organiser, w.organiser)
    assert organiser.get("/", follow_redirects=False).headers["location"] == "/events"
    response = facilitator.post(
        "/login",
        data={
            "email": w.facilitator.email,
            "password": factories.PASSWORD,
            "csrf_token": factories.csrf_from(facilitator),
        },
        follow_redirects=False,
    )
    table = events.list_groups(db, w.event.id)[0]
    assert response.headers["location"] == f"/events/{w.event.id}/tables/{table.id}"
    assert facilitator.get("/", follow_redirects=False).headers["location"] == (
        f"/events/{w.event.id}/tables/{table.id}"
    )
    # A steward's door link, from the event page.
    setup = facilitator.get(f"/events/{w.event.id}")
    assert f'href="/events/{w.event.id}/door"' in setup.text
    assert facilitator.get(f"/events/{w.event.id}/door").status_code == 200


def test_a_facilitator_with_two_tables_tonight_chooses(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    second = factories.event(
        db, w.org, status="open", facilitators={1: [w.facilitator.id or 0]}, title="Second night"
    )
    factories.login(client, w.facilitator)
    assert client.get("/", follow_redirects=False).headers["location"] == "/tonight"
    page = client.get("/tonight")
    assert "Second night" in page.text and "Community meeting" in page.text
    assert f"/events/{second.id}/tables/" in page.text


def test_a_facilitator_from_another_organisation_is_named_by_e_mail(db: Session) -> None:
    w = factories.world(db)
    with pytest.raises(DomainError) as refused:
        events.replace_groups(
            db,
            event=w.event,
            groups=[GroupSpec(name="Table 1", facilitator_ids=[w.other_organiser.id or 0])],
        )
    assert w.other_organiser.email in refused.value.message
    assert "User " not in refused.value.message


def test_an_htmx_action_refused_gets_the_message_alone(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    response = client.post(
        f"/events/{w.event.id}/comments/999999/moderate",
        data={"status": "hidden"},
        headers={**HX, "X-CSRF-Token": csrf},
    )
    assert response.status_code == 404
    assert "No such comment in this event" in response.text
    assert "<html" not in response.text and "govuk-error-summary" in response.text


def test_downloads_are_named_after_the_meeting(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    w.event.title = "Battersea: Public meeting!"
    db.add(w.event)
    headers = factories.token(db, w.organiser)
    db.commit()
    for fmt, name in (
        ("csv", "battersea-public-meeting-2027-01-14-comments.csv"),
        ("xlsx", "battersea-public-meeting-2027-01-14-summary.xlsx"),
        ("md", "battersea-public-meeting-2027-01-14-summary.md"),
        ("json", "battersea-public-meeting-2027-01-14-summary.json"),
    ):
        r = client.get(f"/api/v1/events/{w.event.id}/export/{fmt}", headers=headers)
        assert r.headers["content-disposition"] == f'attachment; filename="{name}"'
    r = client.get(
        f"/api/v1/events/{w.event.id}/export/csv",
        params={"kind": "opinion_groups"},
        headers=headers,
    )
    assert "2027-01-14-opinion-groups.csv" in r.headers["content-disposition"]


def test_closing_asks_first(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    factories.login(client, w.organiser)
    room = client.get(f"/events/{w.event.id}/room")
    assert f'href="/events/{w.event.id}/close?from=room"' in room.text
    setup = client.get(f"/events/{w.event.id}")
    assert f'href="/events/{w.event.id}/close"' in setup.text
    assert 'value="closed"' not in setup.text  # no one-click close
    confirm = client.get(f"/events/{w.event.id}/close", params={"from": "room"})
    assert "Close the event?" in confirm.text
    assert f'action="/events/{w.event.id}/room/status"' in confirm.text
    db.refresh(w.event)
    assert w.event.status == "open"


def test_left_out_comments_stay_for_staff_but_not_the_public(db: Session) -> None:
    w = factories.world(db, status="closed")
    assert w.event.id is not None
    kept = Comment(event_id=w.event.id, body="Keep the hub open late", status="published")
    junk = Comment(event_id=w.event.id, body="test test testing", status="published")
    db.add_all([kept, junk])
    db.flush()
    summary.leave_out(db, event=w.event, comment_ids=[junk.id or 0])
    public = summary.build(db, event=w.event, public=True)
    staff = summary.build(db, event=w.event)
    bodies = [c.body for q in public.questions for c in q.comments]
    assert "Keep the hub open late" in bodies and "test test testing" not in bodies
    assert "test test testing" in [c.body for q in staff.questions for c in q.comments]
    summary.leave_out(db, event=w.event, comment_ids=[])
    again = summary.build(db, event=w.event, public=True)
    assert "test test testing" in [c.body for q in again.questions for c in q.comments]


def test_the_qr_sheet_warns_only_when_links_point_at_localhost(
    client: TestClient, db: Session, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.config import get_settings

    w = factories.world(db)
    factories.login(client, w.organiser)
    assert "only this computer can open" not in client.get(f"/events/{w.event.id}/qr").text
    monkeypatch.setattr(get_settings(), "public_base_url", "http://localhost:8000")
    sheet = client.get(f"/events/{w.event.id}/qr")
    assert "only this computer can open" in sheet.text


def test_an_htmx_action_after_the_session_ended_offers_to_sign_in_again(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    db.commit()
    response = client.post(
        f"/events/{w.event.id}/door/count", data={"role": "Resident", "delta": "1"}, headers=HX
    )
    assert response.status_code == 401
    assert 'href="/login"' in response.text and "<html" not in response.text


def test_a_resident_at_a_wrong_address_is_offered_the_join_form(
    client: TestClient, db: Session
) -> None:
    page = client.get("/j/NOPE99")
    assert page.status_code == 404
    assert "No meeting has this join code" in page.text
    assert 'href="/">Join a meeting with its code' in page.text
