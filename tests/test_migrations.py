"""Schema only through Alembic: up to head and back to base on an empty database, and the
models and the migrations never drift apart."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from app.cli import alembic_config
from app.db import make_engine
from app.models import SQLModel
from tests.support.databases import create_scratch_database


def _run(engine: Engine, target: str, direction: str = "upgrade") -> None:
    config = alembic_config()
    config.attributes["configure_logging"] = False
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, direction)(config, target)


def test_upgrade_to_head_and_down_to_base_on_an_empty_database() -> None:
    engine = make_engine(create_scratch_database("cg_migrate"))
    try:
        _run(engine, "head")
        tables = set(inspect(engine).get_table_names())
        assert {"event", "comment", "vote", "action", "membership"} <= tables
        _run(engine, "base", "downgrade")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        _run(engine, "head")
    finally:
        engine.dispose()


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"the models differ from the migrations: {diff}"
