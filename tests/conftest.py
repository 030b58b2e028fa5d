"""Test set-up: one scratch database per run (SQLite, or PostgreSQL with TEST_DATABASE_URL),
migrated once; each test runs in a transaction that is rolled back at its end."""

import os
from collections.abc import Callable, Iterator

import pytest

from tests.support.databases import PG_ADMIN_URL, create_scratch_database, drop_scratch_databases


def pytest_configure(config: pytest.Config) -> None:
    # The app reads its settings once, so the test database is chosen before it is imported.
    os.environ["DATABASE_URL"] = create_scratch_database()
    os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
    os.environ.setdefault("PUBLIC_BASE_URL", "http://testserver")
    os.environ["RESIDENT_RATE_LIMIT"] = os.environ.get("RESIDENT_RATE_LIMIT", "3000")


def pytest_unconfigure(config: pytest.Config) -> None:
    from app.db import get_engine

    get_engine().dispose()
    drop_scratch_databases()


def pytest_report_header(config: pytest.Config) -> str:
    return f"database under test: {'PostgreSQL' if PG_ADMIN_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def engine():  # type: ignore[no-untyped-def]
    from alembic import command

    from app.cli import alembic_config
    from app.db import get_engine

    engine = get_engine()
    config = alembic_config()
    config.attributes["configure_logging"] = False
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return engine


@pytest.fixture
def db(engine):  # type: ignore[no-untyped-def]
    """A session whose every commit lands in a savepoint of a transaction rolled back after."""
    from sqlmodel import Session

    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def app(db):  # type: ignore[no-untyped-def]
    from starlette.concurrency import run_in_threadpool

    from app.db import get_session
    from app.main import app as fastapi_app
    from app.resident_lane import writer as lane_writer
    from app.resident_lane.driver import Driver, session_driver

    def session_override() -> Iterator[object]:
        # What the test set up counts as committed before the request, so a request that
        # fails and rolls back undoes only its own work, as in production.
        db.commit()
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    class TestWriter:
        """Residents' comments go straight to the driver: here, on the test's transaction."""

        async def write(self, work: Callable[[Driver], object]) -> object:
            return await run_in_threadpool(self._write, work)

        def _write(self, work: Callable[[Driver], object]) -> object:
            db.commit()
            try:
                result = work(session_driver(db))
                db.commit()
                return result
            except BaseException:
                db.rollback()
                raise

    fastapi_app.dependency_overrides[get_session] = session_override
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lane_writer, "get_writer", TestWriter)
        yield fastapi_app
    fastapi_app.dependency_overrides.clear()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture
def make_client(app):  # type: ignore[no-untyped-def]
    """More clients (browsers) against the same app, each with its own cookies."""
    from fastapi.testclient import TestClient

    clients: list[TestClient] = []

    def _make() -> TestClient:
        c = TestClient(app)
        clients.append(c)
        return c

    yield _make
    for c in clients:
        c.close()


@pytest.fixture(autouse=True)
def _fresh_opinion_group_state() -> Iterator[None]:
    """Warm-start state is kept per event id in memory; rolled-back tests reuse ids."""
    yield
    from app.services.opinion_groups import store

    store.forget()


@pytest.fixture(autouse=True)
def _fresh_login_throttle() -> Iterator[None]:
    """Wrong passwords are counted per address in memory; every test client has one address."""
    yield
    from app.services.login_throttle import throttle

    throttle.reset()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """Debian's chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM_ARGS, EXECUTABLE

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=EXECUTABLE, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server():  # type: ignore[no-untyped-def]
    """A real server on a port of ours, with its own scratch database, one per test module."""
    from tests.support.live_server import LiveServer

    live = LiveServer(create_scratch_database("cg_browser"), name="browser-server")
    yield live
    live.stop()
