"""The one lifespan: everything a worker process runs in the background starts here and stops
here, in the reverse order."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.config import get_settings
from app.db import claim_sqlite_file, get_engine, get_write_engine
from app.live import changes
from app.live.pg import create_broker
from app.live_views import LiveViews
from app.resident_lane.writer import get_writer
from app.services import mail
from app.services.opinion_groups import scheduler


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    release = claim_sqlite_file(settings.database_url)  # one process per SQLite file
    # The live broker hears every committed change and pushes it to this worker's streams.
    broker = create_broker(settings.database_url, get_engine(), LiveViews())
    await broker.start()
    changes.subscribe(broker.announce)
    app.state.broker = broker
    # Opinion groups recompute in a worker thread of this process, after the votes it commits.
    scheduler.start(settings.opinion_groups_interval)
    retrier = None
    if settings.smtp_url:  # mail a mail server outage held back, without waiting for more
        retrier = mail.Retrier(get_write_engine(), settings.mail_retry_seconds)
    try:
        yield
    finally:
        if retrier is not None:
            retrier.stop()
        scheduler.stop()
        get_writer().close()  # what is queued is committed, and announced, first
        changes.unsubscribe(broker.announce)
        await broker.stop()
        app.state.broker = None
        release()
