"""Scratch databases on the engine under test: a SQLite file in a temporary folder, or a new
PostgreSQL database next to TEST_DATABASE_URL's, dropped when the run ends."""

import os
import tempfile
import uuid
from pathlib import Path

_SCRATCH = Path(tempfile.mkdtemp(prefix="cg-tests-"))
PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "")
_PG_DATABASES: list[str] = []


def _pg_admin_dsn() -> str:
    from app.db import normalise_url

    return normalise_url(PG_ADMIN_URL).replace("postgresql+psycopg://", "postgresql://")


def create_scratch_database(prefix: str = "cg_test") -> str:
    """A new empty database URL on the engine under test."""
    if not PG_ADMIN_URL:
        return f"sqlite:///{_SCRATCH / (prefix + '_' + uuid.uuid4().hex[:8] + '.db')}"
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _PG_DATABASES.append(name)
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_scratch_databases() -> None:
    if not _PG_DATABASES:
        return
    import psycopg

    with psycopg.connect(_pg_admin_dsn(), autocommit=True) as conn:
        for name in _PG_DATABASES:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
