"""The control room's moderation list: every comment of an event, whatever its source (the main
QR code with no table, a table's QR code, a facilitator's key point), newest first, filtered by
table and status."""

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from app.models import Comment
from app.models.comments import CommentStatus
from app.services import events
from app.services.errors import DomainError

LIMIT = 50
MAIN = "main"  # the table filter for comments sent from the event's main QR code
STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Any status"),
    (CommentStatus.PENDING, "Waiting for approval"),
    (CommentStatus.PUBLISHED, "Published"),
    (CommentStatus.HIDDEN, "Hidden"),
    ("starred", "Starred"),
)


@dataclass(frozen=True)
class ModerationFilter:
    table: str = ""  # "", MAIN, or a table's id
    status: str = ""  # "" or one of STATUS_CHOICES

    @property
    def query(self) -> str:
        """The filter as a query string, for links and for the list's own refresh."""
        return urlencode({k: v for k, v in (("table", self.table), ("status", self.status)) if v})


def parse_filter(
    session: Session, event_id: int | None, table: str, status: str
) -> ModerationFilter:
    """Check the filter form's values: a table of this event (or the main QR code) and a status."""
    table, status = table.strip(), status.strip()
    if table not in ("", MAIN):
        ids = {str(g.id) for g in events.list_groups(session, event_id)}
        if table not in ids:
            raise DomainError("Choose a table of this event", field="table")
    if status not in {value for value, _ in STATUS_CHOICES}:
        raise DomainError("Choose a status from the list", field="status")
    return ModerationFilter(table, status)


def moderation_list(
    session: Session, event_id: int | None, where: ModerationFilter, limit: int = LIMIT
) -> list[Comment]:
    query = select(Comment).where(Comment.event_id == event_id)
    if where.table == MAIN:
        query = query.where(col(Comment.group_id).is_(None))
    elif where.table:
        query = query.where(Comment.group_id == int(where.table))
    if where.status == "starred":
        query = query.where(col(Comment.starred).is_(True))
    elif where.status:
        query = query.where(Comment.status == where.status)
    return list(session.exec(query.order_by(col(Comment.id).desc()).limit(limit)).all())
