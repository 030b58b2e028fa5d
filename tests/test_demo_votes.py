"""The demo night has residents' votes: three groups of opinion and common ground."""

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import demo
from app.demo.votes import SAID, seed_votes
from app.models import Comment, User, Vote
from app.services.opinion_groups import store
from tests.support import factories


def test_the_demo_night_shows_three_groups_and_common_ground(
    client: TestClient, db: Session
) -> None:
    login = demo.seed(db)
    event_id = login.event.id
    assert event_id is not None
    voters = db.exec(select(Vote.voter).where(Vote.event_id == event_id).distinct()).all()
    assert len(voters) == 60
    result = store.cached(db, event_id)  # stored at seed time, before any worker ran
    assert result is not None and result.version == 1
    sizes = sorted(g["size"] for g in result.payload["groups"])
    assert len(sizes) == 3 and sum(sizes) == 60 and sizes[0] >= 5
    organiser = db.exec(select(User).where(User.email == demo.ORGANISER_EMAIL)).one()
    assert login.password is not None
    factories.login(client, organiser, password=login.password)
    room = client.get(f"/events/{event_id}/room")
    assert room.status_code == 200 and "3 opinion groups" in room.text
    page = client.get(f"/events/{event_id}/summary")
    assert "3 opinion groups among the 60 people" in page.text
    agreed = page.text.split("Everyone agrees", 1)[1].split("Divided", 1)[0]
    assert "Officers should explain why they stop someone, every time" in agreed
    assert "Bring back the youth club that closed on Battersea Park Road" in agreed
    divided = page.text.split("Divided", 1)[1]
    assert "Police officers should be based in schools" in divided


def test_the_demo_votes_are_the_same_every_time(db: Session) -> None:
    w = factories.world(db)

    def tallies(event_id: int) -> list[tuple[str, int, int, int]]:
        rows = db.exec(
            select(Comment).where(Comment.event_id == event_id).order_by(col(Comment.id))
        ).all()
        return [(c.body, c.agree_count, c.disagree_count, c.pass_count) for c in rows]

    seed_votes(db, event=w.event)
    seed_votes(db, event=w.other_event)
    first = tallies(w.event.id or 0)
    assert len(first) == len(SAID)
    assert first == tallies(w.other_event.id or 0)
    votes = db.exec(select(Vote).where(Vote.event_id == w.event.id)).all()
    assert sum(a + d + p for _, a, d, p in first) == len(votes)
