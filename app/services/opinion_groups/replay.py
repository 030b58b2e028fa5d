"""Replay votes in the order they were cast, rerunning the pipeline as a live meeting would."""

from collections.abc import Sequence

import numpy as np

from app.services.opinion_groups.matrix import VoteMatrix
from app.services.opinion_groups.pipeline import Outcome, State, compute


def replay(
    voters: Sequence[str],
    comment_ids: Sequence[int],
    values: Sequence[int] | np.ndarray,
    *,
    every: int,
    all_comment_ids: Sequence[int] | None = None,
    state: State | None = None,
) -> tuple[Outcome, State, VoteMatrix]:
    """Votes in time order; a warm-started run after every `every` votes and after the last."""
    total = len(values)
    ends = [*range(every, total, every), total] if total else [0]
    outcome: Outcome | None = None
    matrix = VoteMatrix.from_triples([], [], [])
    for end in ends:
        matrix = VoteMatrix.from_triples(
            voters[:end], comment_ids[:end], values[:end], all_comment_ids=all_comment_ids
        )
        outcome, state = compute(matrix, state)
    assert outcome is not None and state is not None
    return outcome, state, matrix
