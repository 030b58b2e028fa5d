"""The control room shows the room's opinion groups and common ground."""

import random

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Comment, Vote
from app.services.opinion_groups import store
from tests.support import factories


def _divided_room(db: Session, w: factories.World) -> None:
    """Two camps of 20 voters who split on ten comments and all agree on one more."""
    assert w.event.id is not None
    bodies = [f"Proposal {n}" for n in range(1, 11)] + ["Bring back the youth club"]
    comments = [Comment(event_id=w.event.id, body=b, status="published") for b in bodies]
    db.add_all(comments)
    db.flush()
    noise = random.Random(4)
    for voter in range(40):
        camp = 1 if voter < 20 else -1
        for i, c in enumerate(comments):
            assert c.id is not None
            value = 1 if i == 10 else (camp if i % 2 == 0 else -camp)
            if i != 10 and noise.random() < 0.15:  # people are not perfectly consistent
                value = -value
            db.add(Vote(event_id=w.event.id, comment_id=c.id, voter=f"v{voter:02d}", value=value))
    db.flush()


def test_room_shows_the_groups(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    _divided_room(db, w)
    store.refresh(db, event_id=w.event.id or 0)
    factories.login(client, w.organiser)
    room = client.get(f"/events/{w.event.id}/room")
    assert room.status_code == 200
    assert "2 opinion groups" in room.text
    assert "Proposal 1" in room.text


def test_room_says_when_there_are_not_enough_votes(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    store.refresh(db, event_id=w.event.id or 0)
    factories.login(client, w.organiser)
    room = client.get(f"/events/{w.event.id}/room")
    assert "Not enough votes yet: nobody has voted." in room.text


def test_room_says_when_no_result_is_stored_yet(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    _divided_room(db, w)
    factories.login(client, w.organiser)
    room = client.get(f"/events/{w.event.id}/room")
    assert room.status_code == 200
    assert "Not computed yet" in room.text
    assert "2 opinion groups" not in room.text
