"""Bad input on the residents' API: a clear 4xx naming the field, never an echo of the text."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Comment, Event
from app.services import comments, events, panel
from tests.support import factories

SECRET = "jane.doe@example.com"


@pytest.fixture
def meeting(db: Session) -> Event:
    e = factories.event(db, factories.org(db), status="open")
    db.commit()
    return e


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n\t  ",
        "\u200b\u200d\ufeff \u00a0",
        "x" * 1001,
        f"{SECRET} \x00 hidden",
        f"{SECRET} bell \x07",
        f"{SECRET} escape \x1b[31m red",
        f"{SECRET} \ufffd replacement",
    ],
    ids=["empty", "whitespace", "zero-width", "too-long", "nul", "bell", "ansi", "binary"],
)
def test_bad_bodies_name_the_field_and_store_nothing(
    client: TestClient, db: Session, meeting: Event, body: str
) -> None:
    for path in ("comments", "questions"):
        r = client.post(f"/api/v1/join/{meeting.join_code}/{path}", json={"body": body})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "body"
        assert SECRET not in r.text
    assert db.exec(select(Comment).where(Comment.event_id == meeting.id)).first() is None


def test_a_thousand_characters_are_accepted(client: TestClient, meeting: Event) -> None:
    r = client.post(f"/api/v1/join/{meeting.join_code}/comments", json={"body": "y" * 1000})
    assert r.status_code == 201


@pytest.mark.parametrize(
    "payload",
    [
        b"\xff\xfe\x00binary" + SECRET.encode(),
        b'{"body": "' + SECRET.encode() + b'"',
        b"[1, 2]",
        b'{"body": 12}',
        b'{"body": "' + SECRET.encode() + rb' \ud800 lone surrogate"}',
        b'{"text": "' + SECRET.encode() + b'"}',
    ],
    ids=["binary", "truncated", "array", "number", "surrogate", "missing"],
)
def test_payloads_that_are_not_a_comment(
    client: TestClient, meeting: Event, payload: bytes
) -> None:
    r = client.post(
        f"/api/v1/join/{meeting.join_code}/comments",
        content=payload,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert "body" in {e["field"] for e in r.json()["errors"]}
    assert SECRET not in r.text


def test_html_is_stored_as_text(client: TestClient, db: Session, meeting: Event) -> None:
    body = "<script>alert('x')</script> <b>bold</b> & more"
    r = client.post(f"/api/v1/join/{meeting.join_code}/comments", json={"body": body})
    assert r.status_code == 201 and r.json()["body"] == body
    assert r.headers["content-type"].startswith("application/json")
    stored = db.get(Comment, r.json()["id"])
    assert stored is not None and stored.body == body


def test_html_in_comments_renders_escaped(meeting: Event) -> None:
    from app.templating import templates

    page = templates.env.from_string("<p>{{ body }}</p>").render(body="<script>x()</script>")
    assert page == "<p>&lt;script&gt;x()&lt;/script&gt;</p>"


def test_non_numeric_ids_are_not_found(client: TestClient, meeting: Event) -> None:
    r = client.post(
        f"/api/v1/join/{meeting.join_code}/comments/abc/vote",
        json={"vote": "agree"},
        headers={"X-Voter-Key": "k" * 30},
    )
    assert r.status_code == 404


HUGE = 99_999_999_999_999_999_999  # more than either database holds in a row's number


@pytest.mark.parametrize("field", ["question_id", "group_id"])
def test_ids_too_large_for_the_database_name_their_field(
    client: TestClient, meeting: Event, field: str
) -> None:
    r = client.post(
        f"/api/v1/join/{meeting.join_code}/comments", json={"body": "Hello", field: HUGE}
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field


def test_addresses_with_numbers_too_large_for_the_database_are_not_found_by_name(
    client: TestClient, meeting: Event
) -> None:
    code = meeting.join_code
    for number in (HUGE, 2**40, 2**31):  # 2**40: beyond PostgreSQL's INTEGER, not SQLite's
        r = client.get(f"/j/{code}/t/{number}")
        assert r.status_code == 404 and "Nothing has this group_id" in r.text
        r = client.get(f"/j/{code}/t/{number}/stream", headers={"Accept": "text/event-stream"})
        assert r.status_code == 404
        r = client.post(
            f"/api/v1/join/{code}/comments/{number}/vote",
            json={"vote": "agree"},
            headers={"X-Voter-Key": "k" * 30},
        )
        assert r.status_code == 404
        assert r.json()["errors"][0]["field"] == "comment_id"


def test_closed_meetings_refuse_every_resident_write(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open")
    comment = comments.submit_comment(db, event=e, body="Published before the end")
    question = panel.ask_question(db, event=e, body="Asked before the end?")
    events.set_status(db, event=e, status="closed")
    db.commit()
    base = f"/api/v1/join/{e.join_code}"
    key = {"X-Voter-Key": "v" * 30}
    for path, body in (
        ("comments", {"body": "too late"}),
        (f"comments/{comment.id}/vote", {"vote": "agree"}),
        ("questions", {"body": "too late?"}),
        (f"questions/{question.id}/upvote", None),
        ("equality", {"age_band": "16-24"}),
    ):
        r = client.post(f"{base}/{path}", json=body, headers=key)
        assert r.status_code == 409, path
        assert r.json()["detail"] == "This meeting has closed: it takes no more comments"
    # Residents can still read what was published.
    assert client.get(base).json()["comments"][0]["body"] == "Published before the end"


def test_unknown_codes_are_404_on_every_route(client: TestClient) -> None:
    for path, body in (
        ("comments", {"body": "hello"}),
        ("comments/1/vote", {"vote": "agree"}),
        ("questions", {"body": "hello?"}),
        ("questions/1/upvote", None),
        ("equality", {"age_band": "16-24"}),
    ):
        r = client.post(f"/api/v1/join/ZZZZZZ/{path}", json=body, headers={"X-Voter-Key": "v" * 30})
        assert r.status_code == 404, path
        assert r.json()["detail"] == "No meeting has this join code"


def test_votes_on_another_meetings_comment_are_not_found(
    client: TestClient, db: Session, meeting: Event
) -> None:
    other = factories.event(db, factories.org(db), status="open")
    elsewhere = comments.submit_comment(db, event=other, body="Elsewhere")
    db.commit()
    r = client.post(
        f"/api/v1/join/{meeting.join_code}/comments/{elsewhere.id}/vote",
        json={"vote": "agree"},
        headers={"X-Voter-Key": "v" * 30},
    )
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "comment_id"
