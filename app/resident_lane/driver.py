"""Core statements run straight on the database driver, for the busiest write of the night.

A resident's comment is three small statements. Through SQLAlchemy's execution machinery
each costs several times SQLite's own work, so here a statement is compiled once per dialect
and its parameters go through the column types' own bind processors, as SQLAlchemy would do,
onto the driver's cursor. Everything else uses sessions.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import DBAPICursor, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session

from app.live import changes

_Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: list[str]  # the parameters in the statement's order
    defaults: list[Any]  # values the statement carries itself (literals, LIMIT)
    processors: list[_Processor]  # the column types' bind processors
    positional: bool


class Prepared:
    """A statement compiled once per dialect, the first time it runs there."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            compiled = cast(SQLCompiler, self.statement.compile(dialect=dialect))
            by_name = {name: bind for bind, name in compiled.bind_names.items()}
            names = list(compiled.positiontup or ()) if compiled.positional else list(by_name)
            binds = [by_name[name] for name in names]
            found = _Compiled(
                sql=compiled.string,
                names=names,
                defaults=[bind.value for bind in binds],
                processors=[b.type.dialect_impl(dialect).bind_processor(dialect) for b in binds],
                positional=compiled.positional,
            )
            self._by_dialect[dialect.name] = found
        return found


@dataclass(frozen=True)
class Driver:
    """A transaction on the driver's cursor; changes are announced once it commits."""

    cursor: DBAPICursor
    engine: Engine
    record: Callable[[changes.Change], None]

    def execute(self, statement: Prepared, params: Mapping[str, Any]) -> DBAPICursor:
        compiled = statement.compiled(self.engine.dialect)
        values = [
            process(params.get(name, default)) if process else params.get(name, default)
            for name, default, process in zip(
                compiled.names, compiled.defaults, compiled.processors, strict=True
            )
        ]
        sent = values if compiled.positional else dict(zip(compiled.names, values, strict=True))
        if self.engine.echo:  # SQL_ECHO shows these statements too
            self.engine.logger.info("%s\n[driver] %r", compiled.sql, sent)
        try:
            self.cursor.execute(compiled.sql, sent)
        except Exception as exc:
            raise sqlalchemy_error(self.engine, exc, compiled.sql, sent) from exc
        return self.cursor

    def first(self, statement: Prepared, params: Mapping[str, Any]) -> Sequence[Any] | None:
        row: Sequence[Any] | None = self.execute(statement, params).fetchone()
        return row


def session_driver(session: Session) -> Driver:
    """The driver under a session's own transaction: its statements commit with the session."""
    connection = session.connection()
    return Driver(
        connection.connection.cursor(),
        connection.engine,
        lambda change: changes.record_change(session, change),
    )


def sqlalchemy_error(
    engine: Engine, exc: Exception, statement: str | None = None, params: Any = None
) -> Exception:
    """The driver's error as SQLAlchemy raises it (an `IntegrityError` is answered 409 like
    any other); anything else as it is."""
    dbapi_error = engine.dialect.loaded_dbapi.Error
    if not isinstance(exc, dbapi_error):
        return exc
    return DBAPIError.instance(statement, params, exc, dbapi_error, dialect=engine.dialect)
