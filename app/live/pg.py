"""The live broker for several workers or hosts: PostgreSQL LISTEN/NOTIFY, no other service."""

import asyncio
import json
import logging
from typing import Any

import psycopg
from sqlalchemy import Engine

from app.db import normalise_url
from app.live.broker import Broker, InProcessBroker, Views
from app.live.changes import Change

log = logging.getLogger(__name__)

PG_CHANNEL = "commonground_live"


class PostgresBroker(Broker):
    """Several workers or hosts: changes travel through PostgreSQL LISTEN/NOTIFY.

    The notification carries only the change's kind and ids (never content), and the worker
    that made the change hears its own notification like every other, so all render alike.
    """

    def __init__(self, engine: Engine, views: Views, database_url: str) -> None:
        super().__init__(engine, views)
        self.dsn = normalise_url(database_url).replace("postgresql+psycopg://", "postgresql://")
        self._outbox: asyncio.Queue[Change] = asyncio.Queue()
        self.listening = asyncio.Event()

    async def start(self) -> None:
        await super().start()
        self._tasks.append(asyncio.create_task(self._listen(), name="live-listen"))
        self._tasks.append(asyncio.create_task(self._notify(), name="live-notify"))
        # Serve only once listening, so no change made through another worker is missed.
        try:
            await asyncio.wait_for(self.listening.wait(), timeout=10)
        except TimeoutError:
            log.warning("live: not listening to PostgreSQL yet; will keep trying")

    def announce(self, change: Change) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._outbox.put_nowait, change)

    async def _notify(self) -> None:
        conn: psycopg.AsyncConnection[Any] | None = None
        try:
            while True:
                change = await self._outbox.get()
                payload = json.dumps({"k": change.kind, "e": change.event_id, "i": change.ids})
                conn = await self._send(conn, payload)
        finally:
            if conn is not None:
                await conn.close()

    async def _send(
        self, conn: "psycopg.AsyncConnection[Any] | None", payload: str
    ) -> "psycopg.AsyncConnection[Any] | None":
        for attempt in range(3):
            try:
                if conn is None or conn.closed:
                    conn = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True)
                await conn.execute("SELECT pg_notify(%s, %s)", (PG_CHANNEL, payload))
                return conn
            except psycopg.Error:
                log.warning("live: NOTIFY failed (attempt %d)", attempt + 1)
                conn = None
                await asyncio.sleep(0.2 * (attempt + 1))
        log.error("live: a change was not announced to the other workers")
        return None

    async def _listen(self) -> None:
        first = True
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {PG_CHANNEL}")
                    self.listening.set()
                    if not first:
                        self._catch_up()
                    first = False
                    async for note in conn.notifies():
                        self._on_notify(note.payload)
            except psycopg.Error:
                self.listening.clear()
                log.warning("live: lost the LISTEN connection; reconnecting")
                await asyncio.sleep(1)

    def _on_notify(self, payload: str) -> None:
        try:
            data = json.loads(payload)
            change = Change(kind=data["k"], event_id=int(data["e"]), ids=dict(data["i"]))
        except (ValueError, KeyError, TypeError):
            log.warning("live: ignored a malformed notification")
            return
        self.receive(change)

    def _catch_up(self) -> None:
        # Notifications sent while the connection was down are lost: re-render everything.
        self._cache.clear()
        for event_id in {ch.event_id for ch in self._subscribers}:
            self.receive(Change(kind="event", event_id=event_id))


def create_broker(database_url: str, engine: Engine, views: Views) -> Broker:
    """The broker for this database: in process for SQLite, LISTEN/NOTIFY for PostgreSQL."""
    if database_url.startswith("sqlite"):
        return InProcessBroker(engine, views)
    return PostgresBroker(engine, views, database_url)
