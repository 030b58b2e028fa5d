"""Shared column types and the metadata naming convention."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Protocol, TypeVar

from pydantic import PlainSerializer
from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC on every engine and always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_minute(moment: datetime) -> datetime:
    """Coarsen a time to the minute, so resident rows can't be matched to arrivals."""
    return moment.replace(second=0, microsecond=0)


def minute_now() -> datetime:
    return to_minute(utcnow())


# Pydantic inspects a default factory's signature on every construction; a builtin such as
# `list` costs a parse of its text signature each time, a plain function does not.
def empty_list() -> list[Any]:
    return []


def empty_dict() -> dict[str, Any]:
    return {}


def utc_field(*, nullable: bool = False, default_now: bool = False, index: bool = False) -> Any:
    if default_now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=nullable, index=index)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


E = TypeVar("E", bound=StrEnum)

# A column holding one of a closed set: typed with the set's StrEnum, stored as a plain VARCHAR.
# A row loaded from the database holds the text itself (equal to the member), so either is
# serialised as its text.
EnumText = Annotated[E, PlainSerializer(str, return_type=str)]


def is_value(kind: type[StrEnum], value: object) -> bool:
    """Whether `value` is one of `kind`'s values (what `value in kind` does from Python 3.12)."""
    return value in kind._value2member_map_


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def id_of(row: _Row) -> int:
    """The id of a row that has been flushed or loaded (every row the services hand out)."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id
