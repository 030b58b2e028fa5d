"""`python -m app.pgcheck URL`: exit 0 when PostgreSQL answers at URL (used by `make test`)."""

import sys

import psycopg

from app.db import normalise_url


def reachable(url: str) -> bool:
    dsn = normalise_url(url).replace("postgresql+psycopg://", "postgresql://")
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if reachable(sys.argv[1]) else 1)
