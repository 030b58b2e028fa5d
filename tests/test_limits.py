"""Flood limits on resident writes: per event and client address, hashed, in memory only."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.config import get_settings
from app.models import Comment
from app.resident_lane.limits import RateLimiter, limiter
from app.services.errors import TooManyRequests
from tests.support import factories


@pytest.fixture(autouse=True)
def fresh_limiter() -> Iterator[None]:
    limiter.reset()
    yield
    limiter.reset()


def test_the_default_lets_a_room_of_300_share_one_address() -> None:
    assert get_settings().resident_rate_limit == 3000
    room = RateLimiter()
    for _ in range(300 * 10):  # 300 people, 10 writes each in a minute
        room.hit(event_id=1, address="198.51.100.1", limit=3000)
    with pytest.raises(TooManyRequests):
        room.hit(event_id=1, address="198.51.100.1", limit=3000)


def test_limits_are_per_address_and_per_event() -> None:
    rl = RateLimiter()
    for _ in range(2):
        rl.hit(event_id=1, address="a", limit=2)
    with pytest.raises(TooManyRequests) as refused:
        rl.hit(event_id=1, address="a", limit=2)
    assert "wait" in refused.value.message and refused.value.status_code == 429
    rl.hit(event_id=1, address="b", limit=2)
    rl.hit(event_id=2, address="a", limit=2)


def test_zero_turns_the_limit_off() -> None:
    rl = RateLimiter()
    for _ in range(10_000):
        rl.hit(event_id=1, address="a", limit=0)


def test_the_window_rotates_and_takes_the_salt_with_it() -> None:
    rl = RateLimiter(window=0.05)
    rl.hit(event_id=1, address="192.0.2.9", limit=1)
    salt, counted = rl._salt, dict(rl._counts)
    # Only a salted hash is held, never the address.
    assert all(b"192.0.2.9" not in digest for _, digest in counted)
    with pytest.raises(TooManyRequests):
        rl.hit(event_id=1, address="192.0.2.9", limit=1)
    rl._started -= 1  # the window is over
    rl.hit(event_id=1, address="192.0.2.9", limit=1)
    assert rl._salt != salt and set(rl._counts) != set(counted)


def test_the_api_answers_429_with_a_clear_message(
    app: FastAPI, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "resident_rate_limit", 3)
    e = factories.event(db, factories.org(db), status="open")
    db.commit()
    path = f"/api/v1/join/{e.join_code}/comments"
    with (
        TestClient(app, client=("198.51.100.7", 5000)) as venue,
        TestClient(app, client=("198.51.100.8", 5000)) as other,
    ):
        for i in range(3):
            assert venue.post(path, json={"body": f"comment {i}"}).status_code == 201
        r = venue.post(path, json={"body": "one too many"})
        assert r.status_code == 429
        assert r.json()["detail"].startswith("Too many messages from this connection")
        assert other.post(path, json={"body": "another phone network"}).status_code == 201
        # Votes and questions count towards the same limit.
        assert (
            venue.post(f"/api/v1/join/{e.join_code}/questions", json={"body": "?"}).status_code
            == 429
        )
    bodies = db.exec(select(Comment.body).where(Comment.event_id == e.id)).all()
    assert "one too many" not in bodies and len(bodies) == 4
