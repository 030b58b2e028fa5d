"""Opinion groups from an event's votes: the API, the staff page, hidden comments, thin input."""

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Comment, Vote
from app.services.opinion_groups import scheduler, store
from app.services.opinion_groups.service import export_rows, opinion_groups_view
from tests.support import factories
from tests.support.opinion_rooms import add_room


def test_the_api_returns_groups_with_representative_comments(
    db: Session, client: TestClient
) -> None:
    w = factories.world(db)
    add_room(db, w.event, [30, 25])
    assert w.event.id is not None
    store.refresh(db, event_id=w.event.id)
    headers = factories.token(db, w.organiser)
    db.commit()
    body = client.get(f"/api/v1/events/{w.event.id}/opinion-groups", headers=headers).json()
    assert body["status"] == "ready"
    assert sorted(g["size"] for g in body["groups"]) == [25, 30]
    rep = body["groups"][0]["representative"][0]
    assert rep["body"].startswith("Comment number")
    assert {"agree", "disagree", "pass", "votes", "direction"} <= rep.keys()
    assert [s["group"] for s in rep["by_group"]] == ["A", "B"]
    assert body["lists"]["divided"]
    assert body["version"] == 1
    assert "centre" not in body["groups"][0]  # no geometry of people in the API


def test_without_a_stored_result_requests_compute_nothing_and_ask_the_worker(
    db: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = factories.world(db)
    add_room(db, w.event, [30, 25])
    asked: list[int] = []
    monkeypatch.setattr(scheduler, "request", asked.append)
    monkeypatch.setattr(store, "run", _must_not_run)
    headers = factories.token(db, w.organiser)
    db.commit()
    url = f"/api/v1/events/{w.event.id}/opinion-groups"
    first = client.get(url, headers=headers).json()
    assert first["status"] == "pending" and first["message"].startswith("Not computed yet")
    assert (first["version"], first["computed_at"], first["groups"]) == (0, None, [])
    assert client.get(url, headers=headers).json() == first
    assert asked == [w.event.id, w.event.id]
    assert store.cached(db, w.event.id or 0) is None


def _must_not_run(*args: object) -> None:
    raise AssertionError("a request computed opinion groups")


def test_a_stored_result_is_served_with_its_version(db: Session, client: TestClient) -> None:
    w = factories.world(db)
    add_room(db, w.event, [30, 25])
    assert w.event.id is not None
    store.forget(w.event.id)
    first = store.refresh(db, event_id=w.event.id)
    second = store.refresh(db, event_id=w.event.id)
    assert first is not None and second is not None and second.version == 2
    headers = factories.token(db, w.facilitator)
    db.commit()
    body = client.get(f"/api/v1/events/{w.event.id}/opinion-groups", headers=headers).json()
    assert body["version"] == 2
    assert body["computed_at"]


def test_hidden_comments_are_left_out(db: Session, client: TestClient) -> None:
    w = factories.world(db)
    rows = add_room(db, w.event, [30, 25])
    for c in rows[:5]:
        c.status = "hidden"
    assert w.event.id is not None
    matrix = store.load_matrix(db, w.event.id)
    assert set(matrix.comment_ids) == {c.id for c in rows[5:]}
    store.refresh(db, event_id=w.event.id)
    for c in rows[5:10]:  # hidden after the run: left out of what is shown all the same
        c.status = "hidden"
    headers = factories.token(db, w.organiser)
    db.commit()
    body = client.get(f"/api/v1/events/{w.event.id}/opinion-groups", headers=headers).json()
    hidden = {c.id for c in rows[:10]}
    shown = {r["comment_id"] for g in body["groups"] for r in g["representative"]}
    shown |= {e["comment_id"] for lst in body["lists"].values() for e in lst}
    assert shown and not shown & hidden


def test_an_event_without_votes_says_not_enough_votes_yet(db: Session, client: TestClient) -> None:
    w = factories.world(db)
    store.refresh(db, event_id=w.event.id or 0)
    headers = factories.token(db, w.organiser)
    db.commit()
    response = client.get(f"/api/v1/events/{w.event.id}/opinion-groups", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "not_enough_votes"
    assert body["message"].startswith("Not enough votes yet")
    assert body["groups"] == []


def test_the_staff_page_shows_the_map_groups_and_common_ground(
    db: Session, client: TestClient
) -> None:
    w = factories.world(db)
    add_room(db, w.event, [30, 25])
    store.refresh(db, event_id=w.event.id or 0)
    db.commit()
    factories.login(client, w.organiser)
    page = client.get(f"/events/{w.event.id}/opinion-groups")
    assert page.status_code == 200
    assert "Opinion groups" in page.text
    assert page.text.count("<ellipse") == 2
    assert "<circle" not in page.text  # no individual dots
    assert "Group A" in page.text and "Group B" in page.text
    assert "Common ground" in page.text and "Divided" in page.text
    live = client.get(f"/events/{w.event.id}/opinion-groups", headers={"HX-Request": "true"})
    assert live.text.lstrip().startswith('<div id="opinion-groups-live"')
    assert "<html" not in live.text


def test_the_page_says_not_enough_votes_yet(db: Session, client: TestClient) -> None:
    w = factories.world(db)
    store.refresh(db, event_id=w.event.id or 0)
    db.commit()
    factories.login(client, w.facilitator)
    page = client.get(f"/events/{w.event.id}/opinion-groups")
    assert page.status_code == 200
    assert "Not enough votes yet" in page.text
    assert "<ellipse" not in page.text


def test_vote_values_reach_the_matrix_as_agree_disagree_pass(db: Session) -> None:
    w = factories.world(db)
    assert w.event.id is not None
    c = Comment(event_id=w.event.id, body="x")
    db.add(c)
    db.flush()
    db.add_all(
        Vote(event_id=w.event.id, comment_id=c.id or 0, voter=k, value=v)
        for k, v in (("a", 1), ("b", -1), ("c", 0))
    )
    db.flush()
    matrix = store.load_matrix(db, w.event.id)
    assert np.array_equal(np.sort(matrix.values), [-1, 0, 1])


def test_export_rows_list_each_group_and_the_common_ground(db: Session) -> None:
    w = factories.world(db)
    add_room(db, w.event, [30, 25])
    assert w.event.id is not None
    store.refresh(db, event_id=w.event.id)
    rows = export_rows(opinion_groups_view(db, w.event.id))
    sections = [r["section"] for r in rows]
    assert "Group A" in sections and "Group B" in sections and "Divided" in sections
    first = rows[0]
    assert first["comment"].startswith("Comment number") and first["group_size"] in (25, 30)
    assert "A: " in first["by_group"] and "B: " in first["by_group"]
