"""Synthetic rooms for the opinion-group tests: planted groups voting with known odds."""

import numpy as np

from app.services.opinion_groups.matrix import VoteMatrix


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
