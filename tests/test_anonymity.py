"""Anonymity (SPEC §3.1): nothing stored or logged links a resident's words to them.

The last test runs the real server, as `commonground serve` runs it, and sends resident
requests from a marked client address and user agent; then it scans the database (the file's
bytes on SQLite) and everything the server logged, SQL included, for the marks.
"""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlmodel import Session, select

from app.cli import LOG_CONFIG
from app.live import changes
from app.live.changes import Change
from app.models import Comment, EqualityAnswer, PanelQuestion, PanelUpvote, Vote
from tests.support import factories
from tests.support.databases import create_scratch_database
from tests.support.live_server import free_port

MARKED_ADDRESS = "203.0.113.77"
MARKED_AGENT = "CanaryPhone/9.1 (marked-agent-5f3a)"
KEY = "k" * 24
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("model", [Comment, Vote, PanelQuestion, PanelUpvote, EqualityAnswer])
def test_resident_rows_have_nowhere_to_keep_who_wrote_them(model: type) -> None:
    columns = {c.name for c in model.__table__.columns}  # type: ignore[attr-defined]
    for word in ("ip", "addr", "agent", "user", "cookie", "session", "account", "author"):
        assert not any(word in name.split("_") for name in columns), (model, columns)


def test_times_are_coarsened_to_the_minute(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open")
    db.commit()
    base = f"/api/v1/join/{e.join_code}"
    cid = client.post(f"{base}/comments", json={"body": "hi"}).json()["id"]
    client.post(f"{base}/comments/{cid}/vote", json={"vote": "agree"}, headers={"X-Voter-Key": KEY})
    client.post(f"{base}/questions", json={"body": "why?"})
    client.post(f"{base}/equality", json={"age_band": "16-24"})
    rows = [
        *db.exec(select(Comment).where(Comment.event_id == e.id)),
        *db.exec(select(Vote).where(Vote.event_id == e.id)),
        *db.exec(select(PanelQuestion).where(PanelQuestion.event_id == e.id)),
        *db.exec(select(EqualityAnswer).where(EqualityAnswer.event_id == e.id)),
    ]
    assert len(rows) == 4
    assert all(r.created_at.second == 0 and r.created_at.microsecond == 0 for r in rows)


def test_residents_get_no_cookie(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open")
    db.commit()
    responses = [
        client.get(f"/api/v1/join/{e.join_code}"),
        client.post(f"/api/v1/join/{e.join_code}/comments", json={"body": "hi"}),
    ]
    assert all("set-cookie" not in r.headers for r in responses)


def test_live_views_hear_ids_never_text(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open")
    db.commit()
    heard: list[Change] = []
    changes.subscribe(heard.append)
    try:
        client.post(f"/api/v1/join/{e.join_code}/comments", json={"body": "PC Canary 07700900999"})
    finally:
        changes.unsubscribe(heard.append)
    assert heard and all(isinstance(v, int) for c in heard for v in c.ids.values())


def test_the_access_log_format_carries_no_client_address() -> None:
    from uvicorn.logging import AccessFormatter

    fmt = LOG_CONFIG["formatters"]["access"]["fmt"]
    formatter = AccessFormatter(fmt=fmt, use_colors=False)
    # Exactly how uvicorn's h11 and httptools protocols log a request.
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        (f"{MARKED_ADDRESS}:5151", "POST", "/api/v1/join/ABC234/comments", "1.1", 201),
        None,
    )
    line = formatter.format(record)
    assert "/api/v1/join/ABC234/comments" in line and "201" in line
    assert MARKED_ADDRESS not in line


def _run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _database_contents(url: str) -> bytes:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    dump: list[str] = []
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            dump += [repr(tuple(row)) for row in conn.execute(text(f'SELECT * FROM "{table}"'))]
    engine.dispose()
    return "\n".join(dump).encode()


def _wait_until_serving(http: httpx.Client, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60  # the machine may be busy
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            if http.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start within a minute")


def test_a_night_of_resident_requests_leaves_no_trace_of_who(tmp_path: Path) -> None:
    url = create_scratch_database("cg_anon")
    port = free_port()
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "anonymity-test-secret",
        "SQL_ECHO": "true",  # log every statement and its parameters too
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    _run([str(bin_dir / "commonground"), "migrate"], env, tmp_path)
    demo = _run([str(bin_dir / "commonground"), "demo"], env, tmp_path)
    code = demo.rsplit("join code ", 1)[1].split(")")[0]
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(bin_dir / "commonground"), "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            headers = {"X-Forwarded-For": MARKED_ADDRESS, "User-Agent": MARKED_AGENT}
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as http:
                _wait_until_serving(http, server, log_path)
                base = f"/api/v1/join/{code}"
                assert http.get(base).status_code == 200
                posted = http.post(
                    f"{base}/comments",
                    json={"body": "PC Canarybird took my number 07700 900999, canary@example.com"},
                )
                assert posted.status_code == 201, posted.text
                cid = posted.json()["id"]
                voted = http.post(
                    f"{base}/comments/{cid}/vote",
                    json={"vote": "agree"},
                    headers={"X-Voter-Key": "marked-voter-key-" + "x" * 16},
                )
                assert voted.status_code == 200
                asked = http.post(f"{base}/questions", json={"body": "Why, Sgt Canarybird?"})
                assert asked.status_code == 201
                equality = http.post(f"{base}/equality", json={"age_band": "25-34"})
                assert equality.status_code == 201
                refused = http.post(f"{base}/comments", json={"body": "canary@example.com \x00"})
                assert refused.status_code == 422
        finally:
            server.terminate()
            server.wait(timeout=15)
    logged = log_path.read_bytes()
    assert b"POST /api/v1/join/" in logged and b"INSERT INTO comment" in logged  # it did log
    stored = _database_contents(url)
    assert b"[phone]" in stored  # and it did store the comment
    for mark in (
        MARKED_ADDRESS,
        "marked-agent-5f3a",
        "marked-voter-key",
        "Canarybird",
        "07700 900999",
        "canary@example.com",
    ):
        assert mark.encode() not in stored, f"{mark} is in the database"
        assert mark.encode() not in logged, f"{mark} is in the server's log"
