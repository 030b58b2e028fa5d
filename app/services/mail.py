"""Mail through an outbox: a message is stored with what it announces, then sent.

A mail server that is down loses nothing: the message stays in the outbox and every later
delivery (the next message sent, each worker's `Retrier` every `MAIL_RETRY_SECONDS`, or
`commonground mail send`) tries it again. Sending uses the
standard library's smtplib; `SMTP_URL` says where (`smtp://user:pass@host:25`,
`smtp+starttls://…:587` or `smtps://…:465`).
"""

import logging
import smtplib
import threading
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.config import get_settings
from app.models import OutboxMail, utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20
SMTP_TIMEOUT = 10


def configured() -> bool:
    return bool(get_settings().smtp_url)


def queue(session: Session, *, to: str, subject: str, body: str) -> OutboxMail:
    """Put a message in the outbox; it is sent after the transaction commits."""
    mail = OutboxMail(to=to, subject=subject[:200], body=body)
    session.add(mail)
    session.flush()
    return mail


def _connect(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, parts.port or 465, timeout=SMTP_TIMEOUT)
    else:
        server = smtplib.SMTP(host, parts.port or 25, timeout=SMTP_TIMEOUT)
        if parts.scheme == "smtp+starttls":
            server.starttls()
    if parts.username:
        server.login(unquote(parts.username), unquote(parts.password or ""))
    return server


def _message(mail: OutboxMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    return message


def deliver_pending(engine: Engine) -> int:
    """Send every message still waiting; returns how many went. Failures stay for next time."""
    settings = get_settings()
    if not settings.smtp_url:
        return 0
    sent = 0
    with Session(engine) as session:
        waiting = session.exec(
            select(OutboxMail)
            .where(col(OutboxMail.sent_at).is_(None), OutboxMail.attempts < MAX_ATTEMPTS)
            .order_by(col(OutboxMail.id))
        ).all()
        if not waiting:
            return 0
        try:
            server = _connect(settings.smtp_url)
        except (OSError, smtplib.SMTPException) as exc:
            for mail in waiting:
                _failed(mail, exc)
                session.add(mail)
            session.commit()
            return 0
        with server:
            for mail in waiting:
                try:
                    server.send_message(_message(mail, settings.mail_from))
                    mail.sent_at = utcnow()
                    mail.attempts += 1
                    sent += 1
                except (OSError, smtplib.SMTPException) as exc:
                    _failed(mail, exc)
                session.add(mail)
                # One commit per message: a crash halfway sends nothing twice that it knew of.
                session.commit()
    return sent


def _failed(mail: OutboxMail, exc: Exception) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
    log.warning("mail to outbox #%s not sent (attempt %s): %s", mail.id, mail.attempts, exc)


class Retrier:
    """A thread that sends what the outbox still holds, every `interval` seconds."""

    def __init__(self, engine: Engine, interval: float) -> None:
        self._engine, self._interval = engine, interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mail-retrier", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                deliver_pending(self._engine)
            except Exception:  # the database may be away too: try again next time
                log.exception("mail outbox delivery failed")

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=SMTP_TIMEOUT + 5)
