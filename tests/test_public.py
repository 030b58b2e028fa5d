"""The public programme pages: published summaries, cadence, "you said, we did", feed and CSV.

Nobody signs in here, and nothing pending, hidden, proposed or staff-only may show.
"""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Action
from app.services import actions, public, summary
from tests.support import factories
from tests.support.meeting import HIDDEN, PENDING, STARRED, TOP, Meeting, meeting

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(db: Session) -> tuple[factories.World, Meeting, dict[str, Action]]:
    w = factories.world(db)
    m = meeting(db, w)
    top, starred = m.comments["top"], m.comments["starred"]
    future = date.today() + timedelta(days=30)
    made = {
        "agreed": actions.create(
            db,
            event=m.event,
            text="Reopen a police hub in Battersea",
            owner="Met SW BCU",
            due_date=future,
            status="agreed",
            comment_ids=[starred.id or 0],
        ),
        "proposed": actions.create(
            db, event=m.event, text="A staff-only idea still proposed", due_date=future
        ),
        "late": actions.create(
            db,
            event=m.event,
            text="Publish stop and search figures monthly",
            owner="Council",
            due_date=future,
            status="agreed",
            comment_ids=[top.id or 0],
            panel_question_ids=[m.panel[0].id or 0, m.panel[2].id or 0],
        ),
    }
    actions.add_update(
        db, action=made["agreed"], body="Site visits under way", user_id=None, status="in_progress"
    )
    made["late"].due_date = date(2020, 1, 1)  # overdue now
    summary.publish(db, event=m.event)
    db.flush()
    return w, m, made


def test_programme_page_lists_published_summaries_newest_first(
    client: TestClient, db: Session, published
) -> None:  # type: ignore[no-untyped-def]
    w, m, _ = published
    older = factories.event(db, w.org, status="closed", title="The first meeting")
    older.programme_id = m.programme.id
    older.starts_at -= timedelta(days=61)
    older.ends_at -= timedelta(days=61)
    summary.publish(db, event=older)
    unpublished = factories.event(db, w.org, status="closed", title="Closed, not published")
    unpublished.programme_id = m.programme.id
    unpublished.starts_at += timedelta(days=14)
    unpublished.ends_at += timedelta(days=14)
    draft = factories.event(db, w.org, title="A draft in planning")
    draft.programme_id = m.programme.id
    db.flush()
    r = client.get(f"/p/{m.programme.slug}")
    assert r.status_code == 200
    text = r.text
    assert text.index(m.event.title) < text.index("The first meeting")
    assert f'href="/p/{m.programme.slug}/events/{older.id}"' in text
    assert f'href="/p/{m.programme.slug}/events/{unpublished.id}"' not in text
    # The cadence lists every meeting held, and the gaps between them, but no drafts.
    assert "Closed, not published" in text and "A draft in planning" not in text
    assert "longest gap between two was 61 days" in text
    assert "Sign out" not in text


def test_tracker_shows_agreed_actions_with_updates_and_what_residents_said(
    client: TestClient, published
) -> None:  # type: ignore[no-untyped-def]
    _, m, _ = published
    text = client.get(f"/p/{m.programme.slug}").text
    assert "Reopen a police hub in Battersea" in text
    assert "Site visits under way" in text and "in progress" in text
    assert STARRED in text and TOP in text
    assert "Overdue" in text
    assert "A staff-only idea still proposed" not in text
    assert "You asked the panel" in text and "When will the hubs reopen?" in text
    assert "Something abusive" not in text  # a dismissed question, even when linked


def test_public_summary_shows_only_published_content(client: TestClient, published) -> None:  # type: ignore[no-untyped-def]
    _, m, _ = published
    r = client.get(f"/p/{m.programme.slug}/events/{m.event.id}")
    assert r.status_code == 200
    assert STARRED in r.text and "Police officer" in r.text and "<svg" in r.text
    assert "A review reports in March." in r.text  # answered panel questions are public
    for secret in (
        HIDDEN,
        PENDING,
        "Something abusive",
        "Why did no councillor come?",  # open: nobody has looked at it yet
        "A staff-only idea still proposed",
    ):
        assert secret not in r.text
    assert "Turn into an action" not in r.text and "Feature" not in r.text
    assert "csrf_token" not in r.text and "/export/" not in r.text


def test_unpublished_or_foreign_summaries_are_not_found(
    client: TestClient, db: Session, published
) -> None:  # type: ignore[no-untyped-def]
    w, m, _ = published
    assert client.get("/p/no-such-programme").status_code == 404
    assert client.get(f"/p/{m.programme.slug}/events/{w.other_event.id}").status_code == 404
    summary.unpublish(db, event=m.event)
    db.flush()
    assert client.get(f"/p/{m.programme.slug}/events/{m.event.id}").status_code == 404
    text = client.get(f"/p/{m.programme.slug}").text
    assert "Reopen a police hub" not in text and STARRED not in text


def test_tracker_csv_and_atom_feed(client: TestClient, published) -> None:  # type: ignore[no-untyped-def]
    _, m, _ = published
    r = client.get(f"/p/{m.programme.slug}/actions.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_action = {row["action"]: row for row in rows}
    assert set(by_action) == {
        "Reopen a police hub in Battersea",
        "Publish stop and search figures monthly",
    }
    hub = by_action["Reopen a police hub in Battersea"]
    assert (hub["status"], hub["latest update"], hub["you said"]) == (
        "in_progress",
        "Site visits under way",
        STARRED,
    )
    assert by_action["Publish stop and search figures monthly"]["overdue"] == "yes"
    feed = client.get(f"/p/{m.programme.slug}/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") or "" for e in entries]
    # Each agreed action, and each progress update, is an entry; nothing still proposed.
    assert len(entries) == 3
    assert "New action: Reopen a police hub in Battersea" in titles
    assert not any("staff-only" in t for t in titles)
    update = next(e for e in entries if "now in progress" in (e.findtext(f"{ATOM}title") or ""))
    assert update.findtext(f"{ATOM}content") == "Site visits under way"
    for e in entries:
        datetime.fromisoformat(e.findtext(f"{ATOM}updated") or "").astimezone(UTC)


def test_cadence_gaps_in_days(db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    second = factories.event(db, w.org, status="open")
    second.programme_id = m.programme.id
    second.starts_at = m.event.starts_at + timedelta(days=90)
    db.flush()
    rows = public.cadence(public._held_events(db, m.programme.id))
    assert [r.gap_days for r in rows] == [None, 90]
    assert [r.published for r in rows] == [False, False]


def test_the_demo_programme_has_a_published_meeting_and_tracker(
    client: TestClient, db: Session
) -> None:
    from app import demo

    login = demo.seed(db)
    assert login.event.status == "open"  # the night itself is still the demo's open event
    r = client.get("/p/lrap-battersea")
    assert r.status_code == 200
    assert "Community meeting: stop and search" in r.text
    assert "Reopen a neighbourhood police contact point in Battersea" in r.text
    assert "Bring back the police hub that closed in 2019" in r.text
    assert "Community meeting: rebuilding trust" in r.text  # in the cadence, not yet summarised
