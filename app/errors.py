"""Exception handlers: one JSON error shape for the API, a page (or sign-in) for the browser."""

import logging
from collections.abc import Mapping, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.db import UNAVAILABLE
from app.schemas.common import MAX_ROW_ID
from app.services.errors import DomainError, NotAuthenticated
from app.templating import render

log = logging.getLogger(__name__)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def error_json(
    status: int, detail: str, errors: Sequence[Mapping[str, str | None]]
) -> JSONResponse:
    return JSONResponse({"detail": detail, "errors": errors}, status_code=status)


def _field_of(loc: tuple[int | str, ...]) -> str:
    parts = (
        [str(p) for p in loc[1:]]
        if loc and loc[0] in ("body", "query", "path", "header")
        else [str(p) for p in loc]
    )
    return ".".join(parts) or str(loc[0] if loc else "body")


def error_page(request: Request, status: int, message: str) -> Response:
    # An htmx action (not a boosted page) gets the message alone, shown above its form.
    return render(
        request,
        "pages/error.html",
        {"status": status, "message": message},
        partial="partials/errors/_error.html",
        status_code=status,
    )


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    signing_in = request.method == "GET" and not request.headers.get("HX-Request")
    if isinstance(exc, NotAuthenticated) and not wants_json(request) and signing_in:
        # The sign-in form in place, answering 401: the page itself is never shown.
        return render(
            request,
            "pages/auth/login.html",
            {"next": request.url.path, "errors": {}, "notice": "Sign in to see this page."},
            status_code=401,
        )
    if wants_json(request):
        response = error_json(
            exc.status_code, exc.message, [{"field": exc.field, "message": exc.message}]
        )
        if isinstance(exc, NotAuthenticated):
            response.headers["WWW-Authenticate"] = "Bearer"
        return response
    return error_page(request, exc.status_code, exc.message)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Only the field and pydantic's message are sent back, never the input: a refused
    # comment may hold the personal details redaction exists to remove.
    errors = [
        {
            "field": "body"
            if err.get("type") == "json_invalid"
            else _field_of(tuple(err.get("loc", ()))),
            "message": str(err.get("msg", "invalid")),
        }
        for err in exc.errors()
    ]
    located = zip(errors, exc.errors(), strict=True)
    in_path = [e for e, err in located if tuple(err.get("loc", ()))[:1] == ("path",)]
    if in_path:
        # "/events/abc", "/j/ABC/t/99999999999999999999": no row has that number.
        field = in_path[0]["field"]
        if wants_json(request):
            return error_json(404, f"Not found: nothing has this {field}", in_path)
        return error_page(request, 404, f"Nothing has this {field}")
    if wants_json(request):
        first = errors[0] if errors else {"field": None, "message": "invalid"}
        return error_json(422, f"{first['field']}: {first['message']}", errors)
    return error_page(request, 422, "; ".join(f"{e['field']}: {e['message']}" for e in errors))


async def integrity_error(request: Request, exc: Exception) -> Response:
    # A race the services' own checks could not see (two requests creating the same thing).
    message = "This conflicts with something saved at the same moment: try again"
    if wants_json(request):
        return error_json(409, message, [{"field": None, "message": message}])
    return error_page(request, 409, message)


BODY_PARSE_ERROR = "There was an error parsing the body"


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail) if exc.detail else "Error"
    if exc.status_code == 400 and message == BODY_PARSE_ERROR and wants_json(request):
        # Bytes that are not UTF-8 JSON (a binary upload): name the field like any other.
        message = "The body must be JSON text"
        return error_json(422, f"body: {message}", [{"field": "body", "message": message}])
    if wants_json(request):
        return error_json(exc.status_code, message, [{"field": None, "message": message}])
    if exc.status_code == 404:
        message = "Page not found"
    return error_page(request, exc.status_code, message)


async def out_of_range(request: Request, exc: Exception) -> Response:
    # A number too large for the database that no declared bound caught: named when it is in
    # the address, otherwise it came in the body.
    message = "A number in this request is out of range"
    named = _too_large(request)
    if wants_json(request):
        field = named or "body"
        return error_json(422, f"{field}: {message}", [{"field": field, "message": message}])
    return error_page(request, 422, f"{named}: {message}" if named else message)


def _too_large(request: Request) -> str | None:
    given = [*request.path_params.items(), *request.query_params.multi_items()]
    for name, value in given:
        if str(value).lstrip("-").isdigit() and abs(int(value)) > MAX_ROW_ID:
            return str(name)
    return None


RETRY_AFTER_SECONDS = 5
UNAVAILABLE_MESSAGE = "The database is busy or out of reach: nothing was saved, try again shortly"


async def database_unavailable(request: Request, exc: Exception) -> Response:
    # Busy (another process holds SQLite's write lock) or away (PostgreSQL down): the request
    # was not wrong and nothing of it was stored, so the caller is told to come back.
    log.warning("database unavailable: %s", type(exc).__name__)
    if wants_json(request):
        return unavailable_json()
    response = error_page(request, 503, UNAVAILABLE_MESSAGE)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_json() -> JSONResponse:
    """503 in the API's error shape, with when to try again."""
    response = error_json(
        503, UNAVAILABLE_MESSAGE, [{"field": None, "message": UNAVAILABLE_MESSAGE}]
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(OverflowError, out_of_range)  # SQLite's driver
    app.add_exception_handler(DataError, out_of_range)  # PostgreSQL: "integer out of range"
    app.add_exception_handler(StarletteHTTPException, http_error)
    for unavailable in UNAVAILABLE:
        app.add_exception_handler(unavailable, database_unavailable)
