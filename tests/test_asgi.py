"""The layers around the application: residents' comments answered ahead of the middleware
stack carry the same headers and answers as the long way, which takes everything else."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.boundary import security_headers
from app.models import Comment, Event
from tests.support import factories


@pytest.fixture
def meeting(db: Session) -> Event:
    e = factories.event(db, factories.org(db), status="open")
    db.commit()
    return e


def _has_security_headers(response) -> bool:  # type: ignore[no-untyped-def]
    return all(response.headers.get(k.decode()) == v.decode() for k, v in security_headers(False))


def test_a_comment_is_answered_with_the_security_headers_and_no_cookie(
    client: TestClient, meeting: Event
) -> None:
    r = client.post(
        f"/api/v1/join/{meeting.join_code}/comments",
        content=b'{"body": "Call Mr Patel on 07700 900123"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert r.status_code == 201, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json()["body"] == "Call Mr [name] on [phone]"
    assert set(r.json()) == {
        "id", "body", "status", "source", "question_id", "group_id",
        "agree_count", "disagree_count", "pass_count", "created_at",
    }  # fmt: skip
    assert _has_security_headers(r) and "set-cookie" not in r.headers


def test_refusals_are_the_applications_own_answers(client: TestClient, db: Session) -> None:
    closed = factories.event(db, factories.org(db), status="closed")
    db.commit()
    r = client.post(f"/api/v1/join/{closed.join_code}/comments", json={"body": "Too late?"})
    assert r.status_code == 409 and r.json()["errors"] == [
        {"field": "code", "message": "This meeting has closed: it takes no more comments"}
    ]
    assert _has_security_headers(r)
    r = client.post("/api/v1/join/NOSUCH/comments", json={"body": "Anyone?"})
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "code"
    assert _has_security_headers(r)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"body=Hello+there", "application/x-www-form-urlencoded"),
        (b'{"body": "Hello there"', "application/json"),
        (b'{"body": ["Hello there"]}', "application/json"),
    ],
    ids=["form", "truncated", "wrong-type"],
)
def test_a_post_that_is_not_a_comment_gets_the_applications_validation_answer(
    client: TestClient, meeting: Event, content: bytes, content_type: str
) -> None:
    r = client.post(
        f"/api/v1/join/{meeting.join_code}/comments",
        content=content,
        headers={"Content-Type": content_type},
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "body"
    assert _has_security_headers(r)


def test_a_comment_sent_in_chunks_goes_the_long_way_and_is_stored(
    client: TestClient, db: Session, meeting: Event
) -> None:
    # No Content-Length (an old phone's browser streaming the body): the application reads it.
    chunks = iter([b'{"body": "Sent ', b'in two parts"}'])
    r = client.post(
        f"/api/v1/join/{meeting.join_code}/comments",
        content=chunks,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text
    stored = db.exec(select(Comment).where(Comment.event_id == meeting.id)).all()
    assert [c.body for c in stored] == ["Sent in two parts"]
