"""The whole opinion-group pipeline on a vote matrix, one run, warm-started from the last."""

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.schemas.opinion_groups import GroupingStatus
from app.services.opinion_groups import clustering, comments
from app.services.opinion_groups.clustering import ClusterState
from app.services.opinion_groups.matrix import (
    VoteMatrix,
    included_rows,
    null_top,
    project,
    signal_ratio,
)

LETTERS = "ABCDEFGHIJ"
# A room is split only when its main axis of disagreement stands clearly above chance
# (see matrix.signal_ratio): a unanimous room with noisy votes stays one group. Rooms where
# everyone votes alike reach 1.16 at most in tests; planted splits of 12 people or more, 1.23.
MAX_SIGNAL_NEEDED = 0.2
# The chance level of the signal ratio (three shuffled SVDs, most of a large run) is reused
# while the votes and the people counted have grown by at most this share since it was taken.
NULL_REUSE_GROWTH = 0.015


def split_needs(included: int) -> float:
    """The signal ratio a room of this many people needs before it is split."""
    return 1 + min(MAX_SIGNAL_NEEDED, 1 / np.sqrt(max(included, 1)))


@dataclass
class State:
    """Carried from one run to the next for one event (kept in memory by each process)."""

    runs: int = 0
    components: dict[int, np.ndarray] = field(default_factory=dict)
    clusters: ClusterState = field(default_factory=ClusterState)
    # (votes, people in, comments, chance-level top singular value) of the last `null_top`.
    null: tuple[int, int, int, float] | None = None


@dataclass(frozen=True)
class Outcome:
    payload: dict[str, Any]
    labels: np.ndarray  # group index of each row of the matrix, -1 when not in a group


def not_enough(matrix: VoteMatrix, reason: str) -> Outcome:
    n, c = matrix.shape
    payload = {
        "status": GroupingStatus.NOT_ENOUGH_VOTES,
        "message": f"Not enough votes yet: {reason}",
        "voters": n,
        "included": 0,
        "comments": c,
        "groups": [],
        "lists": {"agree": [], "disagree": [], "divided": [], "uncertain": []},
    }
    return Outcome(payload=payload, labels=np.full(n, -1, dtype=np.int64))


def _why_not(matrix: VoteMatrix) -> str | None:
    n = matrix.shape[0]
    if len(matrix.values) == 0:
        return "nobody has voted."
    if n < 2:
        return "only one person has voted."
    if len(np.unique(matrix.cols)) < 2:
        return "votes on at least two comments are needed."
    if not np.any(matrix.values):
        return "every vote so far is a pass."
    if np.all(matrix.values == matrix.values[0]):
        return "every vote so far is the same."
    return None


def compute(matrix: VoteMatrix, state: State | None = None) -> tuple[Outcome, State]:
    """Run the pipeline; never raises on thin input, answering "not enough votes" instead."""
    state = state or State()
    reason = _why_not(matrix)
    if reason:
        return not_enough(matrix, reason), state
    chosen = included_rows(matrix)
    inner = matrix.select_rows(chosen)
    if len(chosen) < 2 or _why_not(inner):
        return not_enough(matrix, "too few people have voted on enough comments."), state
    projection = project(inner, state.components)
    positions = projection.positions
    base = clustering.base_clusters(positions)
    null = _chance_level(inner, state)
    divided = signal_ratio(inner, top=projection.top, null=null) > split_needs(len(chosen))
    best, options = clustering.best_groups(base, state.clusters, divided=divided)
    k = clustering.steady_k(best, options, state.clusters)
    labels = clustering.merge_small(options[k][base.labels], positions)
    k = int(labels.max()) + 1
    labels = clustering.stable_slots(labels, positions, state.clusters)
    counts = comments.group_counts(inner, labels, k)
    state.components = {cid: projection.components[:, j] for j, cid in enumerate(inner.comment_ids)}
    state.runs += 1
    all_labels = np.full(matrix.shape[0], -1, dtype=np.int64)
    all_labels[chosen] = labels
    payload = _payload(matrix, inner, positions, labels, counts)
    return Outcome(payload=payload, labels=all_labels), state


def _chance_level(inner: VoteMatrix, state: State) -> float:
    """The shuffled matrices' top singular value, reused from the last run when the room has
    barely changed (the same comments, votes and people within NULL_REUSE_GROWTH)."""
    votes, (people, columns) = len(inner.values), inner.shape
    if state.null is not None:
        was_votes, was_people, was_columns, level = state.null
        if (
            was_columns == columns
            and was_votes <= votes <= was_votes * (1 + NULL_REUSE_GROWTH)
            and was_people <= people <= was_people * (1 + NULL_REUSE_GROWTH)
        ):
            return level
    level = null_top(inner)
    state.null = (votes, people, columns, level)
    return level


def _shares(counts: comments.Counts, g: int, j: int) -> dict[str, Any]:
    cast = int(counts.cast[g, j])
    per = max(cast, 1)
    return {
        "group": LETTERS[g],
        "votes": cast,
        "agree": round(float(counts.agree[g, j]) / per, 3),
        "disagree": round(float(counts.disagree[g, j]) / per, 3),
        "pass": round(float(counts.passed[g, j]) / per, 3),
    }


def _payload(
    matrix: VoteMatrix,
    inner: VoteMatrix,
    positions: np.ndarray,
    labels: np.ndarray,
    counts: comments.Counts,
) -> dict[str, Any]:
    k = counts.agree.shape[0]
    ids = inner.comment_ids
    reps = comments.representative(counts)
    groups = []
    for g in range(k):
        members = positions[labels == g]
        cov = np.cov(members.T) if len(members) > 1 else np.zeros((2, 2))
        groups.append(
            {
                "label": LETTERS[g],
                "size": len(members),
                "centre": [round(float(v), 4) for v in members.mean(axis=0)],
                "cov": [[round(float(v), 5) for v in row] for row in np.atleast_2d(cov)],
                "representative": [
                    {
                        "comment_id": ids[r.column],
                        "direction": r.direction,
                        **_shares(counts, g, r.column),
                        "by_group": [_shares(counts, h, r.column) for h in range(k)],
                    }
                    for r in reps[g]
                ],
            }
        )
    ground = comments.common_ground(counts)

    def listed(entries: list[tuple[int, float]]) -> list[dict[str, Any]]:
        return [
            {
                "comment_id": ids[j],
                "score": round(score, 3),
                "by_group": [_shares(counts, g, j) for g in range(k)],
            }
            for j, score in entries
        ]

    return {
        "status": GroupingStatus.READY,
        "message": "",
        "voters": matrix.shape[0],
        "included": inner.shape[0],
        "comments": matrix.shape[1],
        "groups": groups,
        "lists": {
            "agree": listed(ground.agree),
            "disagree": listed(ground.disagree),
            "divided": listed(ground.divided),
            "uncertain": listed(ground.uncertain),
        },
    }
