"""`commonground serve` and its workers: one process on SQLite, refused otherwise with a reason.

Two processes on one SQLite file each push live updates only to their own phones (half the
room saw nothing) and wait on each other's write lock, so the operator is told, not served.
"""

import os
import subprocess
import sys

import pytest

from app.config import Settings
from tests.live_server import ROOT, free_port

SQLITE = "sqlite:///./data/never-created.db"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/none"


def serve(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "WORKERS"}
    return subprocess.run(
        [sys.executable, "-m", "app", "serve", "--port", str(free_port()), *args],
        env={**environment, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "env"),
    [(("--workers", "2"), {}), ((), {"WORKERS": "3"})],
    ids=["--workers", "WORKERS"],
)
def test_serving_sqlite_with_more_than_one_worker_is_refused(
    args: tuple[str, ...], env: dict[str, str]
) -> None:
    result = serve(*args, DATABASE_URL=SQLITE, **env)
    assert result.returncode == 1
    assert "SQLite is served by one worker" in result.stderr
    assert "WORKERS=1" in result.stderr and "PostgreSQL" in result.stderr
    assert "Started server process" not in result.stderr  # refused before serving


def test_the_number_of_workers_follows_the_database_and_the_setting() -> None:
    assert Settings(database_url=SQLITE).serve_workers() == 1
    assert Settings(database_url=POSTGRES).serve_workers() == 2
    assert Settings(database_url=POSTGRES, workers=4).serve_workers() == 4
    assert Settings(database_url=POSTGRES, workers=4).serve_workers(3) == 3  # --workers wins
    assert Settings(database_url=SQLITE, workers=1).serve_workers() == 1
    with pytest.raises(ValueError, match="one worker"):
        Settings(database_url=SQLITE, workers=2).serve_workers()


def test_the_image_leaves_the_number_of_workers_to_the_database() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "WORKERS=2" not in dockerfile
    assert "--workers" not in dockerfile.split("CMD", 1)[1]
