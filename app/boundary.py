"""The outermost ASGI layers: security headers on every answer (errors and the residents' lane
included), and a cap on request bodies enforced before any of a body is read."""

import json
import secrets
from typing import Any

from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Nothing inline: every script and style is a file of ours, so injected markup cannot run.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The API's own documentation pages load Swagger UI from its CDN with an inline set-up script;
# they hold no one's data, and are the only pages allowed that.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "display-capture=(), fullscreen=(self)"
)
HSTS = b"max-age=31536000; includeSubDomains"
# Public pages, their feeds and the static files may be kept by browsers and proxies; anything
# else may carry a signed-in member of staff's data, or a resident's form token.
CACHEABLE_PREFIXES = ("/static/", "/p/")


def security_headers(https_only: bool, csp: str = CSP) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        # Residents' pages must not leak the join code or anything else to other sites.
        (b"referrer-policy", b"no-referrer"),
        (b"content-security-policy", csp.encode()),
        (b"permissions-policy", PERMISSIONS_POLICY.encode()),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if https_only:
        headers.append((b"strict-transport-security", HSTS))
    return headers


class SecurityHeaders:
    """Adds the security headers to every http answer, and `Cache-Control: no-store` to any
    answer outside the public pages and static files that sets no caching of its own."""

    def __init__(self, app: ASGIApp, https_only: bool = False) -> None:
        self.app = app
        self.headers = security_headers(https_only)
        self.docs_headers = security_headers(https_only, DOCS_CSP)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = self.docs_headers if path in DOCS_PATHS else self.headers
        no_store = not path.startswith(CACHEABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if no_store and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


RESIDENT_BODY_BYTES = 16 * 1024
BODY_BYTES = 1024 * 1024
RESIDENT_PREFIXES = ("/api/v1/join/", "/j/")


def body_limit(path: str) -> int:
    """Residents send a sentence at a time; staff forms and the API a page at most."""
    return RESIDENT_BODY_BYTES if path.startswith(RESIDENT_PREFIXES) else BODY_BYTES


class BodyLimit:
    """Refuses a body over the limit with 413, naming the body, before reading it: a declared
    length is judged from the header alone; a streamed (chunked) body is read up to the
    limit and refused the moment it passes it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        length: bytes | None = None
        chunked = False
        for key, value in scope["headers"]:
            if key == b"content-length":
                length = value
            elif key == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if length is not None:
            if length.strip().isdigit() and int(length) <= limit:
                await self.app(scope, receive, send)
            else:
                await _too_large(send, limit)
            return
        if not chunked:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, replay_body(b"".join(chunks), receive), send)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body already read, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _too_large(send: Send, limit: int) -> None:
    size = f"{limit // 1024} KiB" if limit < BODY_BYTES else f"{limit // BODY_BYTES} MiB"
    message = f"The request body is too large: send at most {size}"
    body = json.dumps(
        {"detail": f"body: {message}", "errors": [{"field": "body", "message": message}]}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                # The unread rest of the body would otherwise be taken for the next request.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Sessions:
    """Signed, HttpOnly, SameSite=Lax session cookies, marked Secure on https requests
    (seen through the proxy's headers) or always when HTTPS_ONLY is set."""

    def __init__(self, app: ASGIApp, secret_key: str, https_only: bool) -> None:
        options: dict[str, Any] = {
            "secret_key": secret_key,
            "session_cookie": "cg_session",
            "max_age": 12 * 60 * 60,
            "same_site": "lax",
        }
        self.secure = SessionMiddleware(app, https_only=True, **options)
        self.plain = self.secure if https_only else SessionMiddleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        middleware = self.secure if scope.get("scheme") in ("https", "wss") else self.plain
        await middleware(scope, receive, send)


CSRF_FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)
