"""What residents are told about their data: who runs the meeting, how to reach them, and
where the meeting's outcome will be public."""

from sqlmodel import Session, col, select

from app.models import Event, EventCohost, Organisation, Programme
from app.services.accounts import normalise_email
from app.services.errors import DomainError


def controllers(session: Session, event: Event) -> list[Organisation]:
    """The lead organisation, then the co-hosts that accepted: together the data controllers."""
    lead = session.get(Organisation, event.organisation_id)
    cohosts = session.exec(
        select(Organisation)
        .join(EventCohost, col(EventCohost.organisation_id) == Organisation.id)
        .where(EventCohost.event_id == event.id, Organisation.id != event.organisation_id)
        .order_by(col(Organisation.name))
    ).all()
    return ([lead] if lead is not None else []) + list(cohosts)


def set_contact_email(session: Session, *, organisation: Organisation, email: str) -> None:
    """Set (or clear, when empty) the address residents write to about their data."""
    if email.strip():
        try:
            email = normalise_email(email)
        except DomainError as exc:
            raise DomainError(exc.message, field="contact_email") from exc
    organisation.contact_email = email.strip()
    session.add(organisation)
    session.flush()


def public_page(session: Session, event: Event) -> str | None:
    """Where the meeting's outcome is (or will be) published, when it belongs to a programme."""
    if event.programme_id is None:
        return None
    programme = session.get(Programme, event.programme_id)
    if programme is None:
        return None
    if event.summary_published_at:
        return f"/p/{programme.slug}/events/{event.id}"
    return f"/p/{programme.slug}"
