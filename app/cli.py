"""The `commonground` command: serve, migrate, demo, users and tokens."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import uvicorn
from sqlmodel import Session

from app.config import get_settings
from app.db import get_engine
from app.models.base import id_of
from app.services import accounts
from app.services.errors import DomainError

if TYPE_CHECKING:
    from alembic.config import Config

# Commands import what they use themselves: `serve` runs the application in this process,
# which should not carry the demo's, the importer's or the migrations' modules (numpy among
# them) for its whole life.

app = typer.Typer(help="Common Ground: community engagement meetings.", no_args_is_help=True)
org_app = typer.Typer(help="Organisations.", no_args_is_help=True)
user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
mail_app = typer.Typer(help="The mail outbox.", no_args_is_help=True)
token_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(mail_app, name="mail")
app.add_typer(token_app, name="token")

ROOT = Path(__file__).resolve().parent.parent

# Access logs carry no client address: residents are anonymous (SPEC §3.1).
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": "%(levelprefix)s %(message)s"},
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(levelprefix)s "%(request_line)s" %(status_code)s',
        },
    },
    "handlers": {
        "default": {
            "formatter": "default",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "formatter": "access",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}


def alembic_config() -> "Config":
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Default: WORKERS, else 1 on SQLite, 2 otherwise")
    ] = None,
) -> None:
    """Serve the application with uvicorn."""
    try:
        workers = get_settings().serve_workers(workers)
    except ValueError as exc:
        fail(str(exc))
        return
    # A proxy's X-Forwarded-For names the client only when that proxy is one we were told of:
    # believed from anyone, a phone could name a fresh address for every comment it sends.
    proxies = get_settings().forwarded_allow_ips.strip()
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        log_config=LOG_CONFIG,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        timeout_graceful_shutdown=5,
    )


@app.command()
def migrate() -> None:
    """Upgrade the database to the latest schema."""
    from alembic import command

    command.upgrade(alembic_config(), "head")


@app.command("demo")
def demo_command() -> None:
    """Seed the Battersea demo meeting when absent; print the login and the join link."""
    from app import demo

    with Session(get_engine()) as session:
        login = demo.seed(session)
        session.commit()
        code = login.event.join_code
    base = get_settings().public_base_url.rstrip("/")
    typer.echo(f"Staff login:    {base}/login")
    typer.echo(f"  e-mail:       {login.email}")
    if login.password:
        typer.echo(f"  password:     {login.password}   (shown once: note it down)")
    else:
        typer.echo("  password:     as printed when the demo was first seeded")
        typer.echo("                (set another: commonground user password " + login.email + ")")
    typer.echo(f"Resident join:  {base}/j/{code}   (join code {code})")
    typer.echo(f"Public page:    {base}/p/{demo.PROGRAMME_SLUG}   (summaries, you said we did)")


@org_app.command("create")
def org_create(
    slug: str, name: Annotated[str, typer.Option(help="The organisation's name")]
) -> None:
    """Create an organisation (then `user create EMAIL --org SLUG --role owner`)."""
    with Session(get_engine()) as session:
        try:
            org = accounts.create_organisation(session, name=name, slug=slug)
        except DomainError as exc:
            fail(exc.message)
            return
        session.commit()
        typer.echo(f"organisation {org.slug} created ({org.name})")


@mail_app.command("send")
def mail_send() -> None:
    """Send the mail waiting in the outbox (what a mail server outage held back)."""
    from app.db import get_write_engine
    from app.services import mail

    if not get_settings().smtp_url:
        fail("SMTP_URL is not set")
    typer.echo(f"{mail.deliver_pending(get_write_engine())} sent")


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\n")
    if not password:
        fail("give the password on standard input")
    return password


@user_app.command("create")
def user_create(
    email: str,
    org: Annotated[str, typer.Option(help="The organisation's slug")],
    role: Annotated[str, typer.Option(help="owner, organiser or facilitator")],
    name: str = "",
) -> None:
    """Create a staff user (password on stdin) and make them a member of an organisation."""
    password = _read_password()
    with Session(get_engine()) as session:
        try:
            organisation = accounts.get_organisation_by_slug(session, org)
            user = accounts.get_user_by_email(session, email) or accounts.create_user(
                session, email=email, password=password, name=name
            )
            accounts.add_member(session, user=user, organisation=organisation, role=role)
        except DomainError as exc:
            fail(exc.message)
        session.commit()
    typer.echo(f"{email} is {role} of {org}")


@user_app.command("password")
def user_password(email: str) -> None:
    """Set a user's password (read from stdin)."""
    password = _read_password()
    with Session(get_engine()) as session:
        user = accounts.get_user_by_email(session, email)
        if user is None:
            fail(f"no user {email}")
            return
        try:
            accounts.set_password(session, user=user, password=password)
        except DomainError as exc:
            fail(exc.message)
        session.commit()
    typer.echo(f"password set for {email}")


@token_app.command("create")
def token_create(email: str, name: str = "command line") -> None:
    """Print a new API bearer token for a user, and nothing else."""
    with Session(get_engine()) as session:
        user = accounts.get_user_by_email(session, email)
        if user is None:
            fail(f"no user {email}")
            return
        _, secret = accounts.create_token(session, user=user, name=name)
        session.commit()
    typer.echo(secret)


@app.command("import-polis")
def import_polis(
    directory: Annotated[Path, typer.Argument(help="A Pol.is export folder")],
    org: Annotated[str | None, typer.Option(help="Organisation slug (default: the first)")] = None,
) -> None:
    """Import a Pol.is conversation as a new closed event; prints the new event's id."""
    from app.services import polis_import

    with Session(get_engine()) as session:
        try:
            organisation = polis_import.default_organisation(session, org)
            conversation = polis_import.read_conversation(directory)
            event = polis_import.import_conversation(
                session, organisation_id=id_of(organisation), conversation=conversation
            )
        except DomainError as exc:
            fail(exc.message)
            return
        session.commit()
        typer.echo(event.id)
