"""Checks shared by every resident write: the event takes writes, the text is acceptable.

Messages never repeat the text they refuse: it may hold the very details redaction removes.
"""

import unicodedata

from app.models import Event
from app.services.errors import Conflict, DomainError

MAX_BODY = 1000
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}
_BAD_CHARACTERS = {"\ufffd", "\ufffe", "\uffff"}


def ensure_open(event: Event, *, field: str = "code") -> None:
    """Residents write only to open events."""
    if event.status == "draft":
        raise Conflict("This meeting has not opened yet: it takes no comments", field=field)
    if event.status != "open":
        raise Conflict("This meeting has closed: it takes no more comments", field=field)


def ensure_recorded(event: Event) -> None:
    if event.recording == "not_recorded":
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
    for char in text:
        if char in _ALLOWED_CONTROLS:
            continue
        if char in _BAD_CHARACTERS or unicodedata.category(char) in ("Cc", "Cs", "Co"):
            raise DomainError(
                "The message holds control characters or binary data: send plain text",
                field=field,
            )
    return text
