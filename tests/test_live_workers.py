"""Several workers on PostgreSQL: a change made through one worker reaches streams on the other."""

import os
import threading
import time

import httpx
import pytest

from tests.support.databases import create_scratch_database
from tests.support.factories import CSRF_RE
from tests.support.live_server import LiveServer, seed

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="several workers share live updates through PostgreSQL: set TEST_DATABASE_URL",
    ),
]


def _listen(url: str, seen: list[str], stop: threading.Event) -> None:
    try:
        with (
            httpx.Client(timeout=httpx.Timeout(5, read=None)) as client,
            client.stream("GET", url, headers={"Accept": "text/event-stream"}) as response,
        ):
            for line in response.iter_lines():
                seen.append(line)
                if stop.is_set():
                    return
    except httpx.HTTPError:
        seen.append("(stream ended)")  # the server stopping ends the stream


def test_a_comment_posted_through_any_worker_is_pushed_to_every_stream() -> None:
    server = LiveServer(create_scratch_database("cg_workers"), workers=2, name="workers-server")
    try:
        meeting = seed(server.database_url)
        code = meeting.event.join_code
        streams: list[list[str]] = [[], [], []]
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=_listen, args=(f"{server.url}/j/{code}/stream", seen, stop), daemon=True
            )
            for seen in streams
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while not all(any("event: comments" in line for line in s) for s in streams):
            assert time.monotonic() < deadline, "streams did not open"
            time.sleep(0.05)
        bodies = [f"Posted through a fresh connection {i}" for i in range(8)]
        for body in bodies:
            # A new connection each time: the workers take turns accepting them.
            with httpx.Client(base_url=server.url) as resident:
                csrf = CSRF_RE.search(resident.get(f"/j/{code}").text)
                assert csrf
                sent = resident.post(
                    f"/j/{code}/comments", data={"csrf_token": csrf.group(1), "body": body}
                )
                assert sent.status_code == 303
        deadline = time.monotonic() + 3
        for seen in streams:
            while not all(any(b in line for line in seen) for b in bodies):
                assert time.monotonic() < deadline, "a push did not arrive"
                time.sleep(0.05)
        stop.set()
    finally:
        server.stop()
    log = server.log_path.read_text().splitlines()
    assert sum("Started server process" in line for line in log) == 2, "two workers ran"
