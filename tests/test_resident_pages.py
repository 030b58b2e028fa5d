"""The resident's phone pages: join, comment without JavaScript, vote, ask the panel, equality."""

import base64
import json

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Comment, EqualityAnswer, Event, Group, PanelQuestion, Question, Vote
from app.services import events
from tests.support import factories

HTMX = {"HX-Request": "true"}


def _open_event(db: Session, moderation: str = "post") -> Event:
    o = factories.org(db)
    e = factories.event(db, o, status="open", moderation=moderation)
    db.commit()
    return e


def _csrf(client: TestClient, path: str) -> str:
    return factories.csrf_from(client, path)


def _table(db: Session, e: Event, position: int = 0) -> Group:
    return db.exec(select(Group).where(Group.event_id == e.id, Group.position == position)).one()


def test_join_page_shows_question_anonymity_and_a_plain_form(client: TestClient, db: Session):
    e = _open_event(db)
    page = client.get(f"/j/{e.join_code.lower()}")
    assert page.status_code == 200
    assert "Question 1 of 3" in page.text and "Question 1?" in page.text
    assert "You are anonymous" in page.text and "removed before your comment is saved" in page.text
    assert f'action="/j/{e.join_code}/comments"' in page.text
    assert f'sse-connect="/j/{e.join_code}/stream"' in page.text


def test_unknown_code_is_404(client: TestClient, db: Session):
    assert client.get("/j/NOPE42").status_code == 404
    e = _open_event(db)
    assert client.get(f"/j/{e.join_code}/t/999999").status_code == 404


def test_the_session_cookie_holds_only_the_csrf_token(client: TestClient, db: Session):
    e = _open_event(db)
    client.get(f"/j/{e.join_code}")
    raw = client.cookies["cg_session"].split(".")[0]
    data = json.loads(base64.b64decode(raw + "=" * (-len(raw) % 4)))
    assert set(data) == {"csrf"}


def test_comment_posted_as_a_plain_form_is_stored_on_the_current_question(
    client: TestClient, db: Session
):
    e = _open_event(db)
    csrf = _csrf(client, f"/j/{e.join_code}")
    sent = client.post(
        f"/j/{e.join_code}/comments",
        data={"csrf_token": csrf, "body": "Officers should come to every meeting"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/j/{e.join_code}?sent=published#send"
    comment = db.exec(select(Comment).where(Comment.event_id == e.id)).one()
    active = db.exec(select(Question).where(Question.event_id == e.id, Question.position == 0))
    assert comment.question_id == active.one().id and comment.group_id is None
    page = client.get(sent.headers["location"])
    assert "your comment is up" in page.text
    assert "Officers should come to every meeting" in page.text


def test_comment_from_a_table_page_belongs_to_the_table(client: TestClient, db: Session):
    e = _open_event(db)
    table = _table(db, e)
    path = f"/j/{e.join_code}/t/{table.id}"
    csrf = _csrf(client, path)
    sent = client.post(
        f"/j/{e.join_code}/comments",
        data={"csrf_token": csrf, "body": "Said at table one", "group_id": str(table.id)},
    )
    assert sent.status_code == 200
    assert f"At {table.name}" in sent.text and "Said at table one" in sent.text
    assert db.exec(select(Comment)).one().group_id == table.id


def test_comment_needs_the_csrf_token(client: TestClient, db: Session):
    e = _open_event(db)
    client.get(f"/j/{e.join_code}")
    refused = client.post(f"/j/{e.join_code}/comments", data={"body": "Hello"})
    assert refused.status_code == 403
    assert db.exec(select(Comment)).first() is None


def test_an_empty_comment_is_answered_next_to_the_field(client: TestClient, db: Session):
    e = _open_event(db)
    csrf = _csrf(client, f"/j/{e.join_code}")
    page = client.post(f"/j/{e.join_code}/comments", data={"csrf_token": csrf, "body": "  "})
    assert page.status_code == 422
    assert 'id="body-error"' in page.text and "There is a problem" in page.text


def test_pre_moderated_comments_wait_and_are_not_shown(client: TestClient, db: Session):
    e = _open_event(db, moderation="pre")
    csrf = _csrf(client, f"/j/{e.join_code}")
    page = client.post(
        f"/j/{e.join_code}/comments", data={"csrf_token": csrf, "body": "Waiting for approval"}
    )
    assert "once a moderator has seen it" in page.text
    assert "Waiting for approval" not in page.text
    assert db.exec(select(Comment)).one().status == "pending"


def test_closed_meeting_takes_no_comments(client: TestClient, db: Session):
    e = _open_event(db)
    csrf = _csrf(client, f"/j/{e.join_code}")
    events.set_status(db, event=e, status="closed")
    db.commit()
    page = client.get(f"/j/{e.join_code}")
    assert "This meeting has closed" in page.text and 'id="comment-form"' not in page.text
    refused = client.post(f"/j/{e.join_code}/comments", data={"csrf_token": csrf, "body": "Late"})
    assert refused.status_code == 409
    assert db.exec(select(Comment)).first() is None


def _published(db: Session, e: Event, body: str = "Published words", status: str = "published"):
    assert e.id is not None
    c = Comment(event_id=e.id, body=body, status=status)
    db.add(c)
    db.commit()
    return c


def test_vote_with_the_browser_key_replaces_an_earlier_vote(client: TestClient, db: Session):
    e = _open_event(db)
    c = _published(db, e)
    csrf = _csrf(client, f"/j/{e.join_code}")
    headers = {**HTMX, "X-CSRF-Token": csrf, "X-Voter-Key": "a" * 32}
    url = f"/j/{e.join_code}/comments/{c.id}/vote"
    assert client.post(url, data={"vote": "agree"}, headers=headers).status_code == 204
    assert client.post(url, data={"vote": "disagree"}, headers=headers).status_code == 204
    db.refresh(c)
    assert (c.agree_count, c.disagree_count) == (0, 1)
    assert len(db.exec(select(Vote)).all()) == 1


def test_vote_without_javascript_still_counts_once(client: TestClient, db: Session):
    e = _open_event(db)
    c = _published(db, e)
    csrf = _csrf(client, f"/j/{e.join_code}")
    url = f"/j/{e.join_code}/comments/{c.id}/vote"
    for _ in range(2):
        done = client.post(url, data={"csrf_token": csrf, "vote": "agree"}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"].endswith(f"#c{c.id}")
    db.refresh(c)
    assert c.agree_count == 1


def test_residents_see_published_comments_only(client: TestClient, db: Session):
    e = _open_event(db)
    _published(db, e, "Out in the open")
    _published(db, e, "Still waiting", status="pending")
    _published(db, e, "Taken down", status="hidden")
    page = client.get(f"/j/{e.join_code}")
    assert "Out in the open" in page.text
    assert "Still waiting" not in page.text and "Taken down" not in page.text


def test_vote_on_a_hidden_comment_is_refused(client: TestClient, db: Session):
    e = _open_event(db)
    c = _published(db, e, status="hidden")
    csrf = _csrf(client, f"/j/{e.join_code}")
    answer = client.post(
        f"/j/{e.join_code}/comments/{c.id}/vote",
        data={"vote": "agree"},
        headers={**HTMX, "X-CSRF-Token": csrf, "X-Voter-Key": "b" * 32},
    )
    assert answer.status_code == 404


def test_ask_the_panel_and_upvote_once(client: TestClient, db: Session):
    e = _open_event(db)
    csrf = _csrf(client, f"/j/{e.join_code}")
    asked = client.post(
        f"/j/{e.join_code}/questions", data={"csrf_token": csrf, "body": "Will you come back?"}
    )
    assert asked.status_code == 200 and "your question is with the panel" in asked.text
    question = db.exec(select(PanelQuestion)).one()
    headers = {**HTMX, "X-CSRF-Token": csrf, "X-Voter-Key": "c" * 32}
    for _ in range(2):
        url = f"/j/{e.join_code}/questions/{question.id}/upvote"
        assert client.post(url, headers=headers).status_code == 204
    db.refresh(question)
    assert question.upvotes == 1
    empty = client.post(f"/j/{e.join_code}/questions", data={"csrf_token": csrf, "body": ""})
    assert empty.status_code == 422 and 'id="question-error"' in empty.text


def test_equality_answers_are_stored_alone_and_checked(client: TestClient, db: Session):
    e = _open_event(db)
    csrf = _csrf(client, f"/j/{e.join_code}")
    page = client.get(f"/j/{e.join_code}")
    assert "Help us see who we are reaching (optional)" in page.text
    bad = client.post(
        f"/j/{e.join_code}/equality", data={"csrf_token": csrf, "ethnic_group": "Martian"}
    )
    assert bad.status_code == 422 and "Choose one of the listed answers" in bad.text
    skipped = client.post(f"/j/{e.join_code}/equality", data={"csrf_token": csrf})
    assert skipped.status_code == 422 and "Answer at least one question" in skipped.text
    assert db.exec(select(EqualityAnswer)).first() is None
    done = client.post(
        f"/j/{e.join_code}/equality",
        data={
            "csrf_token": csrf,
            "ethnic_group": "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
            "age_band": "25-34",
            "borough": "Wandsworth",
        },
    )
    assert "kept apart from anything you wrote" in done.text
    row = db.exec(select(EqualityAnswer)).one()
    assert (row.age_band, row.borough) == ("25-34", "Wandsworth")
    assert row.created_at.second == 0
