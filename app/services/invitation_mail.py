"""Getting a personal invitation's one-time link to its addressee: by mail, or shown once."""

from sqlmodel import Session

from app.config import get_settings
from app.models import Invitation, Organisation
from app.services import invitations, mail


def link(secret: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/invitations/t/{secret}"


def send_or_show(session: Session, *, invitation: Invitation, secret: str) -> str | None:
    """Queue the link's mail; with no mail server, return the link for the inviter to pass on."""
    url = link(secret)
    if not mail.configured():
        return url
    org = session.get(Organisation, invitation.organisation_id)
    what = invitations.describe(session, invitation)
    mail.queue(
        session,
        to=invitation.email,
        subject=f"Invitation from {org.name if org else 'Common Ground'}",
        body=(
            f"You are invited to Common Ground: {what}.\n\n"
            f"Open this link to accept (set your password if you are new):\n{url}\n\n"
            f"The link works once and for {invitations.LINK_DAYS} days. If you did not expect "
            "it, ignore this message: nothing happens until you accept.\n"
        ),
    )
    return None
