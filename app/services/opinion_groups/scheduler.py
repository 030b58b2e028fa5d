"""Recompute opinion groups in the background as votes arrive, never inside a request.

One worker thread per process. A vote or a comment change asks for a run of its event; runs of
an event start at most once per interval (votes in between are taken together), one at a time,
each warm-started from the last. Requests only ever enqueue: nothing here blocks them.
"""

import logging
import threading
import time
from collections.abc import Callable

from sqlmodel import Session

from app.db import get_engine
from app.live import changes
from app.models import Event
from app.services.opinion_groups import store

log = logging.getLogger(__name__)
TRIGGERS = {"vote", "comment"}


def run_in_own_session(event_id: int) -> None:
    """Read the votes, compute with no transaction open, then store in a short write.

    The write takes SQLite's write lock up front (BEGIN IMMEDIATE), so it waits its turn
    behind resident writes; a read transaction upgraded to a write after another writer had
    committed would fail at once with "database is locked", whatever the busy timeout.
    """
    engine = get_engine()
    with Session(engine) as session:
        if session.get(Event, event_id) is None:
            return
        matrix = store.load_matrix(session, event_id)
        if store.is_current(store.cached(session, event_id), matrix):
            return  # nothing a run reads has changed: the stored result stands
    payload = store.run(event_id, matrix)
    with Session(engine.execution_options(sqlite_immediate=True)) as session:
        store.save(session, event_id=event_id, payload=payload)
        session.commit()


class Scheduler:
    def __init__(self, run: Callable[[int], None], interval: float) -> None:
        self.run = run
        self.interval = interval
        self._due: dict[int, float] = {}
        self._last_start: dict[int, float] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.runs = 0

    def request(self, event_id: int) -> None:
        """Ask for a run of this event as soon as its interval allows."""
        with self._wake:
            if event_id not in self._due:
                earliest = self._last_start.get(event_id, -float("inf")) + self.interval
                self._due[event_id] = max(time.monotonic(), earliest)
                self._wake.notify()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def hear(self, change: changes.Change) -> None:
        if change.kind in TRIGGERS:
            self.request(change.event_id)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping = False
        changes.subscribe(self.hear)
        self._thread = threading.Thread(target=self._loop, name="opinion-groups", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        changes.unsubscribe(self.hear)
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    def _next(self) -> int | None:
        """Wait for the next event whose run is due; None when stopping."""
        with self._wake:
            while not self._stopping:
                now = time.monotonic()
                ready = [e for e, due in self._due.items() if due <= now]
                if ready:
                    event_id = min(ready, key=self._due.__getitem__)
                    del self._due[event_id]
                    self._last_start[event_id] = now
                    return event_id
                timeout = min(self._due.values()) - now if self._due else None
                self._wake.wait(timeout)
        return None

    def _loop(self) -> None:
        while (event_id := self._next()) is not None:
            try:
                self.run(event_id)
            except Exception:
                # A failed run must not stop later ones; the last stored result stays shown.
                log.exception("opinion groups: run for event %s failed", event_id)
            self.runs += 1


_scheduler: Scheduler | None = None


def start(interval: float) -> Scheduler:
    global _scheduler
    if _scheduler is None:
        _scheduler = Scheduler(run_in_own_session, interval)
    _scheduler.start()
    return _scheduler


def stop() -> None:
    if _scheduler is not None:
        _scheduler.stop()


def request(event_id: int) -> None:
    """Enqueue a run if the background worker is running in this process."""
    if _scheduler is not None and _scheduler.running:
        _scheduler.request(event_id)
