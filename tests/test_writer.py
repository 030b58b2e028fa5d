"""The residents' writer thread: posts committed in groups, each refused post undone alone,
nothing answered or announced before the commit that stores it."""

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError

from app.db import SQLITE_BUSY_SECONDS, make_engine, write_turn
from app.live import changes
from app.live.changes import Change
from app.resident_lane.driver import Driver, Prepared
from app.resident_lane.writer import Writer
from app.services.errors import DomainError


class Probe:
    """A scratch table of its own (the writer commits for real, outside any test transaction)."""

    def __init__(self, engine: Engine) -> None:
        suffix = uuid.uuid4().hex[:8]
        self.engine = engine
        self.metadata = MetaData()
        self.parent = Table(
            f"probe_parent_{suffix}", self.metadata, Column("id", Integer, primary_key=True)
        )
        self.table = Table(
            f"probe_{suffix}",
            self.metadata,
            Column("id", Integer, primary_key=True),
            Column("body", String(200), nullable=False),
            # Checked only at commit: a way to make a whole commit fail, on either database.
            Column(
                "parent_id",
                ForeignKey(self.parent.c.id, deferrable=True, initially="DEFERRED"),
                nullable=True,
            ),
        )
        self.insert = Prepared(
            insert(self.table)
            .values(body=bindparam("body"), parent_id=bindparam("parent_id"))
            .returning(self.table.c.id)
        )

    def post(self, body: str, parent_id: int | None = None, refuse: bool = False):  # type: ignore[no-untyped-def]
        def work(driver: Driver) -> int:
            row = driver.first(self.insert, {"body": body, "parent_id": parent_id})
            assert row is not None
            driver.record(Change.of("comment", 1, comment_id=row[0]))
            if refuse:
                raise DomainError("Refused after writing", field="body")
            return int(row[0])

        return work

    def bodies(self) -> dict[int, str]:
        with self.engine.connect() as conn:
            return {r.id: r.body for r in conn.execute(select(self.table.c.id, self.table.c.body))}

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(self.table)).scalar_one())


@pytest.fixture
def probe(engine: Engine) -> Iterator[Probe]:
    probe = Probe(engine)
    probe.metadata.create_all(engine)
    try:
        yield probe
    finally:
        probe.metadata.drop_all(engine)


@pytest.fixture
def writer(engine: Engine) -> Iterator[Writer]:
    writer = Writer(engine, lambda: write_turn(engine))
    yield writer
    writer.close()


def _hold(writer: Writer) -> tuple[threading.Event, "asyncio.Future[object]"]:
    """Keep the writer busy with one post, so the next posts queue up and go as one group."""
    release = threading.Event()

    def wait(driver: Driver) -> None:
        release.wait(5)

    return release, asyncio.ensure_future(writer.write(wait))


def test_posts_sent_together_are_each_stored_and_answered_with_their_own_row(
    probe: Probe, writer: Writer
) -> None:
    async def night() -> list[int]:
        return await asyncio.gather(*(writer.write(probe.post(f"comment {n}")) for n in range(60)))

    ids = asyncio.run(night())
    stored = probe.bodies()
    assert len(set(ids)) == 60 and len(stored) == 60
    assert [stored[i] for i in ids] == [f"comment {n}" for n in range(60)]


def test_a_refused_post_undoes_only_its_own_writes_in_a_group(probe: Probe, writer: Writer) -> None:
    heard: list[Change] = []
    changes.subscribe(heard.append)

    async def night() -> list[object]:
        release, held = _hold(writer)
        await asyncio.sleep(0.05)
        group = [
            asyncio.ensure_future(writer.write(probe.post(body, refuse=body == "refused")))
            for body in ("before", "refused", "after")
        ]
        await asyncio.sleep(0.05)
        release.set()
        await held
        return await asyncio.gather(*group, return_exceptions=True)

    try:
        before, refused, after = asyncio.run(night())
    finally:
        changes.unsubscribe(heard.append)
    assert isinstance(refused, DomainError) and refused.field == "body"
    assert sorted(probe.bodies().values()) == ["after", "before"]
    assert sorted(c.ids["comment_id"] for c in heard) == sorted([before, after])  # type: ignore[type-var]


def test_a_change_is_announced_only_once_its_row_is_committed(probe: Probe, writer: Writer) -> None:
    seen_on_announce: list[dict[int, str]] = []

    def listener(change: Change) -> None:
        seen_on_announce.append(probe.bodies())  # another connection: sees committed rows only

    changes.subscribe(listener)
    try:
        new_id = asyncio.run(writer.write(probe.post("announced")))
    finally:
        changes.unsubscribe(listener)
    assert seen_on_announce == [{new_id: "announced"}]


def test_a_failed_commit_answers_every_post_of_its_group_and_the_writer_goes_on(
    probe: Probe, writer: Writer
) -> None:
    heard: list[Change] = []
    changes.subscribe(heard.append)

    async def night() -> tuple[list[object], int]:
        release, held = _hold(writer)
        await asyncio.sleep(0.05)
        group = [
            asyncio.ensure_future(writer.write(probe.post("good"))),
            asyncio.ensure_future(writer.write(probe.post("orphan", parent_id=999))),
        ]
        await asyncio.sleep(0.05)
        release.set()
        await held
        answers = await asyncio.gather(*group, return_exceptions=True)
        return answers, await writer.write(probe.post("next"))

    try:
        answers, next_id = asyncio.run(night())
    finally:
        changes.unsubscribe(heard.append)
    # Neither was stored, and both are told so, as SQLAlchemy would say it (answered 409).
    assert all(isinstance(a, IntegrityError) for a in answers)
    assert probe.bodies() == {next_id: "next"}
    assert [c.ids["comment_id"] for c in heard] == [next_id]


def test_closing_commits_what_is_queued(probe: Probe, writer: Writer) -> None:
    async def shutdown() -> list[int]:
        posts = [asyncio.ensure_future(writer.write(probe.post(f"late {n}"))) for n in range(5)]
        await asyncio.sleep(0)  # queued
        writer.close()
        return await asyncio.gather(*posts)

    ids = asyncio.run(shutdown())
    assert len(ids) == 5 and probe.count() == 5


def test_a_database_that_cannot_be_opened_is_reported_to_the_post(tmp_path: Path) -> None:
    # The phone is told at once (a 5xx), rather than waiting on a writer that has died.
    engine = make_engine(f"sqlite:///{tmp_path}")  # a directory, not a database file
    writer = Writer(engine, contextlib.nullcontext)

    async def post() -> object:
        return await asyncio.wait_for(writer.write(lambda driver: 1), 5)

    try:
        with pytest.raises(OperationalError, match="unable to open database"):
            asyncio.run(post())
        with pytest.raises(OperationalError):  # the writer is still there to answer
            asyncio.run(post())
    finally:
        writer.close()
        engine.dispose()


def test_a_busy_database_answers_every_waiting_post_at_once_and_the_writer_recovers(
    probe: Probe, writer: Writer, engine: Engine
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("another process holding the write lock is SQLite's kind of busy")
    holder = engine.raw_connection()
    holder.cursor().execute("BEGIN IMMEDIATE")  # a backup or a script holds the write lock

    async def night() -> tuple[list[object], float]:
        started = time.monotonic()
        first = asyncio.ensure_future(writer.write(probe.post("first")))
        await asyncio.sleep(0.3)  # the writer is waiting for the lock; more posts queue up
        answers = await asyncio.gather(
            first,
            *(writer.write(probe.post(f"busy {n}")) for n in range(20)),
            return_exceptions=True,
        )
        return answers, time.monotonic() - started

    try:
        answers, elapsed = asyncio.run(night())
    finally:
        holder.rollback()
        holder.close()
    assert all(isinstance(a, OperationalError) for a in answers)  # answered 503
    # One wait for the lock, not one per group of posts queued behind it.
    assert elapsed < 1.5 * SQLITE_BUSY_SECONDS + 0.5, f"the last post waited {elapsed:.1f} s"
    assert probe.count() == 0
    assert asyncio.run(writer.write(probe.post("after"))) in probe.bodies()
