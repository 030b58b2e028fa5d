"""Pagination for API lists: `?limit=&offset=` in, `{"items", "total", "limit", "offset"}` out."""

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.schemas.common import MAX_ROW_ID, Page

T = TypeVar("T")


class PageParams(BaseModel):
    limit: int
    offset: int


def page_params(
    limit: int = Query(default=50, ge=1, le=200, description="At most this many items"),
    offset: int = Query(default=0, ge=0, le=MAX_ROW_ID, description="Skip this many items"),
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


def fetch_page(
    session: Session, statement: SelectOfScalar[T], params: PageParams
) -> tuple[list[T], int]:
    """One page of a query's rows, and how many rows there are in all."""
    total_query: Any = select(func.count()).select_from(statement.order_by(None).subquery())
    total = int(session.exec(total_query).one())
    rows = session.exec(statement.offset(params.offset).limit(params.limit)).all()
    return list(rows), total


def window(items: list[T], total: int, params: PageParams) -> Page[T]:
    """A page of `items` out of `total`."""
    return Page(items=items, total=total, **params.model_dump())


def paged(rows: list[T], params: PageParams) -> Page[T]:
    """A page of a short list that is read whole (a cohort's people are a few dozen)."""
    return window(rows[params.offset : params.offset + params.limit], len(rows), params)
