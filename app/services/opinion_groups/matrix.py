"""The vote matrix, who counts as in, and the two-component projection.

The matrix is kept as coordinate arrays (one entry per vote) and never made dense: once a
missing cell is filled with its column mean and the column is centred by that mean, the cell is
zero, so the centred matrix is exactly as sparse as the votes.

scipy and scikit-learn (about 25 MB) are imported inside the functions that run the maths, so
a web process that only reads stored results never loads them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MIN_VOTES = 7
MIN_IN = 15


@dataclass(frozen=True)
class VoteMatrix:
    """Votes as coordinates: row (voter), column (comment), value +1 agree, -1 disagree, 0 pass."""

    voters: list[str]
    comment_ids: list[int]
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.voters), len(self.comment_ids)

    @classmethod
    def from_triples(
        cls,
        voters: Sequence[str],
        comment_ids: Sequence[int],
        values: Sequence[int] | np.ndarray,
        *,
        all_comment_ids: Sequence[int] | None = None,
    ) -> "VoteMatrix":
        """Build from parallel lists of (voter, comment id, value); a later vote replaces an
        earlier one on the same cell. Votes on comments outside `all_comment_ids` are dropped."""
        voter_keys, rows = _factorise(voters)
        cids = np.asarray(comment_ids, dtype=np.int64)
        columns = np.unique(cids if all_comment_ids is None else np.asarray(all_comment_ids))
        cols = np.searchsorted(columns, cids)
        cols = np.clip(cols, 0, max(len(columns) - 1, 0))
        keep = (columns[cols] == cids) if len(columns) else np.zeros(len(cids), bool)
        vals = np.sign(np.asarray(values, dtype=np.float64))
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        # Keep the last vote on each cell.
        cell = rows.astype(np.int64) * max(len(columns), 1) + cols
        _, last_from_end = np.unique(cell[::-1], return_index=True)
        last = len(cell) - 1 - last_from_end
        used_rows, rows = np.unique(rows[last], return_inverse=True)
        return cls(
            voters=[str(v) for v in voter_keys[used_rows]],
            comment_ids=[int(c) for c in columns],
            rows=rows.astype(np.int64),
            cols=cols[last].astype(np.int64),
            values=vals[last],
        )

    def votes_per_row(self) -> np.ndarray:
        return np.bincount(self.rows, minlength=self.shape[0])

    def select_rows(self, chosen: np.ndarray) -> "VoteMatrix":
        """The sub-matrix of the chosen rows (in the given order), all columns kept."""
        n = self.shape[0]
        new_index = np.full(n, -1, dtype=np.int64)
        new_index[chosen] = np.arange(len(chosen))
        keep = new_index[self.rows] >= 0
        return VoteMatrix(
            voters=[self.voters[i] for i in chosen],
            comment_ids=self.comment_ids,
            rows=new_index[self.rows[keep]],
            cols=self.cols[keep],
            values=self.values[keep],
        )


def _factorise(voters: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct voters in sorted order and each vote's index among them.

    A dictionary pass then a sort of the distinct keys only: `np.unique` on the keys themselves
    sorts every vote's 64-character hash, about 15 times slower at two million votes.
    """
    seen: dict[str, int] = {}
    codes = np.fromiter(
        (seen.setdefault(v if type(v) is str else str(v), len(seen)) for v in voters),
        dtype=np.int64,
        count=len(voters),
    )
    names = np.array(list(seen), dtype=object)
    order = np.argsort(names, kind="stable") if len(names) else np.zeros(0, dtype=np.int64)
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    return names[order], rank[codes]


def included_rows(matrix: VoteMatrix) -> np.ndarray:
    """Rows that count: at least min(7, C) votes, topped up with the most active voters to 15."""
    n, c = matrix.shape
    counts = matrix.votes_per_row()
    order = np.lexsort((np.arange(n), -counts))  # most active first, stable
    enough = int(np.count_nonzero(counts >= min(MIN_VOTES, c)))
    take = min(n, max(enough, MIN_IN))
    chosen = order[:take]
    return np.sort(chosen[counts[chosen] > 0])


def _svd(matrix: VoteMatrix, centred_values: np.ndarray, k: int) -> tuple[Any, Any, Any]:
    """The sparse centred matrix and its top k singular values and right vectors."""
    from scipy import sparse
    from sklearn.utils.extmath import randomized_svd

    centred = sparse.csr_matrix((centred_values, (matrix.rows, matrix.cols)), shape=matrix.shape)
    _, s, vt = randomized_svd(centred, n_components=k, n_iter=6, random_state=0)
    return centred, s, vt


@dataclass(frozen=True)
class Projection:
    positions: np.ndarray  # (n, 2) scaled positions of the rows
    components: np.ndarray  # (2, C)
    column_means: np.ndarray  # (C,)
    top: float  # largest singular value of the centred matrix (for `signal_ratio`)


def project(matrix: VoteMatrix, previous: dict[int, np.ndarray] | None = None) -> Projection:
    """Two principal components of the mean-filled, centred matrix, signs kept stable.

    `previous` maps comment id to its (2,) loadings in the last run; each axis is flipped to
    point the same way over the comments both runs share.
    """
    n, c = matrix.shape
    voted = np.bincount(matrix.cols, minlength=c)
    sums = np.bincount(matrix.cols, weights=matrix.values, minlength=c)
    means = sums / np.maximum(voted, 1)
    k = min(2, n, c)
    centred, s, vt = _svd(matrix, matrix.values - means[matrix.cols], k)
    components = np.zeros((2, c))
    components[:k] = vt
    if previous:
        shared = [(j, previous[cid]) for j, cid in enumerate(matrix.comment_ids) if cid in previous]
        if shared:
            idx = np.array([j for j, _ in shared])
            old = np.stack([v for _, v in shared], axis=1)  # (2, s)
            signs = np.where(np.sum(components[:, idx] * old, axis=1) < 0, -1.0, 1.0)
            components *= signs[:, None]
    scores = np.asarray(centred @ components.T)
    scale = np.sqrt(c / np.maximum(matrix.votes_per_row(), 1))
    return Projection(
        positions=scores * scale[:, None],
        components=components,
        column_means=means,
        top=float(s[0]) if len(s) else 0.0,
    )


def _top_singular(matrix: VoteMatrix, values: np.ndarray) -> float:
    c = matrix.shape[1]
    voted = np.bincount(matrix.cols, minlength=c)
    means = np.bincount(matrix.cols, weights=values, minlength=c) / np.maximum(voted, 1)
    _, s, _ = _svd(matrix, values - means[matrix.cols], 1)
    return float(s[0])


def null_top(matrix: VoteMatrix, shuffles: int = 3) -> float:
    """The top singular value expected by chance (parallel analysis), for `signal_ratio`.

    Each comment's votes are shuffled among the people who voted on it, which keeps every
    comment's split and every person's number of votes but breaks any pattern between people;
    this is the mean top singular value of the shuffled matrices.
    """
    rng = np.random.default_rng(0)
    by_column = np.argsort(matrix.cols, kind="stable")
    null = []
    for _ in range(shuffles):
        # Sorting column + a random fraction shuffles within each column in one pass.
        order = np.argsort(matrix.cols + rng.random(len(matrix.cols)))
        shuffled = np.empty_like(matrix.values)
        shuffled[by_column] = matrix.values[order]
        null.append(_top_singular(matrix, shuffled))
    return float(np.mean(null))


def signal_ratio(
    matrix: VoteMatrix, shuffles: int = 3, *, top: float | None = None, null: float | None = None
) -> float:
    """How far the main axis of disagreement stands above chance: the top singular value of
    the real matrix over the shuffled ones' (`null_top`). Pass `top` (from `project`) and a
    `null` reused from a run on nearly the same votes to skip those SVDs."""
    real = _top_singular(matrix, matrix.values) if top is None else top
    chance = null_top(matrix, shuffles) if null is None else null
    return real / max(chance, 1e-12)
