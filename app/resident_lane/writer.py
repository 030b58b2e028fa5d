"""One writer thread per process for residents' comments, committing them in groups.

At the height of a night hundreds of phones post at once. Each post handed to a pooled thread
of its own costs a thread hand-off, a connection checkout and a transaction, more than the
insert itself. Here one thread takes the posts as they queue and commits all that are waiting
in one transaction, each in a savepoint of its own, so a refused post undoes only itself.
Nothing is answered before the commit that stores it: anything acknowledged is on disk.
"""

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from app.db import get_engine, write_turn
from app.live import changes
from app.live.changes import Change
from app.resident_lane.driver import Driver, sqlalchemy_error

T = TypeVar("T")
log = logging.getLogger(__name__)
BATCH = 64  # posts at most in one transaction
IDLE_SECONDS = 1.0  # a connection unused this long is checked before it is trusted again


@dataclass
class _Post:
    work: Callable[[Driver], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    changes: list[Change] = field(default_factory=list)
    result: Any = None
    error: BaseException | None = None


_Queue = queue.SimpleQueue[_Post | None]


class Writer:
    def __init__(self, engine: Engine, turn: Callable[[], Any]) -> None:
        self.engine = engine
        self.turn = turn  # the process's write lock, shared with sessions (`app.db.write_turn`)
        # Each thread has its queue: one started after a close never takes the old one's posts.
        self._running: tuple[threading.Thread, _Queue] | None = None
        self._start_lock = threading.Lock()

    async def write(self, work: Callable[[Driver], T]) -> T:
        """Run `work` on the writer's connection; its result once committed."""
        loop = asyncio.get_running_loop()
        post = _Post(work, loop, loop.create_future())
        self._queue().put(post)
        result: T = await post.future
        return result

    def close(self) -> None:
        """Commit what is queued, then stop the thread."""
        with self._start_lock:
            running, self._running = self._running, None
        if running is not None:
            thread, posts = running
            posts.put(None)
            thread.join()

    def _queue(self) -> _Queue:
        with self._start_lock:
            if self._running is None:
                posts: _Queue = queue.SimpleQueue()
                thread = threading.Thread(
                    target=self._run, args=(posts,), name="resident-writer", daemon=True
                )
                thread.start()
                self._running = (thread, posts)
            return self._running[1]

    def _run(self, posts_queue: _Queue) -> None:
        connection = None
        last_used = 0.0
        while True:
            batch = [posts_queue.get()]
            while batch[-1] is not None and len(batch) < BATCH:
                try:
                    batch.append(posts_queue.get_nowait())
                except queue.Empty:
                    break
            posts = [p for p in batch if p is not None]
            if posts:
                try:
                    if connection is not None and time.monotonic() - last_used > IDLE_SECONDS:
                        connection = _alive(connection)
                    connection = connection or self.engine.raw_connection()
                    self._commit(connection, posts)
                except Exception as exc:  # the connection or the database failed
                    error = sqlalchemy_error(self.engine, exc)
                    if isinstance(error, OperationalError):
                        # Busy or away: what queued meanwhile is told at once (503), rather
                        # than each waiting its own turn to fail. The next post tries again.
                        batch += _drain(posts_queue)
                        posts = [p for p in batch if p is not None]
                        log.warning(
                            "resident writer: database unavailable; %d posts refused", len(posts)
                        )
                    else:
                        log.exception("resident writer: a transaction failed; none was stored")
                    for post in posts:
                        post.error, post.changes = error, []
                    _discard(connection)
                    connection = None
                for post in posts:
                    _answer(post)
                last_used = time.monotonic()
            if None in batch:
                if connection is not None:
                    connection.close()
                return

    def _commit(self, connection: Any, posts: list[_Post]) -> None:
        cursor = connection.cursor()
        with self.turn():
            try:
                if self.engine.dialect.name == "sqlite":
                    cursor.execute("BEGIN IMMEDIATE")
                for post in posts:
                    self._one(cursor, post)
                connection.commit()
            except BaseException:
                connection.rollback()
                raise

    def _one(self, cursor: Any, post: _Post) -> None:
        cursor.execute("SAVEPOINT post")
        try:
            post.result = post.work(Driver(cursor, self.engine, post.changes.append))
        except Exception as exc:
            cursor.execute("ROLLBACK TO SAVEPOINT post")
            post.error, post.changes = exc, []
        cursor.execute("RELEASE SAVEPOINT post")


def _answer(post: _Post) -> None:
    """Announce what a post changed, then answer it (on its own event loop)."""
    try:
        changes.announce(post.changes)
    except Exception:  # a listener's failure must not stop the writer, nor hide the answer
        log.exception("resident writer: announcing a change failed")
    with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
        post.loop.call_soon_threadsafe(_settle, post)


def _settle(post: _Post) -> None:
    if post.future.cancelled():
        return
    if post.error is not None:
        post.future.set_exception(post.error)
    else:
        post.future.set_result(post.result)


def _alive(connection: Any) -> Any | None:
    """The connection if it still answers; None if the database went away (and perhaps came
    back) while it sat idle, so the next post is not refused for an old connection's sake."""
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchall()
        return connection
    except Exception:
        _discard(connection)
        return None


def _drain(posts_queue: _Queue) -> list[_Post | None]:
    drained: list[_Post | None] = []
    while True:
        try:
            drained.append(posts_queue.get_nowait())
        except queue.Empty:
            return drained


def _discard(connection: Any) -> None:
    if connection is not None:
        try:
            connection.invalidate()
        except Exception:
            log.exception("resident writer: closing a failed connection")


@lru_cache
def get_writer() -> Writer:
    """This process's writer thread for residents' comments."""
    return Writer(get_engine(), lambda: write_turn(get_engine()))


async def write_on_driver(work: Callable[[Driver], T]) -> T:
    """Run a write straight on the driver (see `driver`) and return once it is committed:
    a resident's comment, the busiest write of the night."""
    return await get_writer().write(work)
