"""Import a conversation exported by Pol.is as a new event with its comments and votes.

Pol.is exports a folder of CSV files (comments.csv, votes.csv, summary.csv). Comment text is
redacted like any other before it is stored, and each Pol.is voter id becomes an anonymous
voter hash of the new event.
"""

import csv
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection
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
# Votes per multi-row insert.
VOTE_CHUNK = 5_000


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


VOTE_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")


def _votes(path: Path) -> list[PolisVote]:
    """votes.csv in time order (read by column position: the largest file of an export)."""
    if not path.is_file():
        raise DomainError(f"{path.name} is missing from {path.parent}", field="DIR")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        missing = set(VOTE_COLUMNS) - set(header)
        if missing:
            raise DomainError(f"{path.name} lacks {', '.join(sorted(missing))}", field="DIR")
        at, cid, voter, value = (header.index(name) for name in VOTE_COLUMNS)
        try:
            votes = [
                PolisVote(int(r[at]), int(r[cid]), r[voter], int(r[value])) for r in reader if r
            ]
        except ValueError as exc:
            message = f"votes.csv has a value that is not a number: {exc}"
            raise DomainError(message, field="DIR") from exc
    votes.sort(key=lambda v: v.at)
    return votes


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
    summary: dict[str, str] = {}
    if (directory / "summary.csv").is_file():
        with (directory / "summary.csv").open(newline="", encoding="utf-8") as handle:
            summary = {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}
    votes = _votes(directory / "votes.csv")
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
    event, rows = insert_conversation(
        session, organisation_id=organisation_id, conversation=conversation
    )
    # Stored before closing, so the close keeps the replayed result rather than a cold run.
    store_groups(session, id_of(event), conversation, rows)
    events.set_status(session, event=event, status=EventStatus.OPEN)
    events.set_status(session, event=event, status=EventStatus.CLOSED)
    return event


def insert_conversation(
    session: Session, *, organisation_id: int, conversation: PolisConversation
) -> tuple[Event, dict[int, Comment]]:
    """The new event with its comments and votes (no groups yet): the comments through the
    ORM (their ids are needed), the votes as multi-row inserts of VOTE_CHUNK rows each."""
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
    # A later vote on the same comment replaces the earlier one, as in the app.
    latest = {
        (v.voter_id, v.comment_id): v for v in conversation.votes if v.comment_id in comment_rows
    }
    tally = {cid: [0, 0, 0] for cid in comment_rows}  # agree, disagree, pass
    for v in latest.values():
        tally[v.comment_id][(1, 2, 0)[v.value + 1]] += 1
    for cid, (agrees, disagrees, passes) in tally.items():
        row = comment_rows[cid]
        row.agree_count, row.disagree_count, row.pass_count = agrees, disagrees, passes
    session.add_all(comment_rows.values())
    session.flush()
    _insert_votes(session, event_id, comment_rows, sorted(latest.values(), key=lambda v: v.at))
    return event, comment_rows


def _insert_votes(
    session: Session, event_id: int, rows: dict[int, Comment], votes: list[PolisVote]
) -> None:
    """Votes as plain tuples, one driver executemany per chunk of VOTE_CHUNK: no ORM object
    and no per-value type processing (each distinct voter hash and minute is made once)."""
    table = Vote.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    dialect = connection.dialect
    to_db = table.c.created_at.type.bind_processor(dialect) or (lambda value: value)
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ("event_id", "comment_id", "voter", "value", "created_at")
    table_name = dialect.identifier_preparer.format_table(table)
    sql = f"INSERT INTO {table_name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    voters: dict[str, str] = {}
    minutes: dict[int, object] = {}
    ids = {cid: c.id for cid, c in rows.items()}
    for start in range(0, len(votes), VOTE_CHUNK):
        chunk = []
        for v in votes[start : start + VOTE_CHUNK]:
            voter = voters.get(v.voter_id)
            if voter is None:
                key = f"polis:{event_id}:{v.voter_id}".encode()
                voter = voters[v.voter_id] = hashlib.sha256(key).hexdigest()
            minute = v.at // 60_000
            at = minutes.get(minute)
            if at is None:
                at = minutes[minute] = to_db(_time(minute * 60_000))
            chunk.append((event_id, ids[v.comment_id], voter, v.value, at))
        if dialect.name == "postgresql":
            # COPY: executemany would still send one INSERT per row to the server.
            _copy(connection, f"COPY {table_name} ({', '.join(names)}) FROM STDIN", chunk)
        else:
            connection.exec_driver_sql(sql, chunk)


def _copy(connection: Connection, statement: str, rows: Sequence[tuple[object, ...]]) -> None:
    """PostgreSQL's COPY through psycopg, inside the session's transaction."""
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def store_groups(
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
