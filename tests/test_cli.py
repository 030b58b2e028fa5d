"""The `commonground` command, run as an operator would, on a scratch database."""

import os
import subprocess
import sys

from sqlmodel import Session, select

from app.db import make_engine
from app.models import ApiToken, Event, Membership, Organisation, User
from app.services.security import token_digest
from tests.support.databases import create_scratch_database


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


def test_org_create_then_an_owner_for_it() -> None:
    url = create_scratch_database("cg_cli_org")
    assert cli(url, "migrate").returncode == 0
    made = cli(url, "org", "create", "lambeth-council", "--name", "Lambeth Council")
    assert made.returncode == 0, made.stderr
    assert "lambeth-council" in made.stdout
    again = cli(url, "org", "create", "lambeth-council", "--name", "Lambeth again")
    assert again.returncode == 1 and "exists" in again.stderr
    bad = cli(url, "org", "create", "Not A Slug", "--name", "X")
    assert bad.returncode == 1 and "lower-case" in bad.stderr
    owner = cli(
        url,
        "user",
        "create",
        "lead@lambeth.example.org",
        "--org",
        "lambeth-council",
        "--role",
        "owner",
        stdin="a long enough password\n",
    )
    assert owner.returncode == 0, owner.stderr
    engine = make_engine(url)
    with Session(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.slug == "lambeth-council")).one()
        assert org.name == "Lambeth Council"
        lead = session.exec(select(User).where(User.email == "lead@lambeth.example.org")).one()
        member = session.exec(select(Membership).where(Membership.user_id == lead.id)).one()
        assert (member.organisation_id, member.role) == (org.id, "owner")
    engine.dispose()
