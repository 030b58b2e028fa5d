"""Background recomputation: debounced per event, one run at a time, stored with a version."""

import threading
import time

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.live import changes
from app.models import Event
from app.services.opinion_groups import scheduler, store
from app.services.opinion_groups.matrix import VoteMatrix
from tests.support import factories
from tests.support.opinion_rooms import add_room


def wait_for(condition, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_burst_of_votes_gives_one_run_then_runs_are_spaced() -> None:
    started: list[tuple[int, float]] = []
    running = threading.Lock()
    overlaps: list[int] = []

    def run(event_id: int) -> None:
        if not running.acquire(blocking=False):
            overlaps.append(event_id)
            return
        started.append((event_id, time.monotonic()))
        time.sleep(0.05)
        running.release()

    s = scheduler.Scheduler(run, interval=0.4)
    s.start()
    try:
        for _ in range(50):
            s.hear(changes.Change("vote", 1))
        s.hear(changes.Change("attendance", 2))  # not a trigger
        assert wait_for(lambda: len(started) == 1)
        time.sleep(0.1)
        for _ in range(20):
            s.hear(changes.Change("comment", 1))
        assert wait_for(lambda: len(started) == 2)
    finally:
        s.stop()
    assert [e for e, _ in started] == [1, 1]
    assert started[1][1] - started[0][1] >= 0.4 - 1e-3
    assert overlaps == []


def test_a_failing_run_does_not_stop_the_worker() -> None:
    calls: list[int] = []

    def run(event_id: int) -> None:
        calls.append(event_id)
        if event_id == 1:
            raise RuntimeError("boom")

    s = scheduler.Scheduler(run, interval=0.01)
    s.start()
    try:
        s.request(1)
        s.request(2)
        assert wait_for(lambda: calls == [1, 2] or calls == [2, 1])
    finally:
        s.stop()


def test_committed_votes_are_recomputed_in_the_background(engine: Engine) -> None:
    with Session(engine) as session:
        o = factories.org(session)
        event = factories.event(session, o, status="open")
        add_room(session, event, [20, 20])
        session.commit()
        event_id = event.id
    assert event_id is not None
    store.forget(event_id)
    heard: list[changes.Change] = []
    changes.subscribe(heard.append)
    s = scheduler.Scheduler(scheduler.run_in_own_session, interval=0.05)
    s.start()
    try:
        with Session(engine) as session:
            changes.record(session, "vote", event_id, comment_id=1)
            session.commit()
        assert wait_for(lambda: any(c.kind == "opinion_groups" for c in heard))
        with Session(engine) as session:
            row = store.cached(session, event_id)
            assert row is not None and row.version == 1
            assert sorted(g["size"] for g in row.payload["groups"]) == [20, 20]
    finally:
        s.stop()
        changes.unsubscribe(heard.append)
        with Session(engine) as session:
            gone = session.get(Event, event_id)
            session.delete(gone)
            session.commit()
        store.forget(event_id)


def test_a_run_stores_its_result_when_another_writer_commits_meanwhile(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A busy meeting: residents' writes commit while the worker is reading the votes.

    On SQLite a read transaction that then writes fails at once ("database is locked") once
    another writer has committed; the run must still store its result.
    """
    with Session(engine) as session:
        event = factories.event(session, factories.org(session), status="open")
        add_room(session, event, [20, 20])
        session.commit()
        event_id = event.id
    assert event_id is not None
    store.forget(event_id)
    read = store.load_matrix

    def read_while_someone_writes(session: Session, event_id: int) -> VoteMatrix:
        matrix = read(session, event_id)
        with Session(engine) as other:  # a resident's write lands mid-run
            ev = other.get(Event, event_id)
            assert ev is not None
            ev.venue = "Moved to the library"
            other.add(ev)
            other.commit()
        return matrix

    monkeypatch.setattr(store, "load_matrix", read_while_someone_writes)
    try:
        scheduler.run_in_own_session(event_id)
        with Session(engine) as session:
            row = store.cached(session, event_id)
            assert row is not None and row.version == 1 and row.payload["status"] == "ready"
            # Nothing a run reads has changed: a second run keeps the stored result.
            scheduler.run_in_own_session(event_id)
            session.expire_all()
            again = store.cached(session, event_id)
            assert again is not None and again.version == 1
    finally:
        with Session(engine) as session:
            session.delete(session.get(Event, event_id))
            session.commit()
        store.forget(event_id)
