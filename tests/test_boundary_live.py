"""The boundary through a real server: bodies over the cap refused before they are read,
security headers on every kind of answer, and forwarded headers believed only from a proxy
we were told of."""

import json
import select
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.databases import create_scratch_database
from tests.support.factories import CSRF_RE, PASSWORD
from tests.support.live_server import LiveServer, Seeded, seed

HUNDRED_MB = 100 * 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = LiveServer(
        create_scratch_database("cg_boundary"),
        name="boundary-server",
        env={"RESIDENT_RATE_LIMIT": "2"},
    )
    yield live
    live.stop()


@pytest.fixture(scope="module")
def proxied() -> Iterator[LiveServer]:
    """Behind an https proxy on this machine, as the README describes."""
    live = LiveServer(
        create_scratch_database("cg_proxied"),
        name="proxied-server",
        env={"RESIDENT_RATE_LIMIT": "2", "FORWARDED_ALLOW_IPS": "127.0.0.1", "HTTPS_ONLY": "true"},
    )
    yield live
    live.stop()


def _response(sock: socket.socket, timeout: float) -> tuple[int, dict[str, object]]:
    """Read one whole (small) response: its status and its JSON body."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed after {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = int(next(x for x in lines if x.lower().startswith(b"content-length:")).split(b":")[1])
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split(b" ")[1]), json.loads(body)


def _request_head(server: LiveServer, path: str, *headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", *headers, "", ""]
    return "\r\n".join(lines).encode()


def test_a_100_mb_body_is_refused_from_its_length_before_it_is_sent(server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        started = time.monotonic()
        sock.sendall(
            _request_head(
                server,
                "/api/v1/events",
                "Content-Type: application/json",
                f"Content-Length: {HUNDRED_MB}",
            )
            + b"[" * 65536
        )
        status, body = _response(sock, timeout=5)
        elapsed = time.monotonic() - started
    assert status == 413
    assert body["errors"] == [{"field": "body", "message": body["errors"][0]["message"]}]  # type: ignore[index]
    assert "at most 1 MiB" in str(body["detail"])
    assert elapsed < 1


def test_a_residents_body_is_capped_at_16_kib(server: LiveServer) -> None:
    m: Seeded = seed(server.database_url)
    comment = json.dumps({"body": "x" * 20_000})
    r = httpx.post(
        f"{server.url}/api/v1/join/{m.event.join_code}/comments",
        content=comment,
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json()["errors"][0]["field"] == "body" and "16 KiB" in r.json()["detail"]
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    # A body under the cap is read as before.
    small = httpx.post(
        f"{server.url}/api/v1/join/{m.event.join_code}/comments",
        json={"body": "The bus stop needs a shelter"},
    )
    assert small.status_code == 201


def test_a_streamed_100_mb_body_is_refused_once_it_passes_the_cap(server: LiveServer) -> None:
    chunk = b"[" * 65536
    sent = 0
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        started = time.monotonic()
        sock.sendall(
            _request_head(
                server, "/api/v1/events", "Content-Type: application/json",
                "Transfer-Encoding: chunked",
            )
        )  # fmt: skip
        try:
            while sent < HUNDRED_MB:
                if select.select([sock], [], [], 0)[0]:
                    break
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except OSError:
            pass  # the server closed the connection: its answer is waiting to be read
        status, body = _response(sock, timeout=5)
        elapsed = time.monotonic() - started
    assert status == 413 and body["errors"][0]["field"] == "body"  # type: ignore[index]
    assert sent < 16 * 1024 * 1024, sent
    assert elapsed < 5


def _has_security_headers(response: httpx.Response) -> None:
    h = response.headers
    assert h["content-security-policy"].startswith("default-src 'self'"), response.url
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert "'unsafe-inline'" not in h["content-security-policy"]
    assert "camera=()" in h["permissions-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"


def test_every_kind_of_answer_carries_the_security_headers(server: LiveServer) -> None:
    m: Seeded = seed(server.database_url)
    code = m.event.join_code
    with httpx.Client(base_url=server.url) as c:
        answers = {
            "staff page, signed out": c.get("/events"),
            "sign-in page": c.get("/login"),
            "page not found": c.get("/no/such/page"),
            "API, no token": c.get("/api/v1/events"),
            "API, unknown code": c.post("/api/v1/join/NOSUCHCODE/comments", json={"body": "Hi"}),
            "API, invalid body": c.post(f"/api/v1/join/{code}/comments", json={"body": ""}),
            "residents' lane": c.post(f"/api/v1/join/{code}/comments", json={"body": "A bench"}),
            "resident page": c.get(f"/j/{code}"),
            "unknown join code": c.get("/j/NOSUCHCODE"),
            "health": c.get("/healthz"),
            "static file": c.get("/static/js/live.js"),
        }
        statuses = {name: r.status_code for name, r in answers.items()}
        assert statuses == {
            "staff page, signed out": 401,
            "sign-in page": 200,
            "page not found": 404,
            "API, no token": 401,
            "API, unknown code": 404,
            "API, invalid body": 422,
            "residents' lane": 201,
            "resident page": 200,
            "unknown join code": 404,
            "health": 200,
            "static file": 200,
        }
        for r in answers.values():
            _has_security_headers(r)
            assert "strict-transport-security" not in r.headers  # HTTPS_ONLY is off
        for name, r in answers.items():
            if name != "static file":
                assert r.headers["cache-control"] == "no-store", name
        assert "no-store" not in answers["static file"].headers.get("cache-control", "")


def test_hsts_is_sent_when_https_only(proxied: LiveServer) -> None:
    for path in ("/login", "/no/such/page", "/healthz"):
        r = httpx.get(f"{proxied.url}{path}")
        assert r.headers["strict-transport-security"].startswith("max-age=31536000"), path
        _has_security_headers(r)


def _comment(server: LiveServer, code: str, forwarded_for: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    r = httpx.post(
        f"{server.url}/api/v1/join/{code}/comments",
        json={"body": "More street lights please"},
        headers=headers,
    )
    return r.status_code


def test_a_forwarded_address_from_an_untrusted_peer_gets_no_fresh_bucket(
    server: LiveServer,
) -> None:
    code = seed(server.database_url).event.join_code
    assert [_comment(server, code, None) for _ in range(2)] == [201, 201]
    # Two a minute from this address: naming another address in a header changes nothing.
    assert _comment(server, code, "203.0.113.9") == 429
    assert _comment(server, code, "203.0.113.10") == 429


def test_a_trusted_proxy_gives_each_client_its_own_bucket(proxied: LiveServer) -> None:
    code = seed(proxied.database_url).event.join_code
    assert [_comment(proxied, code, "203.0.113.1") for _ in range(3)] == [201, 201, 429]
    # Another resident behind the same proxy is not held back by the first one.
    assert _comment(proxied, code, "203.0.113.2") == 201


def _sign_in(
    url: str, email: str, password: str, forwarded_for: str | None = None
) -> httpx.Response:
    """One sign-in through the form, carrying the session cookie by hand (it is Secure behind
    an https proxy, and this client speaks plain http to the server)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    with httpx.Client(base_url=url, headers=headers) as c:
        form = c.get("/login")
        cookie = form.headers["set-cookie"].split(";")[0]
        match = CSRF_RE.search(form.text)
        assert match
        return c.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": match[1]},
            headers={"Cookie": cookie},
        )


def test_a_cookie_replayed_after_sign_out_is_refused(server: LiveServer) -> None:
    m: Seeded = seed(server.database_url)
    with httpx.Client(base_url=server.url) as browser:
        signed_in = _sign_in(server.url, m.organiser.email, PASSWORD)
        assert signed_in.status_code == 303
        cookie = signed_in.headers["set-cookie"].split(";")[0]
        browser.headers["Cookie"] = cookie
        page = browser.get("/events")
        assert page.status_code == 200
        csrf = CSRF_RE.search(page.text)
        assert csrf
        # The page's form token is in the session: the cookie as the page left it.
        browser.headers["Cookie"] = cookie = page.headers["set-cookie"].split(";")[0]
        assert browser.post("/logout", data={"csrf_token": csrf[1]}).status_code == 303
        # The browser forgot the cookie; a copy of it is worth nothing now.
        replayed = httpx.get(f"{server.url}/events", headers={"Cookie": cookie})
        assert replayed.status_code == 401


def test_wrong_passwords_behind_a_proxy_slow_only_their_own_address(proxied: LiveServer) -> None:
    m: Seeded = seed(proxied.database_url)
    email = m.organiser.email
    for _ in range(6):
        assert _sign_in(proxied.url, email, "guess", "203.0.113.50").status_code == 400
    refused = _sign_in(proxied.url, email, PASSWORD, "203.0.113.50")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    # The owner of the account, elsewhere, signs in as ever.
    assert _sign_in(proxied.url, email, PASSWORD, "192.0.2.7").status_code == 303
