"""The `commonground` command, run as an operator would, on a scratch database."""

import os
import subprocess
import sys

from sqlmodel import Session, select

from app.db import make_engine
from app.models import ApiToken, Event, Membership, User
from app.services.security import token_digest
from tests.conftest import create_scratch_database


def cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_migrate_demo_users_and_tokens() -> None:
    url = create_scratch_database("cg_cli")
    assert cli(url, "migrate").returncode == 0

    first = cli(url, "demo")
    assert first.returncode == 0, first.stderr
    assert "organiser@example.org" in first.stdout
    assert "shown once" in first.stdout
    assert "/j/" in first.stdout
    assert "/p/lrap-battersea" in first.stdout
    again = cli(url, "demo")
    assert "shown once" not in again.stdout

    created = cli(
        url,
        "user",
        "create",
        "door@example.org",
        "--org",
        "met-sw-bcu",
        "--role",
        "facilitator",
        stdin="a long enough password\n",
    )
    assert created.returncode == 0, created.stderr
    bad_role = cli(
        url,
        "user",
        "create",
        "x@example.org",
        "--org",
        "met-sw-bcu",
        "--role",
        "chief",
        stdin="a long enough password\n",
    )
    assert bad_role.returncode == 1
    assert "Role must be one of" in bad_role.stderr

    token = cli(url, "token", "create", "organiser@example.org")
    assert token.returncode == 0
    lines = token.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cg_")

    engine = make_engine(url)
    with Session(engine) as session:
        # The mentoring scheme adds its (closed) group sessions; the meeting is the open one.
        demo = session.exec(select(Event).where(Event.status == "open")).one()
        assert (demo.title, demo.status) == ("Community meeting: rebuilding trust", "open")
        door = session.exec(select(User).where(User.email == "door@example.org")).one()
        assert session.exec(select(Membership).where(Membership.user_id == door.id)).one()
        assert session.exec(
            select(ApiToken).where(ApiToken.token_hash == token_digest(lines[0]))
        ).one()
    engine.dispose()
    assert cli(url, "token", "create", "nobody@example.org").returncode == 1
