"""Checks shared by every resident write: the event takes writes, the text is acceptable.

Messages never repeat the text they refuse: it may hold the very details redaction removes.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlmodel import Session, col

from app.config import get_settings
from app.models import Event, Question
from app.models.events import EventStatus, QuestionStatus, RecordingPolicy
from app.resident_lane.driver import Driver, Prepared, session_driver
from app.resident_lane.limits import limiter
from app.services.errors import Conflict, DomainError, NotFound

MAX_BODY = 1000
# Control (Cc, but for newline and tab), surrogate (Cs) and private-use (Co) characters, and the
# replacement and non-characters that mark bytes which were not text.
_BINARY = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd\ufffe\uffff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


class MeetingState(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def recording(self) -> str: ...


@dataclass(frozen=True)
class Meeting:
    """What a resident's comment needs to know of its meeting, read in one statement."""

    id: int
    status: str
    recording: str
    moderation: str
    active_question_id: int | None


def _meeting_query(where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    active = (
        select(col(Question.id))
        .where(
            col(Question.event_id) == col(Event.id), col(Question.status) == QuestionStatus.ACTIVE
        )
        .limit(1)
        .scalar_subquery()
    )
    return select(
        col(Event.id), col(Event.status), col(Event.recording), col(Event.moderation), active
    ).where(where)


# Built once: building a statement costs more than running it on the busiest path.
_MEETING_BY_CODE = Prepared(_meeting_query(col(Event.join_code) == bindparam("code")))
_MEETING_BY_ID = Prepared(_meeting_query(col(Event.id) == bindparam("event_id")))


def meeting_by_code(driver: Driver, code: str, address: str | None) -> Meeting:
    """The meeting a resident writes to, after counting the write against the flood limit
    (per client address, which is never kept: see `app.resident_lane.limits`). Every
    resident write, by phone or by form, looks its meeting up here, and only here."""
    row = driver.first(_MEETING_BY_CODE, {"code": code.strip().upper()})
    if row is None:
        raise NotFound("No meeting has this join code", field="code")
    limiter.hit(event_id=row[0], address=address, limit=get_settings().resident_rate_limit)
    return Meeting(*row)


def meeting_by_id(driver: Driver, event_id: int) -> Meeting:
    row = driver.first(_MEETING_BY_ID, {"event_id": event_id})
    if row is None:
        raise NotFound("No such event", field="event_id")
    return Meeting(*row)


def resident_event(session: Session, code: str, address: str | None) -> Event:
    """`meeting_by_code` for a write that goes on in the session: the event itself."""
    session.flush()  # the lookup goes straight to the driver, past the session's autoflush
    meeting = meeting_by_code(session_driver(session), code, address)
    return session.get_one(Event, meeting.id)


def ensure_open(event: MeetingState, *, field: str = "code") -> None:
    """Residents write only to open events."""
    if event.status == EventStatus.DRAFT:
        raise Conflict("This meeting has not opened yet: it takes no comments", field=field)
    if event.status != EventStatus.OPEN:
        raise Conflict("This meeting has closed: it takes no more comments", field=field)


def ensure_recorded(event: MeetingState) -> None:
    if event.recording == RecordingPolicy.NOT_RECORDED:
        raise Conflict(
            "This session is not recorded: comments and questions are not kept", field="body"
        )


def clean_text(text: object, *, field: str = "body", max_length: int = MAX_BODY) -> str:
    """The text trimmed, with line endings made plain; refused when empty, long or binary."""
    if not isinstance(text, str):
        raise DomainError("Write your message as text", field=field)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    # Zero-width and other format characters alone are as empty as spaces.
    if not any(unicodedata.category(c)[0] not in "CZ" for c in text):
        raise DomainError("Write something before sending", field=field)
    if len(text) > max_length:
        raise DomainError(
            f"Keep it under {max_length:,} characters (this is {len(text):,})", field=field
        )
    if _BINARY.search(text):
        raise DomainError(
            "The message holds control characters or binary data: send plain text", field=field
        )
    return text
