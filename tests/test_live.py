"""The live broker and the views it renders: one render per channel, only what a viewer may see."""

import asyncio
from collections import Counter

from sqlalchemy import Engine
from sqlmodel import Session

from app.live.broker import Channel, InProcessBroker, Subscription, encode
from app.live.changes import Change
from app.live.pg import create_broker
from app.live_views import LiveViews
from app.models import Comment, Event, Group
from app.services import events
from tests.support import factories


class CountingViews:
    """A stand-in presentation layer that counts how often each channel is rendered."""

    def __init__(self) -> None:
        self.renders: Counter[Channel] = Counter()
        self.version = 0

    def fragments(self, view: str) -> tuple[str, ...]:
        return ("comments",)

    def plan(self, session, batch, channels):  # type: ignore[no-untyped-def]
        return {
            ch: {"comments"} for ch in channels if any(c.event_id == ch.event_id for c in batch)
        }

    def render(self, session, channel, names):  # type: ignore[no-untyped-def]
        self.renders[channel] += 1
        return {"comments": f"<p>v{self.version} for {channel.view}</p>"}


def test_encode_makes_one_named_event_with_a_data_line_per_line() -> None:
    assert encode("comments", "<ul>\n\n  <li>a</li>\n</ul>") == (
        b"event: comments\ndata: <ul>\ndata: <li>a</li>\ndata: </ul>\n\n"
    )


def test_a_change_is_rendered_once_per_channel_and_shared_by_every_subscriber(
    engine: Engine,
) -> None:
    views = CountingViews()

    async def scenario() -> None:
        broker = InProcessBroker(engine, views)
        await broker.start()
        wall, other = Channel("screen", 1), Channel("screen", 2)
        subs = [broker.subscribe(wall) for _ in range(3)]
        broker.subscribe(other)
        views.version = 1
        broker.announce(Change("comment", 1, {"comment_id": 9}))
        await asyncio.sleep(0.3)
        got = [s._latest["comments"] for s in subs]
        assert got[0] == b"event: comments\ndata: <p>v1 for screen</p>\n\n"
        assert all(g is got[0] for g in got)  # the very same bytes: rendered once
        assert views.renders == Counter({wall: 1})
        await broker.stop()

    asyncio.run(scenario())


def test_a_new_subscriber_starts_with_the_current_state(engine: Engine) -> None:
    views = CountingViews()

    async def scenario() -> list[bytes]:
        broker = InProcessBroker(engine, views)
        await broker.start()
        stream = broker.stream(Channel("resident", 5))
        first = [await anext(stream), await anext(stream)]
        # A second viewer joining straight after is served from the same render.
        again = broker.stream(Channel("resident", 5))
        await anext(again)
        await anext(again)
        assert views.renders[Channel("resident", 5)] == 1
        await stream.aclose()
        await again.aclose()
        assert broker.subscriber_count == 0
        await broker.stop()
        return first

    retry, state = asyncio.run(scenario())
    assert retry == b"retry: 2000\n\n"
    assert state == b"event: comments\ndata: <p>v0 for resident</p>\n\n"


def test_a_slow_subscriber_gets_only_the_newest_version() -> None:
    sub = Subscription(Channel("room", 1))
    sub.offer("tables", b"old")
    sub.offer("tables", b"new")
    sub.offer("panel", b"p", replace=False)
    sub.offer("panel", b"older snapshot", replace=False)
    assert sub.take() == [b"new", b"p"]
    assert sub.take() == []


def test_the_broker_follows_the_database(engine: Engine) -> None:
    sqlite = create_broker("sqlite:///x.db", engine, LiveViews())
    pg = create_broker("postgresql+psycopg://u@h/db", engine, LiveViews())
    assert type(sqlite).__name__ == "InProcessBroker"
    assert type(pg).__name__ == "PostgresBroker"


def _setup(db: Session) -> tuple[Event, Group, Group]:
    o = factories.org(db)
    e = factories.event(db, o, status="open")
    t1, t2 = events.list_groups(db, e.id)
    return e, t1, t2


def test_plan_sends_a_table_only_its_own_comments(db: Session) -> None:
    e, t1, t2 = _setup(db)
    assert e.id is not None and t1.id is not None
    c = Comment(event_id=e.id, group_id=t1.id, body="x")
    db.add(c)
    db.flush()
    channels = [
        Channel("table", e.id, t1.id),
        Channel("table", e.id, t2.id),
        Channel("resident", e.id, t2.id),
        Channel("screen", e.id),
        Channel("door", e.id),
        Channel("screen", e.id + 1000),
    ]
    views = LiveViews()
    # A vote names only its comment: the table is looked up.
    plan = views.plan(db, [Change("vote", e.id, {"comment_id": c.id or 0})], channels)
    assert plan == {
        Channel("table", e.id, t1.id): {"comments"},
        Channel("resident", e.id, t2.id): {"comments"},
        Channel("screen", e.id): {"comments"},
    }
    moved = views.plan(db, [Change("question", e.id)], channels)
    assert set(moved) == set(channels[:4]) and all(v == {"question"} for v in moved.values())
    counted = views.plan(db, [Change("attendance", e.id)], channels)
    assert set(counted) == {Channel("door", e.id)}


def test_residents_and_the_wall_are_pushed_published_comments_only(db: Session) -> None:
    e, t1, _ = _setup(db)
    assert e.id is not None
    for body, status in (("open words", "published"), ("waiting", "pending"), ("gone", "hidden")):
        db.add(Comment(event_id=e.id, group_id=t1.id, body=body, status=status))
    db.flush()
    views = LiveViews()
    for channel in (Channel("resident", e.id, t1.id), Channel("screen", e.id)):
        html = views.render(db, channel, {"comments"})["comments"]
        assert "open words" in html and "waiting" not in html and "gone" not in html
        assert "csrf_token" not in html  # pushes are the same for everyone: no session token
    table = views.render(db, Channel("table", e.id, t1.id), {"comments"})["comments"]
    assert "waiting" in table and "gone" in table
