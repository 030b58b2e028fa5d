"""Anonymous voter keys: random in the browser, stored only as a keyed hash per event.

A key links a resident's votes to each other (one vote per key and comment) and to nothing
else: comments carry no key, and the hash is keyed with the server secret and the event, so
the same browser's votes at two meetings cannot be linked, and a stolen database cannot be
matched against keys.
"""

import hashlib
import hmac
import re
import secrets

from sqlmodel import Session, col, select

from app.config import get_settings
from app.models import PanelQuestion, PanelUpvote, Vote
from app.models.comments import VOTE_VALUES
from app.schemas.comments import VOTER_KEY_HEADER
from app.services.errors import DomainError

# At least 128 random bits: 22 base64url characters (or 32 hex digits) and up.
_KEY = re.compile(r"[A-Za-z0-9_\-]{22,128}")


def new_key() -> str:
    """A fresh random voter key (for a browser that cannot make its own)."""
    return secrets.token_urlsafe(24)


def voter_hash(event_id: int, key: str | None) -> str:
    """The stored form of a voter key, after checking it is long and random-looking enough."""
    if not key:
        raise DomainError(
            f"Send your voter key in the {VOTER_KEY_HEADER} header", field=VOTER_KEY_HEADER
        )
    if not _KEY.fullmatch(key):
        raise DomainError(
            "A voter key is 22 to 128 letters, digits, '-' or '_' (128 random bits or more)",
            field=VOTER_KEY_HEADER,
        )
    secret = get_settings().signing_key().encode()
    return hmac.new(secret, f"{event_id}:{key}".encode(), hashlib.sha256).hexdigest()


_VOTE_WORDS = {value: word for word, value in VOTE_VALUES.items()}


def my_votes(session: Session, event_id: int, key: str) -> dict[str, str]:
    """This key's votes at this meeting, as the phone marks them: `c{id}` -> agree / disagree /
    pass for comments, `q{id}` -> "up" for panel questions."""
    voter = voter_hash(event_id, key)
    votes = session.exec(
        select(Vote.comment_id, Vote.value).where(Vote.event_id == event_id, Vote.voter == voter)
    ).all()
    ups = session.exec(
        select(PanelUpvote.question_id)
        .join(PanelQuestion, col(PanelQuestion.id) == PanelUpvote.question_id)
        .where(PanelQuestion.event_id == event_id, PanelUpvote.voter == voter)
    ).all()
    return {f"c{c}": _VOTE_WORDS[v] for c, v in votes} | {f"q{q}": "up" for q in ups}
