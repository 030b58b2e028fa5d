"""Mail through the outbox, received by a real SMTP server; an outage loses nothing."""

import re
import time

import httpx
import pytest
from sqlmodel import Session, col, select

from app.config import get_settings
from app.models import OutboxMail
from app.services import mail
from tests.support import factories
from tests.support.databases import create_scratch_database
from tests.support.live_server import LiveServer, free_port
from tests.support.smtp_server import MailServer

LINK_RE = re.compile(r"(http://\S+/invitations/t/\S+)")


def _with_smtp(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    settings = get_settings().model_copy(update={"smtp_url": url})
    monkeypatch.setattr(mail, "get_settings", lambda: settings)


def test_an_outage_keeps_the_mail_and_the_next_delivery_sends_it(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()  # nothing listens here yet: the mail server is down
    _with_smtp(monkeypatch, f"smtp://127.0.0.1:{port}")
    mail.queue(db, to="someone@example.org", subject="Invitation", body="Your link: x")
    db.commit()
    assert mail.deliver_pending(db.connection()) == 0  # type: ignore[arg-type]
    (waiting,) = db.exec(select(OutboxMail)).all()
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.last_error

    with MailServer(port) as server:
        assert mail.deliver_pending(db.connection()) == 1  # type: ignore[arg-type]
        assert mail.deliver_pending(db.connection()) == 0  # type: ignore[arg-type]  # not twice
    (received,) = server.messages
    assert (
        received["To"] == "someone@example.org"
        and "Your link: x" in received.get_payload(decode=True).decode()
    )
    db.refresh(waiting)
    assert waiting.sent_at is not None


def _token(url: str, email: str) -> dict[str, str]:
    from tests.test_cli import cli

    out = cli(url, "token", "create", email)
    assert out.returncode == 0, out.stderr
    return {"Authorization": f"Bearer {out.stdout.strip()}"}


def _seed_two_orgs(url: str) -> dict[str, int | str]:
    from app.db import make_engine

    engine = make_engine(url)
    with Session(engine) as session:
        a, b = factories.org(session, "Org A"), factories.org(session, "Org B")
        ids: dict[str, int | str] = {
            "a": a.id or 0,
            "b": b.id or 0,
            "a_organiser": factories.user(session, a, "organiser").email,
            "a_staff": factories.user(session, a, "facilitator").email,
            "b_owner": factories.user(session, b, "owner").email,
        }
        session.commit()
    engine.dispose()
    return ids


def _wait_for(smtp: MailServer, count: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(smtp.messages) >= count, f"{len(smtp.messages)} of {count} mails arrived"


def test_through_a_real_server_invitations_are_mailed_and_nothing_crosses_unasked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = create_scratch_database("cg_mail")
    with MailServer() as smtp:
        monkeypatch.setenv("SMTP_URL", smtp.url)
        server = LiveServer(url, name="consent")
        try:
            ids = _seed_two_orgs(url)
            b_owner = _token(url, str(ids["b_owner"]))
            a_organiser = _token(url, str(ids["a_organiser"]))
            http = httpx.Client(base_url=server.url, timeout=10)

            # Item 1: B names A as co-host; A's list shows nothing until A accepts.
            created = http.post(
                "/api/v1/events",
                headers=b_owner,
                json={
                    "title": "B under A's name",
                    "starts_at": "2027-03-01T18:00:00Z",
                    "ends_at": "2027-03-01T20:00:00Z",
                    "organisation_id": ids["b"],
                    "cohost_ids": [ids["a"]],
                },
            )
            assert created.status_code == 201 and created.json()["cohost_ids"] == []
            listed = http.get("/api/v1/events", headers=a_organiser).json()["items"]
            assert created.json()["id"] not in [e["id"] for e in listed]

            # Item 2: B "adds" A's member: an invitation, mailed, answered as for anyone.
            path = f"/api/v1/organisations/{ids['b']}/members"
            answers = [
                http.post(path, headers=b_owner, json={"email": email, "role": "organiser"})
                for email in (ids["a_staff"], "nobody.yet@example.org")
            ]
            assert [a.status_code for a in answers] == [202, 202]
            assert [(a.json()["link"], a.json()["mailed"]) for a in answers] == [(None, True)] * 2
            _wait_for(smtp, 2)
            members = http.get(path, headers=b_owner).json()["items"]
            assert ids["a_staff"] not in [m["email"] for m in members]

            # The person accepts from the mailed link, signed in as themselves.
            to_staff = next(m for m in smtp.messages if m["To"] == ids["a_staff"])
            match = LINK_RE.search(to_staff.get_payload(decode=True).decode())
            assert match and match[1].startswith(server.url)
            token = match[1].rsplit("/", 1)[1]
            refused = http.post(
                "/api/v1/invitations/link/accept", headers=b_owner, json={"token": token}
            )
            assert refused.status_code == 403
            accepted = http.post(
                "/api/v1/invitations/link/accept",
                headers=_token(url, str(ids["a_staff"])),
                json={"token": token},
            )
            assert accepted.status_code == 200, accepted.text
            members = http.get(path, headers=b_owner).json()["items"]
            assert ids["a_staff"] in [m["email"] for m in members]
        finally:
            server.stop()
    from app.db import make_engine

    engine = make_engine(url)
    with Session(engine) as session:
        left = session.exec(select(OutboxMail).where(col(OutboxMail.sent_at).is_(None))).all()
    engine.dispose()
    assert left == []


def test_the_retrier_sends_what_an_outage_held_back_without_another_mail(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    _with_smtp(monkeypatch, f"smtp://127.0.0.1:{port}")
    mail.queue(db, to="later@example.org", subject="Invitation", body="Your link: y")
    db.commit()
    assert mail.deliver_pending(db.connection()) == 0  # type: ignore[arg-type]  # server down
    retrier = mail.Retrier(db.connection(), interval=0.2)  # type: ignore[arg-type]
    try:
        with MailServer(port) as server:
            deadline = time.monotonic() + 10
            while not server.messages and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        retrier.stop()
    assert [m["To"] for m in server.messages] == ["later@example.org"]
