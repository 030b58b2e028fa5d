"""Import a conversation exported by Pol.is as a new event with its comments and votes.

Pol.is exports a folder of CSV files (comments.csv, votes.csv, summary.csv). Comment text is
redacted like any other before it is stored, and each Pol.is voter id becomes an anonymous
voter hash of the new event.
"""

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from app.models import Comment, Event, Organisation, Vote, to_minute
from app.models.base import id_of
from app.models.comments import CommentStatus
from app.models.events import EventStatus
from app.services import accounts, events
from app.services.errors import DomainError
from app.services.events import QuestionSpec
from app.services.opinion_groups import store
from app.services.opinion_groups.replay import replay
from app.services.redaction import redact

ATTRIBUTION = (
    "Imported from an open Pol.is conversation (CC BY 4.0, The Computational Democracy Project)."
)
# Pol.is's "moderated" column: 1 accepted, 0 not yet moderated, -1 moderated out.
STATUS_BY_MODERATION = {
    "1": CommentStatus.PUBLISHED,
    "0": CommentStatus.PENDING,
    "-1": CommentStatus.HIDDEN,
}
# Recompute every this share of the votes while replaying them, as Pol.is did live.
REPLAY_STEP = 0.02


@dataclass(frozen=True)
class PolisVote:
    at: int  # milliseconds since the epoch
    comment_id: int
    voter_id: str
    value: int


@dataclass(frozen=True)
class PolisConversation:
    topic: str
    description: str
    comments: list[dict[str, str]]
    votes: list[PolisVote]  # in time order


def _rows(path: Path, needed: set[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise DomainError(f"{path.name} is missing from {path.parent}", field="DIR")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = needed - set(reader.fieldnames or [])
        if missing:
            raise DomainError(f"{path.name} lacks {', '.join(sorted(missing))}", field="DIR")
        return list(reader)


def agree_sign(comments: list[dict[str, str]], votes: list[PolisVote]) -> int:
    """+1 if votes.csv writes agree as 1 (as comments.csv's agree counts show), else -1."""
    ones = Counter(v.comment_id for v in votes if v.value > 0)
    minus = Counter(v.comment_id for v in votes if v.value < 0)
    as_is = flipped = 0
    for c in comments:
        cid, agrees = int(c["comment-id"]), int(c["agrees"] or 0)
        as_is += abs(ones[cid] - agrees)
        flipped += abs(minus[cid] - agrees)
    return 1 if as_is <= flipped else -1


def read_conversation(directory: Path) -> PolisConversation:
    """The conversation in a Pol.is export folder, votes in time order with agree as +1."""
    comments = _rows(directory / "comments.csv", {"comment-id", "comment-body", "moderated"})
    raw = _rows(directory / "votes.csv", {"timestamp", "comment-id", "voter-id", "vote"})
    summary: dict[str, str] = {}
    if (directory / "summary.csv").is_file():
        with (directory / "summary.csv").open(newline="", encoding="utf-8") as handle:
            summary = {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}
    try:
        votes = sorted(
            (
                PolisVote(int(r["timestamp"]), int(r["comment-id"]), r["voter-id"], int(r["vote"]))
                for r in raw
            ),
            key=lambda v: v.at,
        )
    except ValueError as exc:
        message = f"votes.csv has a value that is not a number: {exc}"
        raise DomainError(message, field="DIR") from exc
    if not comments or not votes:
        raise DomainError("The conversation has no comments or no votes", field="DIR")
    if "agrees" in comments[0] and agree_sign(comments, votes) < 0:
        votes = [PolisVote(v.at, v.comment_id, v.voter_id, -v.value) for v in votes]
    topic = (summary.get("topic") or directory.name).strip()
    return PolisConversation(topic, summary.get("conversation-description", ""), comments, votes)


def default_organisation(session: Session, slug: str | None) -> Organisation:
    """The organisation with this slug, or the first one."""
    if slug:
        return accounts.get_organisation_by_slug(session, slug)
    first = session.exec(select(Organisation).order_by(col(Organisation.id))).first()
    if first is None:
        raise DomainError("There is no organisation yet: run `commonground demo`", field="org")
    return first


def _time(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def import_conversation(
    session: Session, *, organisation_id: int, conversation: PolisConversation
) -> Event:
    """A new closed event holding the conversation's comments, votes and opinion groups."""
    first, last = _time(conversation.votes[0].at), _time(conversation.votes[-1].at)
    event = events.create_event(
        session,
        organisation_id=organisation_id,
        title=f"{conversation.topic} (Pol.is)"[:200],
        starts_at=to_minute(first),
        ends_at=max(to_minute(last), to_minute(first)) + timedelta(minutes=1),
        description=f"{conversation.description}\n\n{ATTRIBUTION}".strip(),
        questions=[QuestionSpec(text=conversation.topic[:500])],
    )
    event_id = id_of(event)
    comment_rows: dict[int, Comment] = {}
    for c in conversation.comments:
        row = Comment(
            event_id=event_id,
            body=redact(c["comment-body"]),
            status=STATUS_BY_MODERATION.get(c["moderated"].strip(), CommentStatus.PENDING),
        )
        if c.get("timestamp", "").isdigit():
            row.created_at = to_minute(_time(int(c["timestamp"])))
        comment_rows[int(c["comment-id"])] = row
    session.add_all(comment_rows.values())
    session.flush()
    # A later vote on the same comment replaces the earlier one, as in the app.
    votes = [v for v in conversation.votes if v.comment_id in comment_rows]
    latest = {(v.voter_id, v.comment_id): v for v in votes}
    counts = {1: "agree_count", -1: "disagree_count", 0: "pass_count"}
    for v in latest.values():
        comment = comment_rows[v.comment_id]
        setattr(comment, counts[v.value], getattr(comment, counts[v.value]) + 1)
    session.add_all(
        Vote(
            event_id=event_id,
            comment_id=comment_rows[v.comment_id].id or 0,
            voter=hashlib.sha256(f"polis:{event_id}:{v.voter_id}".encode()).hexdigest(),
            value=v.value,
            created_at=to_minute(_time(v.at)),
        )
        for v in sorted(latest.values(), key=lambda v: v.at)
    )
    session.flush()
    # Stored before closing, so the close keeps the replayed result rather than a cold run.
    _store_groups(session, event_id, conversation, comment_rows)
    events.set_status(session, event=event, status=EventStatus.OPEN)
    events.set_status(session, event=event, status=EventStatus.CLOSED)
    return event


def _store_groups(
    session: Session, event_id: int, conversation: PolisConversation, rows: dict[int, Comment]
) -> None:
    """Replay the votes in time order through the pipeline and store the final result."""
    published = [cid for cid, c in rows.items() if c.status == CommentStatus.PUBLISHED]
    votes = conversation.votes
    outcome, state, _ = replay(
        [v.voter_id for v in votes],
        [rows[v.comment_id].id or 0 if v.comment_id in rows else -1 for v in votes],
        [v.value for v in votes],
        every=max(1, int(len(votes) * REPLAY_STEP)),
        all_comment_ids=[rows[cid].id or 0 for cid in published],
    )
    store.save_replayed(session, event_id=event_id, payload=outcome.payload, state=state)
