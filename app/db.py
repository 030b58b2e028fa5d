"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production)."""

import fcntl
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.config import get_settings
from app.resident_lane.driver import sqlalchemy_error

T = TypeVar("T")
# SQLite takes one writer at a time. Writers in this process queue here and go in turn the
# moment the one before commits, rather than sleeping in SQLite's busy handler and retrying.
_sqlite_writer = threading.Lock()
_HOLDS_TURN = "common_ground_write_turn"
# How long a write waits for the lock before it is answered 503: with the wait for this
# process's own turn, well inside the 5 s a phone is promised an answer in.
SQLITE_BUSY_SECONDS = 2
# Errors that say the database is away or busy, not that the request is wrong: answered 503.
UNAVAILABLE = (OperationalError, DisconnectionError, PoolTimeout)


def normalise_url(url: str) -> str:
    """Point plain PostgreSQL URLs at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL with synchronous=FULL: a commit is on disk before it is acknowledged, even across
    # a power cut (NORMAL survives a killed process only). The busy timeout lets writers
    # queue for a moment instead of failing while another one commits.
    # SQLAlchemy, not the driver, decides when transactions begin (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writing request takes the write lock up front: a deferred transaction that read first
    # would fail at once (SQLITE_BUSY_SNAPSHOT) instead of waiting when another writer commits.
    # Sent straight to the driver: a statement through SQLAlchemy costs more than SQLite's
    # own work here, and every transaction starts with one.
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    driver = conn.connection.driver_connection
    assert driver is not None
    statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    # Every writer of this process takes its turn on the one lock (see `write_turn`), held
    # until the connection goes back to the pool, after its commit or rollback.
    if immediate and not conn.info.get(_HOLDS_TURN) and _take_turn():
        conn.info[_HOLDS_TURN] = True
    try:
        driver.execute(statement)
    except Exception as exc:  # busy: raised as SQLAlchemy would, so it is answered 503
        _end_turn(conn.info)
        raise sqlalchemy_error(conn.engine, exc, statement) from exc


def _end_turn(info: dict[Any, Any]) -> None:
    if info.pop(_HOLDS_TURN, False):
        _sqlite_writer.release()


def _checkin(_dbapi_conn: Any, record: Any) -> None:
    _end_turn(record.info)


def _take_turn() -> bool:
    # Should a writer ever hang past SQLite's own busy timeout, the next goes ahead and
    # SQLite's busy handler decides, as for any other writer.
    return _sqlite_writer.acquire(timeout=SQLITE_BUSY_SECONDS)


def make_engine(url: str, echo: bool = False) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "checkin", _checkin)
        return engine
    # An unreachable server is answered 503 in seconds rather than after the system's timeout.
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"connect_timeout": 3},
    )


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(settings.database_url, echo=settings.sql_echo)


@lru_cache
def get_write_engine() -> Engine:
    """The engine for writing requests: on SQLite they take the write lock up front."""
    return get_engine().execution_options(sqlite_immediate=True)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request: commit on success, roll back on any error.

    The session opens lazily (no I/O here); its commit and close run in one trip to the
    thread pool, which is most of what this dependency would otherwise cost a small request.
    A session already committed by `commit_in_thread` closes with no trip at all.
    """
    reading = request.method in ("GET", "HEAD", "OPTIONS")
    session = Session(get_engine() if reading else get_write_engine())
    try:
        yield session
    except BaseException:
        await finish(session, commit=False)
        raise
    if session.in_transaction():
        await finish(session, commit=True)
    else:
        session.close()


async def finish(session: Session, *, commit: bool) -> None:
    """Commit (or roll back) and close in a worker thread of its own.

    Never one from the shared pool: with every pooled thread waiting for a database
    connection, and every connection held by a request waiting to finish, nothing would move
    (a thousand phones opening their streams at once did exactly that).
    """
    await anyio.to_thread.run_sync(_finish, session, commit, limiter=anyio.CapacityLimiter(1))


def _finish(session: Session, commit: bool) -> None:
    with session:
        if commit:
            session.commit()
        else:
            session.rollback()


@contextmanager
def write_turn(engine: Engine | Connection) -> Iterator[None]:
    """This process's SQLite write lock, for a writer that begins its own transactions on the
    driver (the residents' writer); sessions on `get_write_engine` take it by themselves."""
    locked = engine.dialect.name == "sqlite" and _take_turn()
    try:
        yield
    finally:
        if locked:
            _sqlite_writer.release()


async def commit_in_thread(session: Session, work: Callable[[Session], T]) -> T:
    """Run a request's reads and writes and commit them, all in one trip to the thread pool.

    `work` returns plain data, not ORM objects, which the commit would expire. On error the
    transaction is rolled back before the trip ends, so no write lock is held across the
    event loop.
    """
    return await run_in_threadpool(_work_and_commit, session, work)


def _work_and_commit(session: Session, work: Callable[[Session], T]) -> T:
    try:
        result = work(session)
        session.commit()
        return result
    except BaseException:
        session.rollback()
        raise


_claims: dict[str, tuple[int, int]] = {}  # lock file -> (descriptor, holders in this process)
_claims_lock = threading.Lock()


def claim_sqlite_file(url: str) -> Callable[[], None]:
    """Take an SQLite file for this process to serve; the returned function gives it back.

    A second process serving the same file would push live updates only to its own phones
    (half the room would see nothing), so it is refused at startup, saying why. The kernel
    lets go of the claim when a process dies, even by kill -9.
    """
    url = normalise_url(url)
    database = make_url(url).database if url.startswith("sqlite") else None
    if not database or database == ":memory:":
        return lambda: None
    path = f"{Path(database).resolve()}.serving"
    with _claims_lock:
        fd, holders = _claims.get(path, (-1, 0))
        if not holders:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise RuntimeError(
                    f"Another process already serves {database}. SQLite is served by one "
                    "process (WORKERS=1): stop the other one, or use PostgreSQL (DATABASE_URL) "
                    "for several."
                ) from None
        _claims[path] = (fd, holders + 1)

    def release() -> None:
        with _claims_lock:
            fd, holders = _claims.pop(path)
            if holders > 1:
                _claims[path] = (fd, holders - 1)
            else:
                os.close(fd)  # and with it the lock

    return release


def database_ok(engine: Engine | None = None) -> bool:
    """Whether the database takes writes now: reachable, and on SQLite its write lock free
    within the busy timeout (another process holding it stops every write)."""
    engine = engine or get_engine()
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                driver = conn.connection.driver_connection
                assert driver is not None
                driver.execute("BEGIN IMMEDIATE")
                driver.execute("ROLLBACK")
            else:
                conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
