"""The summary service, its JSON API and the staff summary page."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.models import Comment
from app.services import actions, summary
from tests.support import factories
from tests.support.meeting import HIDDEN, KEY_POINT, PENDING, STARRED, TOP, comment, meeting


def test_summary_orders_comments_by_agreement_and_keeps_only_published(db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    s = summary.build(db, event=m.event)
    q1 = s.questions[0]
    assert [c.body for c in q1.comments] == [TOP, STARRED]
    assert [c.body for c in q1.key_points] == [KEY_POINT]
    assert [c.body for c in q1.starred] == [STARRED]
    assert q1.votes == 7 + 1 + 2 + 12 + 2
    everything = s.model_dump_json()
    assert HIDDEN not in everything and PENDING not in everything
    # Comments outside any question get their own section, after the questions.
    assert s.questions[-1].id is None and s.questions[-1].comments[0].body == "A general remark"
    assert s.comment_count == 5
    assert s.event.status == "closed", s.event


def test_summary_attendance_balance_and_absent_roles(db: Session) -> None:
    m = meeting(db, factories.world(db))
    a = summary.build(db, event=m.event).attendance
    assert (a.community, a.services, a.total) == (11, 9, 20)
    assert "Councillor" in a.absent and "Resident" not in a.absent
    assert a.warning == "Services nearly match the community in number"
    assert {r.role: r.count for r in a.roles}["Police officer"] == 9


def test_summary_panel_tags_and_equality_breakdown(db: Session) -> None:
    m = meeting(db, factories.world(db))
    s = summary.build(db, event=m.event)
    assert [p.body for p in s.panel] == [
        "When will the hubs reopen?",
        "Why did no councillor come?",
    ]
    assert s.panel[0].answer == "A review reports in March."
    assert [(t.tag, t.count) for t in s.tags] == [("trust", 2), ("hubs", 1)]
    ethnic = next(c for c in s.equality if c.category == "ethnic_group").cells
    # 2 is under 5; the only other count would reveal it from the total, so it is withheld too.
    assert ethnic["White: British"] == "<5"
    assert ethnic["Black or Black British: Caribbean"] != "6"


def test_summary_uses_a_fixed_number_of_queries(db: Session, engine: Engine) -> None:
    m = meeting(db, factories.world(db))
    counted: list[str] = []

    def count(*args: object) -> None:
        counted.append(str(args[2]))

    def queries() -> int:
        db.expire_all()
        counted.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            summary.build(db, event=m.event)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(counted)

    few = queries()
    for n in range(60):
        comment(
            db,
            m.event,
            f"Extra comment {n}",
            question_id=m.comments["top"].question_id,
            tags=[f"t{n % 5}"],
            agree_count=n,
        )
    db.flush()
    assert queries() == few
    assert few <= 15


@pytest.fixture
def organiser_client(
    client: TestClient, db: Session
) -> Iterator[tuple[TestClient, factories.World]]:
    w = factories.world(db)
    factories.login(client, w.organiser)
    yield client, w


def test_api_summary_json(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    headers = factories.token(db, w.organiser)
    r = client.get(f"/api/v1/events/{m.event.id}/summary", headers=headers)
    assert r.status_code == 200
    body = r.json()
    assert body["questions"][0]["starred"][0]["body"] == STARRED
    assert body["attendance"]["community"] == 11
    assert HIDDEN not in r.text
    fac = client.get(
        f"/api/v1/events/{m.event.id}/summary", headers=factories.token(db, w.facilitator)
    )
    assert fac.status_code == 403


def test_api_edit_intro_and_featured(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    headers = factories.token(db, w.organiser)
    db.commit()
    url = f"/api/v1/events/{m.event.id}/summary"
    starred = m.comments["starred"].id
    r = client.patch(
        url, json={"intro": "Thank you all.", "featured_comment_ids": [starred]}, headers=headers
    )
    assert r.status_code == 200
    assert r.json()["event"]["intro"] == "Thank you all."
    assert [c["body"] for c in r.json()["featured"]] == [STARRED]
    hidden = m.comments["hidden"].id
    bad = client.patch(url, json={"featured_comment_ids": [hidden]}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "featured_comment_ids"
    db.refresh(m.comments["starred"])
    assert m.comments["starred"].featured  # the refused change left the earlier choice alone


def test_publishing_needs_a_closed_event(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w, status="open")
    headers = factories.token(db, w.organiser)
    db.commit()  # a refused request rolls back everything not yet committed
    url = f"/api/v1/events/{m.event.id}/summary/publish"
    r = client.post(url, headers=headers)
    assert r.status_code == 409
    assert "open" in r.json()["detail"] and r.json()["errors"][0]["field"] == "status"
    client.patch(f"/api/v1/events/{m.event.id}", json={"status": "closed"}, headers=headers)
    r = client.post(url, headers=headers)
    assert r.status_code == 200 and r.json()["event"]["published_at"]
    # A published summary's event cannot reopen; withdrawing it makes that possible again.
    reopen = client.patch(f"/api/v1/events/{m.event.id}", json={"status": "open"}, headers=headers)
    assert reopen.status_code == 409
    assert client.delete(url, headers=headers).json()["event"]["published_at"] is None


def test_summary_page_shows_chart_quotes_and_controls(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    factories.login(client, w.organiser)
    r = client.get(f"/events/{m.event.id}/summary")
    assert r.status_code == 200
    assert "<svg" in r.text and "Police officer" in r.text and "Attendance by role" in r.text
    assert STARRED in r.text and TOP in r.text and KEY_POINT in r.text
    assert HIDDEN not in r.text and PENDING not in r.text
    assert "Councillor" in r.text  # absent role
    assert f"/api/v1/events/{m.event.id}/export/pdf" in r.text
    # The page's download links work with the staff session, no token needed.
    download = client.get(f"/api/v1/events/{m.event.id}/export/md")
    assert download.status_code == 200 and STARRED in download.text


def test_summary_page_forms(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w, status="open")
    csrf = factories.login(client, w.organiser)
    base = f"/events/{m.event.id}/summary"
    r = client.post(
        base,
        data={"intro": "Our thanks.\r\n\r\nNext steps.", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    db.refresh(m.event)
    assert m.event.summary_intro == "Our thanks.\n\nNext steps."
    assert "Our thanks.\n\nNext steps.</textarea>" in client.get(base).text
    long = client.post(base, data={"intro": "x" * 10_001, "csrf_token": csrf})
    assert long.status_code == 422 and "Keep the introduction to 10,000 characters" in long.text
    db.refresh(m.event)
    assert m.event.summary_intro == "Our thanks.\n\nNext steps."
    top = m.comments["top"]
    r = client.post(
        f"{base}/featured",
        data={"comment_id": str(top.id), "featured": "1", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    db.refresh(top)
    assert top.featured
    pending: Comment = m.comments["pending"]
    r = client.post(
        f"{base}/featured",
        data={"comment_id": str(pending.id), "featured": "1", "csrf_token": csrf},
    )
    assert r.status_code == 422 and "Only published comments" in r.text
    r = client.post(f"{base}/publish", data={"publish": "1", "csrf_token": csrf})
    assert r.status_code == 409 and "close it before publishing" in r.text
    assert m.event.summary_published_at is None


def test_summary_page_queries_do_not_grow_with_the_meeting(
    client: TestClient, db: Session, engine: Engine
) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    headers = factories.token(db, w.organiser)
    counted: list[str] = []

    def count(*args: object) -> None:
        counted.append(str(args[2]))

    def page_queries() -> int:
        # Reads only: signing in with a token also stamps its last use, once a minute.
        counted.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            r = client.get(f"/events/{m.event.id}/summary", headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert r.status_code == 200
        return len([q for q in counted if q.lstrip().upper().startswith("SELECT")])

    few = page_queries()
    question = m.comments["top"].question_id
    for n in range(40):
        c = comment(db, m.event, f"More {n}", question_id=question, tags=["x"], agree_count=n)
        a = actions.create(db, event=m.event, text=f"Action {n}", comment_ids=[c.id or 0])
        actions.add_update(db, action=a, body="Progress", user_id=None)
    assert page_queries() == few
    assert few <= 20
