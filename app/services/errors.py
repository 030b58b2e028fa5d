"""Domain errors; one handler turns them into a JSON 4xx, pages re-render their form."""

from enum import StrEnum
from typing import TypeVar


class DomainError(Exception):
    """A request the domain refuses, with the field it is about when there is one."""

    status_code = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    """The request is well formed but clashes with the current state."""

    status_code = 409


class TooManyRequests(DomainError):
    status_code = 429


class NotAuthenticated(DomainError):
    status_code = 401


E = TypeVar("E", bound=StrEnum)


def one_of(kind: type[E], value: str, message: str, field: str) -> E:
    """The member of `kind` whose value `value` is, or a DomainError saying `message`."""
    try:
        return kind(value)
    except ValueError:
        raise DomainError(message, field=field) from None
