"""Live streams against a real server: what each viewer may see, and catching up on reconnect."""

import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.databases import create_scratch_database
from tests.support.factories import CSRF_RE, PASSWORD
from tests.support.live_server import LiveServer, Seeded, seed


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = LiveServer(create_scratch_database("cg_streams"), name="streams-server")
    yield live
    live.stop()


class Stream:
    """An EventSource-like reader in a thread, collecting the raw lines it receives."""

    def __init__(self, client: httpx.Client, path: str) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(client, path), daemon=True)
        self._thread.start()

    def _read(self, client: httpx.Client, path: str) -> None:
        try:
            headers = {"Accept": "text/event-stream"}
            with client.stream("GET", path, headers=headers, timeout=None) as response:
                for line in response.iter_lines():
                    self.lines.append(line)
        except httpx.HTTPError:
            self.lines.append("(closed)")

    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, needle: str, timeout: float = 3) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            assert time.monotonic() < deadline, f"{needle!r} never arrived"
            time.sleep(0.02)


def _resident(server: LiveServer, code: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url)
    match = CSRF_RE.search(client.get(f"/j/{code}").text)
    assert match
    return client, match.group(1)


def _staff(server: LiveServer, email: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url)
    match = CSRF_RE.search(client.get("/login").text)
    assert match
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": match[1]})
    csrf = CSRF_RE.search(client.get("/events").text)
    assert csrf
    return client, csrf.group(1)


def test_residents_never_receive_what_is_waiting_for_moderation(server: LiveServer) -> None:
    m: Seeded = seed(server.database_url, moderation="pre")
    e, table = m.event, m.table_ids[0]
    phone, csrf = _resident(server, e.join_code)
    tablet, staff_csrf = _staff(server, m.facilitator.email)
    resident_stream = Stream(httpx.Client(base_url=server.url), f"/j/{e.join_code}/stream")
    table_stream = Stream(tablet, f"/events/{e.id}/tables/{table}/stream")
    resident_stream.wait_for("event: comments")
    table_stream.wait_for("event: comments")
    words = "Held back until a moderator has looked"
    phone.post(
        f"/j/{e.join_code}/comments",
        data={"csrf_token": csrf, "body": words, "group_id": str(table)},
    )
    table_stream.wait_for(words)  # the facilitator sees it waiting
    time.sleep(0.3)
    assert words not in resident_stream.text()
    comment_id = re.search(r'id="c(\d+)"', table_stream.text())
    assert comment_id
    tablet.post(
        f"/events/{e.id}/comments/{comment_id[1]}/moderate",
        data={"csrf_token": staff_csrf, "status": "published", "view": "table"},
    )
    resident_stream.wait_for(words, timeout=1)
    assert "csrf_token" not in resident_stream.text()


def test_a_reconnecting_phone_catches_up_with_what_it_missed(server: LiveServer) -> None:
    m: Seeded = seed(server.database_url)
    code = m.event.join_code
    phone, csrf = _resident(server, code)
    with httpx.Client(base_url=server.url) as first:
        snapshot = first.get(f"/j/{code}/stream").text  # one snapshot, then the line drops
    assert "Question 1 of 3" in snapshot
    words = "Said while the phone had no signal"
    phone.post(f"/j/{code}/comments", data={"csrf_token": csrf, "body": words})
    again = Stream(httpx.Client(base_url=server.url), f"/j/{code}/stream")
    again.wait_for(words, timeout=1)


def test_a_phones_stream_carries_the_security_headers_and_no_cookie(server: LiveServer) -> None:
    # Residents' streams are answered ahead of the middleware stack (to keep each open phone
    # small); what that stack adds to every response must still be there.
    m: Seeded = seed(server.database_url)
    code, table = m.event.join_code, m.table_ids[0]
    headers = {"Accept": "text/event-stream"}
    with httpx.Client(base_url=server.url) as phone:
        for path in (f"/j/{code}/stream", f"/j/{code.lower()}/t/{table}/stream"):
            with phone.stream("GET", path, headers=headers, timeout=5) as response:
                assert response.status_code == 200
                assert response.headers["content-type"].startswith("text/event-stream")
                assert response.headers["x-content-type-options"] == "nosniff"
                assert response.headers["referrer-policy"] == "no-referrer"
                assert response.headers["cache-control"] == "no-store"
                assert "set-cookie" not in response.headers
                first = next(response.iter_lines())
                assert first.startswith(("event:", "retry:"))
        # An unknown code or table goes on to the application, which answers it as usual.
        assert phone.get("/j/NOSUCHCODE/stream", headers=headers).status_code == 404
        unknown_table = phone.get(f"/j/{code}/t/999999/stream", headers=headers)
        assert unknown_table.status_code == 404
