"""Opinion groups in the database: an event's vote matrix and its cached, versioned result."""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.live import changes
from app.models import Comment, Event, OpinionGroupResult, Vote, utcnow
from app.models.comments import CommentStatus

if TYPE_CHECKING:
    # numpy and the maths load with the first run, not with every web process.
    from app.services.opinion_groups.matrix import VoteMatrix
    from app.services.opinion_groups.pipeline import State

# Warm-start state of the last run of each event, in this process.
_states: dict[int, State] = {}
_states_lock = threading.Lock()


def load_matrix(session: Session, event_id: int) -> VoteMatrix:
    """Every vote on the event's published comments; hidden and pending ones are left out."""
    rows = session.exec(
        select(Vote.voter, Vote.comment_id, Vote.value)
        .join(Comment, col(Comment.id) == Vote.comment_id)
        .where(Vote.event_id == event_id, Comment.status == CommentStatus.PUBLISHED)
        .order_by(col(Vote.id))
    ).all()
    voters = [r[0] for r in rows]
    from app.services.opinion_groups.matrix import VoteMatrix

    return VoteMatrix.from_triples(voters, [r[1] for r in rows], [r[2] for r in rows])


def cached(session: Session, event_id: int) -> OpinionGroupResult | None:
    return session.exec(
        select(OpinionGroupResult).where(OpinionGroupResult.event_id == event_id)
    ).first()


def _save(session: Session, event_id: int, payload: dict[str, Any]) -> OpinionGroupResult:
    row = cached(session, event_id)
    if row is None:
        row = OpinionGroupResult(event_id=event_id, version=0, payload={})
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            # Another worker stored the first result meanwhile: carry on from theirs.
            row = cached(session, event_id)
            assert row is not None
    row.version += 1
    row.payload = payload
    row.computed_at = utcnow()
    session.add(row)
    session.flush()
    return row


def fingerprint(matrix: VoteMatrix) -> str:
    """A digest of exactly what a run reads, so an unchanged room is not recomputed."""
    import numpy as np

    digest = hashlib.sha256("\n".join(matrix.voters).encode())
    digest.update(np.asarray(matrix.comment_ids, dtype=np.int64).tobytes())
    for part in (matrix.rows, matrix.cols, matrix.values):
        digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()[:32]


def run(event_id: int, matrix: VoteMatrix) -> dict[str, Any]:
    """One warm-started run on this matrix (no database): the payload to store."""
    with _states_lock:
        state = _states.get(event_id)
    from app.services.opinion_groups.pipeline import compute

    outcome, state = compute(matrix, state)
    with _states_lock:
        _states[event_id] = state
    return {**outcome.payload, "input": fingerprint(matrix)}


def save(session: Session, *, event_id: int, payload: dict[str, Any]) -> OpinionGroupResult | None:
    """Store a run's payload as the event's next version; None if the event is gone."""
    if session.get(Event, event_id) is None:
        return None
    row = _save(session, event_id, payload)
    changes.record(session, "opinion_groups", event_id, version=row.version)
    return row


def refresh(session: Session, *, event_id: int) -> OpinionGroupResult | None:
    """Recompute from the votes, warm-started from this process's last run, and store it.

    Answers None when the event does not exist (deleted, or not visible to this session).
    """
    if session.get(Event, event_id) is None:
        return None
    return save(session, event_id=event_id, payload=run(event_id, load_matrix(session, event_id)))


def is_current(row: OpinionGroupResult | None, matrix: VoteMatrix) -> bool:
    """Whether a stored result was computed from exactly these votes."""
    return row is not None and row.payload.get("input") == fingerprint(matrix)


def ensure_current(session: Session, *, event_id: int) -> OpinionGroupResult | None:
    """The stored result, recomputed first unless it was computed from the votes as they are."""
    if session.get(Event, event_id) is None:
        return None
    matrix = load_matrix(session, event_id)
    row = cached(session, event_id)
    if is_current(row, matrix):
        return row
    return save(session, event_id=event_id, payload=run(event_id, matrix))


def save_replayed(
    session: Session, *, event_id: int, payload: dict[str, Any], state: State
) -> OpinionGroupResult:
    """Store a result computed elsewhere (an import's replay) and keep its warm-start state."""
    with _states_lock:
        _states[event_id] = state
    matrix = load_matrix(session, event_id)
    return _save(session, event_id, {**payload, "input": fingerprint(matrix)})


def forget(event_id: int | None = None) -> None:
    """Drop warm-start state (one event's, or all)."""
    with _states_lock:
        if event_id is None:
            _states.clear()
        else:
            _states.pop(event_id, None)
