"""The request session's end: it must never wait for a thread that is waiting for it."""

import asyncio
import threading

import anyio
import anyio.to_thread
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.db import finish


def test_a_session_finishes_while_every_pooled_thread_is_busy(engine: Engine) -> None:
    # A thousand phones opening their streams at once: every pooled worker thread waits for a
    # database connection, and the connections are held by requests waiting to finish.
    release = threading.Event()

    async def scenario() -> bool:
        pooled = anyio.to_thread.current_default_thread_limiter()
        pooled.total_tokens = 1
        session = Session(engine)
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        assert session.in_transaction()
        blocker = asyncio.ensure_future(anyio.to_thread.run_sync(release.wait, 5))
        await asyncio.sleep(0.05)  # the only pooled thread is now taken
        try:
            with anyio.fail_after(3):
                await finish(session, commit=True)
            return not session.in_transaction()
        finally:
            release.set()
            await blocker

    assert asyncio.run(scenario())
