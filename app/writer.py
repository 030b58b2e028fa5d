"""One writer thread per process for residents' comments, committing them in groups.

At the height of a night hundreds of phones post at once. Each post handed to a pooled thread
of its own costs a thread hand-off, a connection checkout and a transaction, more than the
insert itself. Here one thread takes the posts as they queue and commits all that are waiting
in one transaction, each in a savepoint of its own, so a refused post undoes only itself.
Nothing is answered before the commit that stores it: anything acknowledged is on disk.
"""

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine

from app.driver import Driver
from app.services import changes
from app.services.changes import Change

T = TypeVar("T")
log = logging.getLogger(__name__)
BATCH = 64  # posts at most in one transaction


@dataclass
class _Post:
    work: Callable[[Driver], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    changes: list[Change] = field(default_factory=list)
    result: Any = None
    error: BaseException | None = None


class Writer:
    def __init__(self, engine: Engine, turn: Callable[[], Any]) -> None:
        self.engine = engine
        self.turn = turn  # the process's write lock, shared with sessions (see app.db)
        self._queue: queue.SimpleQueue[_Post | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    async def write(self, work: Callable[[Driver], T]) -> T:
        """Run `work` on the writer's connection; its result once committed."""
        loop = asyncio.get_running_loop()
        post = _Post(work, loop, loop.create_future())
        self._ensure_running()
        self._queue.put(post)
        result: T = await post.future
        return result

    def close(self) -> None:
        """Finish what is queued, then stop the thread."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _ensure_running(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="resident-writer", daemon=True
                    )
                    self._thread.start()

    def _run(self) -> None:
        connection = None
        while True:
            batch = [self._queue.get()]
            while batch[-1] is not None and len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            posts = [p for p in batch if p is not None]
            if posts:
                if connection is None:
                    connection = self.engine.raw_connection()
                try:
                    self._commit(connection, posts)
                except BaseException as exc:  # the connection or the database failed
                    log.exception("resident writer: a transaction failed")
                    for post in posts:
                        post.error, post.changes = exc, []
                    connection.invalidate()
                    connection = None
                for post in posts:
                    changes.announce(post.changes)
                    post.loop.call_soon_threadsafe(_settle, post)
            if batch[-1] is None:
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


def _settle(post: _Post) -> None:
    if post.future.cancelled():
        return
    if post.error is not None:
        post.future.set_exception(post.error)
    else:
        post.future.set_result(post.result)
