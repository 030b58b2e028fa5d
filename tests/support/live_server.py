"""A real server for browser and multi-worker tests: its own scratch database, a port of ours."""

import os
import random
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlmodel import Session

from app.db import make_engine
from app.models import Event, User
from app.services import events
from tests.support import factories

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8500, 8600)  # this ports
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    # In random order: servers started at the same moment by other runs rarely pick the same one.
    for port in random.sample(PORTS, len(PORTS)):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8500-8599")


@dataclass
class Seeded:
    event: Event
    organiser: User
    facilitator: User
    table_ids: list[int] = field(default_factory=list)


def seed(database_url: str, moderation: str = "post") -> Seeded:
    """An open meeting with three questions and two tables, its organiser and a facilitator."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        o = factories.org(session)
        organiser = factories.user(session, o, "organiser")
        facilitator = factories.user(session, o, "facilitator")
        e = factories.event(
            session,
            o,
            status="open",
            moderation=moderation,
            facilitators={0: [facilitator.id or 0]},
        )
        session.commit()
        tables = [g.id for g in events.list_groups(session, e.id) if g.id is not None]
    engine.dispose()
    return Seeded(e, organiser, facilitator, tables)


class LiveServer:
    """`commonground serve` in a subprocess, migrated first, stopped (and its log kept) after."""

    def __init__(
        self,
        database_url: str,
        workers: int = 1,
        name: str = "server",
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": self.url,
            "SECRET_KEY": "live-test-secret",
            "RESIDENT_RATE_LIMIT": "0",
            **(env or {}),
        }
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"{name}.log"
        subprocess.run(
            [sys.executable, "-m", "app", "migrate"],
            env=self.env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: see {self.log_path}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s: see {self.log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
