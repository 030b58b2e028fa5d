"""Actions: the service's rules, the API, and the staff pages."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.live import changes
from app.services import actions
from app.services.errors import DomainError
from tests.support import factories
from tests.support.meeting import STARRED, Meeting, comment, meeting

SOON = date.today() + timedelta(days=20)


@pytest.fixture
def heard() -> Iterator[list[changes.Change]]:
    got: list[changes.Change] = []
    changes.subscribe(got.append)
    yield got
    changes.unsubscribe(got.append)


@pytest.fixture
def m(db: Session) -> Meeting:
    return meeting(db, factories.world(db))


def test_due_date_cannot_be_past_on_creation(db: Session, m: Meeting) -> None:
    with pytest.raises(DomainError) as err:
        actions.create(db, event=m.event, text="Late already", due_date=date(2020, 1, 1))
    assert err.value.field == "due_date"


def test_links_only_to_this_events_published_content(db: Session, m: Meeting) -> None:
    other = factories.event(db, factories.org(db))
    foreign = comment(db, other, "Another meeting's comment")
    with pytest.raises(DomainError) as err:
        actions.create(db, event=m.event, text="X", comment_ids=[foreign.id or 0])
    assert err.value.field == "comment_ids"
    with pytest.raises(DomainError) as err:
        actions.create(db, event=m.event, text="X", comment_ids=[m.comments["hidden"].id or 0])
    assert err.value.field == "comment_ids"
    a = actions.create(
        db,
        event=m.event,
        text="Hubs",
        comment_ids=[m.comments["starred"].id or 0],
        panel_question_ids=[m.panel[0].id or 0],
    )
    out = actions.one(db, a)
    assert out.comment_ids == [m.comments["starred"].id]
    assert out.panel_question_ids == [m.panel[0].id]


def test_status_moving_back_or_dropping_needs_a_reason(
    db: Session, m: Meeting, heard: list[changes.Change]
) -> None:
    a = actions.create(db, event=m.event, text="Ward panels", status="in_progress")
    with pytest.raises(DomainError) as err:
        actions.update(db, action=a, user_id=None, status="agreed")
    assert err.value.field == "reason" and "in_progress to agreed" in err.value.message
    with pytest.raises(DomainError):
        actions.add_update(db, action=a, body="  ", user_id=None, status="dropped")
    actions.update(db, action=a, user_id=None, status="agreed", reason="Funding paused")
    assert a.status == "agreed"
    actions.update(db, action=a, user_id=None, status="done")  # forwards needs no reason
    log = actions.updates_of(db, a.id or 0)
    assert [(u.status_from, u.status_to) for u in log] == [
        ("agreed", "done"),
        ("in_progress", "agreed"),
    ]
    assert log[1].body == "Funding paused"
    assert {c.kind for c in heard} == set()  # announced only after commit
    db.commit()
    assert any(c.kind == "action" and c.ids.get("action_id") == a.id for c in heard)


def test_overdue(db: Session, m: Meeting) -> None:
    a = actions.create(db, event=m.event, text="Figures", due_date=SOON, status="agreed")
    assert not actions.one(db, a).overdue
    a.due_date = date(2021, 5, 1)
    assert actions.one(db, a).overdue
    a.status = "done"
    assert not actions.one(db, a).overdue


def test_api_lifecycle(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    h = factories.token(db, w.organiser)
    starred = m.comments["starred"].id
    r = client.post(
        f"/api/v1/events/{m.event.id}/actions",
        headers=h,
        json={
            "text": "Reopen a police hub",
            "owner": "Met SW BCU",
            "due_date": SOON.isoformat(),
            "status": "agreed",
            "comment_ids": [starred],
        },
    )
    assert r.status_code == 201, r.text
    action = r.json()
    assert action["comment_ids"] == [starred] and action["status"] == "agreed"
    url = f"/api/v1/actions/{action['id']}"
    r = client.post(
        f"{url}/updates", headers=h, json={"body": "Sites visited", "status": "in_progress"}
    )
    assert r.status_code == 201 and r.json()["latest_update"]["body"] == "Sites visited"
    back = client.patch(url, headers=h, json={"status": "proposed"})
    assert back.status_code == 422 and back.json()["errors"][0]["field"] == "reason"
    ok = client.patch(url, headers=h, json={"status": "proposed", "reason": "Needs sign-off again"})
    assert ok.status_code == 200 and ok.json()["updates"][0]["body"] == "Needs sign-off again"
    listed = client.get(f"/api/v1/events/{m.event.id}/actions", headers=h).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == action["id"]
    assert client.get(url, headers=factories.token(db, w.other_organiser)).status_code == 404
    assert client.get(url, headers=factories.token(db, w.facilitator)).status_code == 403


def test_api_refuses_bad_input(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    h = factories.token(db, w.organiser)
    base = f"/api/v1/events/{m.event.id}/actions"
    past = client.post(base, headers=h, json={"text": "X", "due_date": "2020-01-01"})
    assert past.status_code == 422 and past.json()["errors"][0]["field"] == "due_date"
    foreign = comment(db, w.other_event, "Elsewhere")
    r = client.post(base, headers=h, json={"text": "X", "comment_ids": [foreign.id]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "comment_ids"
    r = client.post(base, headers=h, json={"text": "X", "status": "finished"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "status"
    assert client.get(base, headers=h).json()["total"] == 0


def test_api_overdue_list(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    late = actions.create(db, event=m.event, text="Late one", due_date=SOON, status="agreed")
    actions.create(db, event=m.event, text="On time", due_date=SOON, status="agreed")
    late.due_date = date(2021, 1, 1)
    h = factories.token(db, w.organiser)
    r = client.get("/api/v1/actions?overdue=true", headers=h)
    assert [a["text"] for a in r.json()["items"]] == ["Late one"]
    assert client.get("/api/v1/actions", headers=h).json()["total"] == 2
    assert (
        client.get("/api/v1/actions", headers=factories.token(db, w.other_organiser)).json()[
            "total"
        ]
        == 0
    )
    assert (
        client.get("/api/v1/actions", headers=factories.token(db, w.facilitator)).status_code == 403
    )


def test_turn_a_comment_into_an_action_from_the_summary(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    csrf = factories.login(client, w.organiser)
    starred = m.comments["starred"]
    page = client.get(f"/events/{m.event.id}/summary")
    link = f"/events/{m.event.id}/actions/new?comment_id={starred.id}"
    assert link in page.text
    form = client.get(link)
    assert form.status_code == 200 and STARRED in form.text
    bad = client.post(
        f"/events/{m.event.id}/actions",
        data={
            "csrf_token": csrf,
            "text": "Reopen the hub",
            "due_date": "2020-02-02",
            "status": "agreed",
            "comment_ids": str(starred.id),
        },
    )
    assert bad.status_code == 422 and "The due date is in the past" in bad.text
    assert STARRED in bad.text  # the comment being answered is still shown
    r = client.post(
        f"/events/{m.event.id}/actions",
        data={
            "csrf_token": csrf,
            "text": "Reopen the hub",
            "owner": "Met",
            "due_date": SOON.isoformat(),
            "status": "agreed",
            "comment_ids": str(starred.id),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    detail = client.get(r.headers["location"])
    assert "Reopen the hub" in detail.text and STARRED in detail.text


def test_action_page_updates_and_reasons(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    a = actions.create(db, event=m.event, text="Youth panel", due_date=SOON, status="in_progress")
    csrf = factories.login(client, w.organiser)
    url = f"/actions/{a.id}"
    r = client.post(
        f"{url}/updates",
        data={"csrf_token": csrf, "body": "First session held"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "First session held" in client.get(url).text
    r = client.post(
        url,
        data={
            "csrf_token": csrf,
            "text": "Youth panel",
            "status": "proposed",
            "due_date": SOON.isoformat(),
            "reason": "",
        },
    )
    assert r.status_code == 422 and "Give a reason for moving back" in r.text
    db.refresh(a)
    assert a.status == "in_progress"
    r = client.post(
        url,
        data={
            "csrf_token": csrf,
            "text": "Youth panel",
            "status": "proposed",
            "due_date": SOON.isoformat(),
            "reason": "Partner withdrew",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Partner withdrew" in client.get(url).text


def test_overdue_page(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    late = actions.create(db, event=m.event, text="Monthly figures", due_date=SOON, status="agreed")
    late.due_date = date(2021, 1, 1)
    actions.create(db, event=m.event, text="Not yet due", due_date=SOON, status="agreed")
    factories.login(client, w.organiser)
    page = client.get("/actions/overdue")
    assert page.status_code == 200
    assert "Monthly figures" in page.text and "Not yet due" not in page.text
    assert m.event.title in page.text


def test_turn_a_panel_question_into_an_action(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    csrf = factories.login(client, w.organiser)
    asked = m.panel[1]
    link = f"/events/{m.event.id}/actions/new?panel_question_id={asked.id}"
    assert link in client.get(f"/events/{m.event.id}/summary").text
    assert "Why did no councillor come?" in client.get(link).text
    r = client.post(
        f"/events/{m.event.id}/actions",
        data={
            "csrf_token": csrf,
            "text": "Invite ward councillors",
            "status": "agreed",
            "panel_question_ids": str(asked.id),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Why did no councillor come?" in client.get(r.headers["location"]).text
    assert 'href="/actions/overdue"' in client.get("/events").text
