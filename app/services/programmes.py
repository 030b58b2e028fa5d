"""Programmes: series of events and actions with a public slug."""

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Programme
from app.models.events import ProgrammeKind
from app.services.accounts import SLUG_RE
from app.services.errors import Conflict, DomainError, NotFound, one_of


def create_programme(
    session: Session,
    *,
    organisation_id: int,
    name: str,
    slug: str,
    kind: str = ProgrammeKind.MEETINGS,
    description: str = "",
) -> Programme:
    name, slug = name.strip(), slug.strip().lower()
    if not name or len(name) > 200:
        raise DomainError("Enter a name of 1 to 200 characters", field="name")
    if not SLUG_RE.match(slug) or len(slug) > 80:
        raise DomainError("Use lower-case letters, digits and hyphens", field="slug")
    message = f"Kind must be one of {', '.join(ProgrammeKind)}"
    programme_kind = one_of(ProgrammeKind, kind, message, field="kind")
    if session.exec(select(Programme.id).where(Programme.slug == slug)).first():
        raise Conflict(f"The slug {slug!r} is taken", field="slug")
    programme = Programme(
        organisation_id=organisation_id,
        name=name,
        slug=slug,
        kind=programme_kind,
        description=description,
    )
    session.add(programme)
    session.flush()
    return programme


def update_programme(
    session: Session,
    *,
    programme: Programme,
    name: str | None = None,
    description: str | None = None,
) -> Programme:
    if name is not None:
        if not name.strip() or len(name.strip()) > 200:
            raise DomainError("Enter a name of 1 to 200 characters", field="name")
        programme.name = name.strip()
    if description is not None:
        programme.description = description.strip()
    session.add(programme)
    session.flush()
    return programme


def programmes_query(organisation_ids: list[int]) -> SelectOfScalar[Programme]:
    return (
        select(Programme)
        .where(col(Programme.organisation_id).in_(organisation_ids))
        .order_by(col(Programme.name))
    )


def list_programmes(session: Session, organisation_ids: list[int]) -> list[Programme]:
    return list(session.exec(programmes_query(organisation_ids)).all())


def get_by_slug(session: Session, slug: str) -> Programme:
    programme = session.exec(select(Programme).where(Programme.slug == slug)).first()
    if programme is None:
        raise NotFound("No such programme", field="slug")
    return programme
