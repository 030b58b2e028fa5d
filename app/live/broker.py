"""The live broker: committed changes become HTML fragments pushed to every open view.

A change (see `changes.py`) names what moved; the broker works out which subscribed channels
show it, renders each affected fragment once per channel (a channel is one kind of view of one
event, or of one table), and hands the same encoded bytes to every subscriber of the channel.
Nothing is rendered per subscriber.

Two implementations share the fan-out: in-process (SQLite, one worker) and PostgreSQL
LISTEN/NOTIFY (`live_pg.py`, several workers), where the notification carries only the change's
kind and ids and every worker renders its own pushes.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import NamedTuple, Protocol

import anyio.to_thread
from sqlalchemy import Engine
from sqlmodel import Session

from app.live.changes import Change

log = logging.getLogger(__name__)

# A snapshot older than this is rendered again for a newcomer instead of served from cache.
CACHE_SECONDS = 5.0
# The browser reconnects this long after a dropped stream.
RETRY_MS = 2000
KEEPALIVE_SECONDS = 15.0
KEEPALIVE = b": keep-alive\n\n"
RETRY = f"retry: {RETRY_MS}\n\n".encode()


class Channel(NamedTuple):
    view: str  # table, room, screen, resident, door
    event_id: int
    group_id: int | None = None


class Views(Protocol):
    """What the broker needs from the presentation layer."""

    def fragments(self, view: str) -> tuple[str, ...]: ...

    def plan(
        self, session: Session, batch: list[Change], channels: list[Channel]
    ) -> dict[Channel, set[str]]: ...

    def render(self, session: Session, channel: Channel, names: set[str]) -> dict[str, str]: ...


def encode(name: str, html: str) -> bytes:
    """One server-sent event; each line of the fragment becomes a data line."""
    # Indentation and blank lines carry nothing in these fragments (no <pre>, and textareas
    # start empty): dropping them keeps a push to a thousand phones small.
    lines = (
        "".join(f"data: {t}\n" for line in html.splitlines() if (t := line.strip())) or "data:\n"
    )
    return f"event: {name}\n{lines}\n".encode()


class Subscription:
    """One open stream. Keeps only the newest version of each fragment: a slow phone skips
    states it never showed instead of queueing them."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self._latest: dict[str, bytes] = {}
        self._wake = asyncio.Event()

    def offer(self, name: str, data: bytes, *, replace: bool = True) -> None:
        if replace or name not in self._latest:
            self._latest[name] = data
            self._wake.set()

    async def wait(self) -> None:
        await self._wake.wait()
        self._wake.clear()

    def take(self) -> list[bytes]:
        batch, self._latest = self._latest, {}
        return list(batch.values())


class Broker:
    """The fan-out shared by both implementations; `announce` is what they differ in."""

    def __init__(self, engine: Engine, views: Views) -> None:
        self.engine = engine
        self.views = views
        self.loop: asyncio.AbstractEventLoop | None = None
        self._subscribers: dict[Channel, set[Subscription]] = {}
        self._cache: dict[Channel, tuple[float, dict[str, bytes]]] = {}
        self._locks: dict[Channel, asyncio.Lock] = {}
        self._inbox: asyncio.Queue[Change] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._tasks.append(asyncio.create_task(self._dispatch(), name="live-dispatch"))
        self._tasks.append(asyncio.create_task(self._keep_alive(), name="live-keep-alive"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    async def _keep_alive(self) -> None:
        # One timer for every stream, rather than one per stream: a quiet stream still gets
        # a comment line now and then, so proxies and phones keep it open.
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            for subs in list(self._subscribers.values()):
                for sub in subs:
                    sub.offer("keep-alive", KEEPALIVE)

    def announce(self, change: Change) -> None:
        """Called after a commit, from any thread."""
        self.receive(change)

    def receive(self, change: Change) -> None:
        """Queue a change for rendering (thread-safe)."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._inbox.put_nowait, change)

    @property
    def subscriber_count(self) -> int:
        return sum(len(subs) for subs in self._subscribers.values())

    def subscribe(self, channel: Channel) -> Subscription:
        sub = Subscription(channel)
        self._subscribers.setdefault(channel, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._subscribers.get(sub.channel)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subscribers[sub.channel]
                self._cache.pop(sub.channel, None)
                self._locks.pop(sub.channel, None)

    async def stream(self, channel: Channel) -> AsyncIterator[bytes]:
        """A subscriber's stream: the current state of every fragment first, then changes."""
        sub = self.subscribe(channel)
        try:
            await self._snapshot(sub)
            yield RETRY
            while True:
                await sub.wait()
                # Everything that changed since the last wake goes out in one write.
                yield b"".join(sub.take())
        finally:
            self.unsubscribe(sub)

    async def snapshot(self, channel: Channel) -> list[bytes]:
        """The current state of a channel's fragments, once (for a client that does not stream)."""
        sub = Subscription(channel)
        await self._snapshot(sub)
        return [RETRY, *sub.take()]

    async def _snapshot(self, sub: Subscription) -> None:
        # Reconnecting after a dropped connection lands here too, so it always catches up.
        channel = sub.channel
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            cached = self._cache.get(channel)
            if cached is None or time.monotonic() - cached[0] > CACHE_SECONDS:
                names = set(self.views.fragments(channel.view))
                fresh = await anyio.to_thread.run_sync(self._render, channel, names)
                cached = (time.monotonic(), fresh)
                if channel in self._subscribers:
                    self._cache[channel] = cached
        for name, data in cached[1].items():
            # A push that arrived while this was rendering is newer: keep it.
            sub.offer(name, data, replace=False)

    def _render(self, channel: Channel, names: set[str]) -> dict[str, bytes]:
        with Session(self.engine) as session:
            html = self.views.render(session, channel, names)
        return {name: encode(name, fragment) for name, fragment in html.items()}

    def _plan_and_render(
        self, batch: list[Change], channels: list[Channel]
    ) -> dict[Channel, dict[str, bytes]]:
        with Session(self.engine) as session:
            plan = self.views.plan(session, batch, channels)
            out = {}
            for channel, names in plan.items():
                html = self.views.render(session, channel, names)
                out[channel] = {name: encode(name, frag) for name, frag in html.items()}
        return out

    async def _dispatch(self) -> None:
        while True:
            batch = [await self._inbox.get()]
            # Changes that arrived meanwhile are rendered together: one push per fragment.
            while not self._inbox.empty():
                batch.append(self._inbox.get_nowait())
            events = {c.event_id for c in batch}
            channels = [ch for ch in self._subscribers if ch.event_id in events]
            if not channels:
                continue
            try:
                pushes = await anyio.to_thread.run_sync(self._plan_and_render, batch, channels)
            except Exception:
                log.exception("live: rendering %d change(s) failed", len(batch))
                continue
            self.publish(pushes)

    def publish(self, pushes: dict[Channel, dict[str, bytes]]) -> None:
        now = time.monotonic()
        for channel, fragments in pushes.items():
            subs = self._subscribers.get(channel)
            if not subs:
                continue
            cached = self._cache.get(channel)
            if cached is not None:
                self._cache[channel] = (now, {**cached[1], **fragments})
            for sub in subs:
                for name, data in fragments.items():
                    sub.offer(name, data)


class InProcessBroker(Broker):
    """One worker: a committed change is rendered by the same process."""
