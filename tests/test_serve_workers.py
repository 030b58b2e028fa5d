"""`commonground serve` and its workers: one process on SQLite, refused otherwise with a reason.

Two processes on one SQLite file each push live updates only to their own phones (half the
room saw nothing) and wait on each other's write lock, so the operator is told, not served.
"""

import os
import subprocess
import sys

import httpx
import pytest

from app.config import Settings
from app.db import claim_sqlite_file
from tests.support.live_server import ROOT, LiveServer, free_port

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
        timeout=180,
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


def test_a_second_server_on_the_same_sqlite_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'one.db'}"
    first = LiveServer(url, name="sqlite-first-server")
    try:
        second = serve(DATABASE_URL=url, SECRET_KEY="x")
        assert second.returncode != 0
        assert "Another process already serves" in second.stderr + second.stdout
        assert httpx.get(f"{first.url}/healthz").status_code == 200  # the first serves on
    finally:
        first.stop()
    # Once the first has stopped, the file may be served again.
    again = LiveServer(url, name="sqlite-again-server")
    again.stop()


def test_one_process_may_take_its_own_file_more_than_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    release_outer = claim_sqlite_file(url)
    release_inner = claim_sqlite_file(url)  # two apps in one process (tests do this)
    release_inner()
    release_outer()
    claim_sqlite_file(url)()  # free again
    assert claim_sqlite_file("postgresql://postgres@127.0.0.1/none") is not None
