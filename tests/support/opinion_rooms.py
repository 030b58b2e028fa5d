"""Synthetic rooms for the opinion-group tests: planted groups voting with known odds."""

import os
from pathlib import Path

import numpy as np
from sqlmodel import Session

from app.models import Comment, Event, Vote
from app.services.opinion_groups.matrix import VoteMatrix

# Real Pol.is conversations (../shared/data), or the folder in POLIS_DATA_DIR.
DATA = Path(
    os.environ.get(
        "POLIS_DATA_DIR",
        Path(__file__).resolve().parents[3] / "shared" / "data" / "polis-open-data",
    )
)


def planted_room(
    sizes: list[int],
    comments: int = 40,
    *,
    votes_each: tuple[int, int] = (15, 40),
    agree_odds: np.ndarray | None = None,
    pass_rate: float = 0.08,
    seed: int = 0,
) -> tuple[VoteMatrix, np.ndarray]:
    """A room of groups of the given sizes; returns the matrix and each voter's planted group.

    By default each group agrees strongly (0.9) or disagrees strongly (0.1) with each comment,
    the pattern differing between groups.
    """
    rng = np.random.default_rng(seed)
    k = len(sizes)
    if agree_odds is None:
        agree_odds = np.where(rng.random((k, comments)) < 0.5, 0.9, 0.1)
    member = np.repeat(np.arange(k), sizes)
    n = len(member)
    low, high = votes_each
    per_person = np.minimum(rng.integers(low, high + 1, n), comments)
    order = np.argsort(rng.random((n, comments)), axis=1)
    rows = np.repeat(np.arange(n), per_person)
    cols = np.concatenate([order[i, :m] for i, m in enumerate(per_person)])
    draw = rng.random(len(rows))
    odds = agree_odds[member[rows], cols]
    values = np.where(draw < pass_rate, 0, np.where(rng.random(len(rows)) < odds, 1, -1))
    voters = np.array([f"voter-{i:05d}" for i in range(n)])
    matrix = VoteMatrix.from_triples(voters[rows], cols + 1, values)
    planted = member[[int(v.split("-")[1]) for v in matrix.voters]]
    return matrix, planted


def add_room(session: Session, event: Event, sizes: list[int], comments: int = 20) -> list[Comment]:
    """Published comments and the votes of planted groups on them."""
    assert event.id is not None
    matrix, _ = planted_room(sizes, comments=comments, votes_each=(12, comments), seed=5)
    rows = [Comment(event_id=event.id, body=f"Comment number {j + 1}") for j in range(comments)]
    session.add_all(rows)
    session.flush()
    by_column = {j: rows[j] for j in range(comments)}
    session.add_all(
        Vote(
            event_id=event.id,
            comment_id=by_column[int(c)].id or 0,
            voter=matrix.voters[int(r)],
            value=int(v),
        )
        for r, c, v in zip(matrix.rows, matrix.cols, matrix.values, strict=True)
    )
    session.flush()
    return rows
