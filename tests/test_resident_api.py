"""The residents' API: comments, votes, panel questions and equality answers by join code."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.live import changes
from app.live.changes import Change
from app.models import Comment, EqualityAnswer, Event, PanelQuestion, PanelUpvote, Vote
from app.services import events
from tests.support import factories

KEY_A = "a" * 11 + "B" * 11 + "-_1234"
KEY_B = "Zz9" * 10


@pytest.fixture
def meeting(db: Session) -> Event:
    e = factories.event(db, factories.org(db), status="open")
    db.commit()  # a refused request rolls back what was not committed
    return e


def post(client: TestClient, event: Event, body: str, **extra: object):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/join/{event.join_code}/comments", json={"body": body, **extra})


def vote(client: TestClient, event: Event, comment_id: int, value: str, key: str | None = KEY_A):  # type: ignore[no-untyped-def]
    headers = {"X-Voter-Key": key} if key is not None else {}
    return client.post(
        f"/api/v1/join/{event.join_code}/comments/{comment_id}/vote",
        json={"vote": value},
        headers=headers,
    )


def test_a_comment_is_stored_redacted_and_answered_201(
    client: TestClient, db: Session, meeting: Event
) -> None:
    r = post(client, meeting, "PC Smith stopped my son, call me on 07700 900123")
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["body"] == "PC [name] stopped my son, call me on [phone]"
    assert data["status"] == "published"
    stored = db.get(Comment, data["id"])
    assert stored is not None and stored.body == data["body"]
    assert stored.created_at.second == 0 and stored.created_at.microsecond == 0


def test_a_comment_goes_to_the_active_question_and_the_chosen_table(
    client: TestClient, meeting: Event, db: Session
) -> None:
    first, second, _ = events.list_questions(db, meeting.id)
    table = events.list_groups(db, meeting.id)[1]
    r = post(client, meeting, "More youth clubs", group_id=table.id)
    assert r.json()["question_id"] == first.id and r.json()["group_id"] == table.id
    r = post(client, meeting, "On the second one", question_id=second.id)
    assert r.json()["question_id"] == second.id


def test_join_codes_are_read_in_any_case(client: TestClient, meeting: Event) -> None:
    r = client.post(f"/api/v1/join/{meeting.join_code.lower()}/comments", json={"body": "ok"})
    assert r.status_code == 201


def test_questions_and_tables_of_another_meeting_are_refused(
    client: TestClient, db: Session, meeting: Event
) -> None:
    other = factories.event(db, factories.org(db), status="open")
    q = events.list_questions(db, other.id)[0]
    g = events.list_groups(db, other.id)[0]
    db.commit()
    r = post(client, meeting, "hello", question_id=q.id)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "question_id"
    r = post(client, meeting, "hello", group_id=g.id)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "group_id"


def test_pre_moderated_comments_wait_and_are_not_shown(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open", moderation="pre")
    r = post(client, e, "Please publish me")
    assert r.status_code == 201 and r.json()["status"] == "pending"
    shown = client.get(f"/api/v1/join/{e.join_code}").json()
    assert shown["comments"] == []


def test_abusive_comments_are_held_even_in_post_moderated_events(
    client: TestClient, db: Session, meeting: Event
) -> None:
    r = post(client, meeting, "you f*cking pigs")
    assert r.status_code == 201 and r.json()["status"] == "pending"
    stored = db.get(Comment, r.json()["id"])
    assert stored is not None and stored.flagged


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_only_open_meetings_take_writes(client: TestClient, db: Session, status: str) -> None:
    e = factories.event(db, factories.org(db), status=status)
    db.commit()
    for path, body in (("comments", {"body": "hi"}), ("questions", {"body": "hi?"})):
        r = client.post(f"/api/v1/join/{e.join_code}/{path}", json=body)
        assert r.status_code == 409
        assert ("not opened yet" if status == "draft" else "has closed") in r.json()["detail"]
    assert db.exec(select(Comment).where(Comment.event_id == e.id)).first() is None


def test_a_not_recorded_session_keeps_no_comments(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open")
    events.update_event(db, event=e, recording="not_recorded")
    db.commit()
    r = post(client, e, "hello")
    assert r.status_code == 409 and "not recorded" in r.json()["detail"]


def test_unknown_join_codes_answer_404(client: TestClient) -> None:
    assert client.get("/api/v1/join/NOPE99").status_code == 404
    r = client.post("/api/v1/join/NOPE99/comments", json={"body": "hi"})
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "code"


def test_the_meeting_as_residents_see_it(client: TestClient, db: Session, meeting: Event) -> None:
    published = post(client, meeting, "Published one").json()
    held = post(client, meeting, "you f*cking pigs").json()
    client.post(f"/api/v1/join/{meeting.join_code}/questions", json={"body": "Why?"})
    data = client.get(f"/api/v1/join/{meeting.join_code}").json()
    assert data["title"] == meeting.title and data["status"] == "open"
    assert data["active_question"]["text"] == "Question 1?"
    assert [t["name"] for t in data["tables"]] == ["Table 1", "Table 2"]
    ids = [c["id"] for c in data["comments"]]
    assert published["id"] in ids and held["id"] not in ids
    assert data["comments"][0]["agree_count"] == 0
    assert [q["body"] for q in data["panel_questions"]] == ["Why?"]
    assert len(data["new_voter_key"]) >= 22
    assert (
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean"
        in (data["equality"]["ethnic_groups"])
    )


def test_a_second_vote_replaces_the_first(client: TestClient, db: Session, meeting: Event) -> None:
    cid = post(client, meeting, "More patrols").json()["id"]
    assert vote(client, meeting, cid, "agree").json()["agree_count"] == 1
    assert vote(client, meeting, cid, "agree").json()["agree_count"] == 1
    r = vote(client, meeting, cid, "disagree")
    assert r.status_code == 200
    assert (r.json()["agree_count"], r.json()["disagree_count"]) == (0, 1)
    r = vote(client, meeting, cid, "pass", key=KEY_B)
    assert (r.json()["disagree_count"], r.json()["pass_count"]) == (1, 1)
    rows = db.exec(select(Vote).where(Vote.comment_id == cid)).all()
    assert len(rows) == 2
    # The server keeps a keyed hash, never the key itself.
    assert all(KEY_A not in row.voter and KEY_B not in row.voter for row in rows)


def test_votes_count_only_on_published_comments(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open", moderation="pre")
    db.commit()
    pending = post(client, e, "Waiting").json()["id"]
    assert vote(client, e, pending, "agree").status_code == 404
    hidden = db.get(Comment, pending)
    assert hidden is not None
    hidden.status = "hidden"
    db.add(hidden)
    db.commit()
    assert vote(client, e, pending, "agree").status_code == 404
    assert vote(client, e, 999_999, "agree").status_code == 404


def test_bad_votes_name_their_field(client: TestClient, meeting: Event) -> None:
    cid = post(client, meeting, "More patrols").json()["id"]
    r = vote(client, meeting, cid, "maybe")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "vote"
    r = vote(client, meeting, cid, "agree", key=None)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "X-Voter-Key"
    r = vote(client, meeting, cid, "agree", key="short")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "X-Voter-Key"


def test_panel_questions_are_redacted_and_upvoted_once_per_key(
    client: TestClient, db: Session, meeting: Event
) -> None:
    r = client.post(
        f"/api/v1/join/{meeting.join_code}/questions",
        json={"body": "Why did Sgt Jones not call me back on 020 7946 0958?"},
    )
    assert r.status_code == 201
    q = r.json()
    assert q["body"] == "Why did Sgt [name] not call me back on [phone]?"
    assert q["status"] == "open" and q["upvotes"] == 0
    path = f"/api/v1/join/{meeting.join_code}/questions/{q['id']}/upvote"
    assert client.post(path, headers={"X-Voter-Key": KEY_A}).json()["upvotes"] == 1
    assert client.post(path, headers={"X-Voter-Key": KEY_A}).json()["upvotes"] == 1
    assert client.post(path, headers={"X-Voter-Key": KEY_B}).json()["upvotes"] == 2
    assert client.post(path).status_code == 422
    assert len(db.exec(select(PanelUpvote).where(PanelUpvote.question_id == q["id"])).all()) == 2


def test_only_open_panel_questions_take_upvotes(
    client: TestClient, db: Session, meeting: Event
) -> None:
    q = client.post(f"/api/v1/join/{meeting.join_code}/questions", json={"body": "Why?"}).json()
    row = db.get(PanelQuestion, q["id"])
    assert row is not None
    row.status = "dismissed"
    db.add(row)
    db.commit()
    path = f"/api/v1/join/{meeting.join_code}/questions/{q['id']}/upvote"
    assert client.post(path, headers={"X-Voter-Key": KEY_A}).status_code == 404


def test_abusive_panel_questions_are_refused(client: TestClient, meeting: Event) -> None:
    r = client.post(f"/api/v1/join/{meeting.join_code}/questions", json={"body": "wtf you c*nts"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"


def test_equality_answers_are_stored_apart(client: TestClient, db: Session, meeting: Event) -> None:
    path = f"/api/v1/join/{meeting.join_code}/equality"
    answer = {
        "ethnic_group": "Black, Black British, Black Welsh, Caribbean or African: African",
        "age_band": "25-34",
        "borough": "Wandsworth",
    }
    assert client.post(path, json=answer).status_code == 201
    assert client.post(path, json={"age_band": "Prefer not to say"}).status_code == 201
    rows = db.exec(select(EqualityAnswer).where(EqualityAnswer.event_id == meeting.id)).all()
    assert sorted(r.age_band or "" for r in rows) == ["25-34", "Prefer not to say"]
    r = client.post(path, json={"ethnic_group": "Black"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "ethnic_group"
    r = client.post(path, json={"borough": "Narnia"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "borough"
    assert client.post(path, json={}).status_code == 422


def test_equality_questions_can_be_turned_off(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open")
    events.update_event(db, event=e, equality_monitoring=False)
    db.commit()
    r = client.post(f"/api/v1/join/{e.join_code}/equality", json={"age_band": "16-24"})
    assert r.status_code == 409


def test_changes_are_announced_for_live_views(client: TestClient, meeting: Event) -> None:
    heard: list[Change] = []
    changes.subscribe(heard.append)
    try:
        cid = post(client, meeting, "Live one").json()["id"]
        vote(client, meeting, cid, "agree")
        client.post(f"/api/v1/join/{meeting.join_code}/questions", json={"body": "Q?"})
    finally:
        changes.unsubscribe(heard.append)
    assert [c.kind for c in heard] == ["comment", "vote", "panel"]
    assert heard[0].ids["comment_id"] == cid and heard[0].event_id == meeting.id
