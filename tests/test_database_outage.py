"""The database may fail: SQLite's write lock held by another process, PostgreSQL stopped, the
server killed. Every caller is told at once (503 with Retry-After, a page for browsers), the
same process recovers when the database returns, and every comment answered 201 is stored."""

import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from sqlmodel import Session

from app.db import make_engine
from tests.support import factories
from tests.support.databases import create_scratch_database
from tests.support.factories import CSRF_RE
from tests.support.live_server import LiveServer, Seeded, seed
from tests.support.pg_cluster import PrivateCluster, available

PROMISED_SECONDS = 5


@dataclass
class Meeting:
    server: LiveServer
    seeded: Seeded
    token: dict[str, str]

    @property
    def code(self) -> str:
        return self.seeded.event.join_code


def serve(database_url: str, name: str) -> Meeting:
    server = LiveServer(database_url, name=name)
    seeded = seed(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        token = factories.token(session, seeded.organiser)
        session.commit()
    engine.dispose()
    return Meeting(server, seeded, token)


def comment(meeting: Meeting, body: str) -> httpx.Response:
    url = f"{meeting.server.url}/api/v1/join/{meeting.code}/comments"
    return httpx.post(url, json={"body": body}, timeout=30)


def stored_bodies(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.exec_driver_sql("SELECT body FROM comment")}
    finally:
        engine.dispose()


def assert_unavailable(response: httpx.Response, elapsed: float, *, page: bool = False) -> None:
    assert response.status_code == 503, response.text[:300]
    assert elapsed < PROMISED_SECONDS, f"answered after {elapsed:.1f} s"
    assert int(response.headers["retry-after"]) > 0
    if page:
        assert response.headers["content-type"].startswith("text/html")
        assert "Try again in a moment" in response.text
    else:
        body = response.json()
        assert body["detail"] and body["errors"]


def timed(call) -> tuple[httpx.Response, float]:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def check_every_kind_of_caller_is_told(meeting: Meeting) -> None:
    """A resident's comment, a staff API write, a page and the health probe."""
    assert_unavailable(*timed(lambda: comment(meeting, "Said while the database was away")))
    with httpx.Client(base_url=meeting.server.url, timeout=30) as client:
        move = f"/api/v1/events/{meeting.seeded.event.id}/questions/move"
        response, elapsed = timed(
            lambda: client.post(move, json={"direction": "next"}, headers=meeting.token)
        )
        assert_unavailable(response, elapsed)
        html = {"Accept": "text/html"}
        response, elapsed = timed(lambda: client.get(f"/j/{meeting.code}", headers=html))
        assert_unavailable(response, elapsed, page=True)
        response, elapsed = timed(lambda: client.get("/healthz"))
        assert response.status_code == 503 and elapsed < PROMISED_SECONDS


# -- SQLite: another process holds the write lock -------------------------------------------


def test_a_held_sqlite_write_lock_is_answered_503_and_then_recovers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    meeting = serve(url, "sqlite-busy-server")
    server, code = meeting.server, meeting.code
    acknowledged: list[str] = []
    try:
        phone = httpx.Client(base_url=server.url, timeout=30)
        csrf = CSRF_RE.search(phone.get(f"/j/{code}").text)
        assert csrf
        first = comment(meeting, "Before the lock was taken")
        assert first.status_code == 201
        acknowledged.append("Before the lock was taken")

        holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # what a backup, a script or a second server does
        try:
            assert_unavailable(*timed(lambda: comment(meeting, "While the lock was held")))
            # Several phones at once: none waits out its neighbours' turns.
            answers: list[tuple[httpx.Response, float]] = []
            threads = [
                threading.Thread(
                    target=lambda n=n: answers.append(timed(lambda: comment(meeting, f"Held {n}")))
                )
                for n in range(6)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for response, elapsed in answers:
                assert_unavailable(response, elapsed)
            form = {"csrf_token": csrf[1], "body": "Posted with the form while locked"}
            response, elapsed = timed(lambda: phone.post(f"/j/{code}/comments", data=form))
            assert_unavailable(response, elapsed, page=True)
            move = f"/api/v1/events/{meeting.seeded.event.id}/questions/move"
            response, elapsed = timed(
                lambda: phone.post(move, json={"direction": "next"}, headers=meeting.token)
            )
            assert_unavailable(response, elapsed)
            response, elapsed = timed(lambda: phone.get("/healthz"))
            assert response.status_code == 503 and elapsed < PROMISED_SECONDS
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        # The same process, no restart: writes go through again.
        assert phone.get("/healthz").status_code == 200
        for n in range(3):
            assert comment(meeting, f"After the lock {n}").status_code == 201
            acknowledged.append(f"After the lock {n}")
        assert phone.post(f"/j/{code}/comments", data=form).status_code == 303
        phone.close()
    finally:
        server.stop()
    stored = stored_bodies(url)
    assert set(acknowledged) <= stored
    assert not any(body.startswith(("While the lock", "Held ")) for body in stored)


# -- PostgreSQL: the server stops while the app serves ---------------------------------------


@dataclass
class Phones:
    """Residents posting comments in a loop; which ones were answered 201, which 503."""

    meeting: Meeting
    created: list[str] = field(default_factory=list)
    refused: list[tuple[int, float, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, name: str) -> None:
        n = 0
        with httpx.Client(timeout=30) as client:
            url = f"{self.meeting.server.url}/api/v1/join/{self.meeting.code}/comments"
            while not self.stop.is_set():
                body = f"Phone {name} comment {n}"
                n += 1
                started = time.monotonic()
                try:
                    response = client.post(url, json={"body": body})
                except httpx.HTTPError:
                    continue  # the server went away mid-answer: not acknowledged
                if response.status_code == 201:
                    self.created.append(body)
                else:
                    retry = response.headers.get("retry-after", "")
                    self.refused.append((response.status_code, time.monotonic() - started, retry))
                    time.sleep(0.05)


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    if not available():
        pytest.skip("needs PostgreSQL 15's binaries and root, to run a private cluster")
    cluster = PrivateCluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


@pytest.mark.postgres
def test_postgresql_stopping_and_starting_again_under_the_app(cluster: PrivateCluster) -> None:
    url = cluster.create_database("outage")
    meeting = serve(url, "pg-outage-server")
    phones = Phones(meeting)
    threads = [threading.Thread(target=phones.run, args=(str(i),)) for i in range(4)]
    try:
        for t in threads:
            t.start()
        time.sleep(1)
        cluster.stop("immediate")  # a crash, not a shutdown
        time.sleep(1)
        before = len(phones.refused)
        check_every_kind_of_caller_is_told(meeting)
        time.sleep(1)
        cluster.start()
        deadline = time.monotonic() + 20
        while httpx.get(f"{meeting.server.url}/healthz", timeout=10).status_code != 200:
            assert time.monotonic() < deadline, "the app did not see the database come back"
            time.sleep(0.2)
        created_then = len(phones.created)
        time.sleep(1.5)
        assert len(phones.created) > created_then, "comments did not go through again"
        assert comment(meeting, "After the outage").status_code == 201
        assert meeting.server.proc.poll() is None  # the same process throughout
    finally:
        phones.stop.set()
        for t in threads:
            t.join()
        meeting.server.stop()
    refusals = phones.refused[before:] or phones.refused
    assert refusals, "no phone posted while the database was down"
    for status, elapsed, retry in phones.refused:
        assert status == 503 and retry and elapsed < PROMISED_SECONDS
    assert set(phones.created) | {"After the outage"} <= stored_bodies(url)


# -- kill -9 while phones post ----------------------------------------------------------------


def test_a_killed_server_has_stored_every_comment_it_answered_201() -> None:
    """On the engine under test (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""
    url = create_scratch_database("cg_kill")
    meeting = serve(url, "kill-server")
    phones = Phones(meeting)
    threads = [threading.Thread(target=phones.run, args=(str(i),)) for i in range(8)]
    try:
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while len(phones.created) < 200:
            assert time.monotonic() < deadline, "phones could not post"
            time.sleep(0.05)
        meeting.server.proc.kill()  # SIGKILL: no shutdown, no flush
        meeting.server.proc.wait()
    finally:
        phones.stop.set()
        for t in threads:
            t.join()
        meeting.server.stop()
    created = set(phones.created)
    stored = stored_bodies(url)
    assert created <= stored, f"{len(created - stored)} acknowledged comments are missing"
    # And the database opens again for the next server.
    again = LiveServer(url, name="kill-server-again")
    try:
        assert comment(Meeting(again, meeting.seeded, meeting.token), "Back").status_code == 201
    finally:
        again.stop()
