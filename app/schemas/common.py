"""Shapes shared by every API route: errors and pages of results."""

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, Field

T = TypeVar("T")


def _as_utc(value: datetime) -> datetime:
    # A time without a zone is taken as UTC, the zone everything is stored in.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
# A row's number as the databases store it (PostgreSQL's INTEGER): a larger one names no row,
# and would fail in the database rather than be refused by name.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


class FieldError(BaseModel):
    field: str | None = Field(description="The field at fault, dotted for nested ones")
    message: str


class ErrorBody(BaseModel):
    """Every 4xx answer of the API has this shape."""

    detail: str = Field(description="What went wrong, in a sentence")
    errors: list[FieldError] = Field(default_factory=list)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in (
        (401, "No valid bearer token"),
        (403, "Your role does not allow this"),
        (404, "Not found, or not visible to you"),
        (409, "Conflicts with the current state"),
        (422, "A field is invalid"),
    )
}
