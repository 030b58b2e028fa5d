"""Base clusters, opinion groups chosen by silhouette, and the rules that keep them steady."""

from dataclasses import dataclass, field

import numpy as np

MAX_BASE = 100
MAX_GROUPS = 5
MIN_GROUP_SIZE = 5
# The shown number of groups changes only after the same new best has won this many runs.
RUNS_TO_CHANGE = 4
SILHOUETTE_MARGIN = 0.02


@dataclass
class ClusterState:
    """What one run hands the next: centres to warm-start from and the stability counters."""

    centres_by_k: dict[int, np.ndarray] = field(default_factory=dict)
    shown_k: int | None = None
    candidate_k: int | None = None
    streak: int = 0
    group_centres: np.ndarray | None = None  # shown groups, by slot, for stable letters
    scores: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Base:
    labels: np.ndarray  # (n,) base cluster of each row
    centres: np.ndarray  # (B, 2)
    counts: np.ndarray  # (B,)


def base_clusters(positions: np.ndarray) -> Base:
    """k-means with k = min(100, distinct positions).

    Seeded afresh each run (deterministically): warm-starting these from the last run's
    centres, which lie in the last run's projection, made the groups depend on when the
    runs happened (tried on the Pol.is conversations). Groups are warm-started instead.
    """
    distinct = np.unique(positions, axis=0)
    k = min(MAX_BASE, len(distinct))
    if k == len(distinct):
        # Each distinct position is its own base cluster: no k-means needed.
        _, labels = np.unique(positions, axis=0, return_inverse=True)
        labels = labels.ravel()
        return Base(labels=labels, centres=distinct, counts=np.bincount(labels, minlength=k))
    # scikit-learn is imported where a run needs it: the web process never loads it at start-up.
    from sklearn.cluster import KMeans

    km = KMeans(n_clusters=k, n_init=1, random_state=0, max_iter=50).fit(positions)
    labels = km.labels_
    counts = np.bincount(labels, minlength=k)
    used = counts > 0
    remap = np.cumsum(used) - 1
    return Base(labels=remap[labels], centres=km.cluster_centers_[used], counts=counts[used])


RESTARTS = 12


def _lloyd(
    points: np.ndarray, weights: np.ndarray, centres: np.ndarray, iterations: int = 50
) -> tuple[np.ndarray, np.ndarray, float]:
    """Weighted k-means from the given centres; returns labels, centres and inertia."""
    n = len(points)
    labels = np.full(n, -1)
    for _ in range(iterations):
        gaps = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        moved = gaps.argmin(axis=1)
        if np.array_equal(moved, labels):
            break
        labels = moved
        member = np.zeros((n, len(centres)))
        member[np.arange(n), labels] = weights
        mass = member.sum(axis=0)
        filled = mass > 0
        centres = centres.copy()
        centres[filled] = (member.T @ points)[filled] / mass[filled, None]
    gaps = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    labels = gaps.argmin(axis=1)
    return labels, centres, float((weights * gaps[np.arange(n), labels]).sum())


def _plus_plus(
    points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator
) -> np.ndarray:
    """k-means++ seeding, each point weighted by its members."""
    first = rng.choice(len(points), p=weights / weights.sum())
    chosen = [first]
    gaps = ((points - points[first]) ** 2).sum(axis=1)
    for _ in range(1, k):
        odds = weights * gaps
        total = odds.sum()
        pick = int(rng.choice(len(points), p=odds / total)) if total > 0 else int(np.argmax(gaps))
        chosen.append(pick)
        gaps = np.minimum(gaps, ((points - points[pick]) ** 2).sum(axis=1))
    return points[chosen].copy()


def _group_kmeans(
    centres: np.ndarray, weights: np.ndarray, k: int, previous: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The best of a warm start from the last run's centres and seeded restarts."""
    rng = np.random.default_rng(k)
    weights = weights.astype(np.float64)
    starts = [_plus_plus(centres, weights, k, rng) for _ in range(RESTARTS)]
    if previous is not None and len(previous) == k:
        starts.insert(0, previous.copy())
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for start in starts:
        found = _lloyd(centres, weights, start)
        # Ties go to the earlier start, so the warm start stays when it is as good.
        if best is None or found[2] < best[2] * (1 - 1e-9):
            best = found
    assert best is not None
    return best[0], best[1]


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette over points, from a precomputed distance matrix."""
    k = int(labels.max()) + 1
    onehot = np.eye(k)[labels]
    sizes = onehot.sum(axis=0)
    sums = distances @ onehot  # (n, k): total distance to each cluster
    own = sizes[labels] - 1
    a = np.where(own > 0, sums[np.arange(len(labels)), labels] / np.maximum(own, 1), 0.0)
    others = np.where(onehot > 0, np.inf, sums / np.maximum(sizes, 1))
    others[:, sizes == 0] = np.inf
    b = others.min(axis=1)
    s = np.where(own > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def best_groups(
    base: Base, state: ClusterState, *, divided: bool = True
) -> tuple[int, dict[int, np.ndarray]]:
    """Score every k by the mean silhouette over base centres; returns best k and labels by k.

    A room that is not `divided` has best k = 1, but the other options are still scored, so a
    split already shown steps back to one group only under the stability rule.
    """
    b = len(base.centres)
    top = min(MAX_GROUPS, 2 + b // 12, b - 1)
    distances = np.linalg.norm(base.centres[:, None, :] - base.centres[None, :, :], axis=2)
    options: dict[int, np.ndarray] = {}
    scores: dict[int, float] = {}
    for k in range(2, top + 1):
        labels, centres = _group_kmeans(base.centres, base.counts, k, state.centres_by_k.get(k))
        if len(np.unique(labels)) < 2:
            continue
        state.centres_by_k[k] = centres
        options[k] = labels
        scores[k] = _silhouette(distances, labels)
    state.scores = scores
    options[1] = np.zeros(b, dtype=np.int64)
    if not scores or not divided:
        return 1, options
    # Fewer groups unless more separate clearly better: near-ties flip with every few votes.
    top_score = max(scores.values())
    best = min(k for k, score in scores.items() if score >= top_score - SILHOUETTE_MARGIN)
    return best, options


def steady_k(best: int, options: dict[int, np.ndarray], state: ClusterState) -> int:
    """The first run shows its best k; later runs change k only after 4 wins in a row."""
    if state.shown_k is None or state.shown_k not in options:
        state.shown_k, state.candidate_k, state.streak = best, best, 1
        return best
    if best == state.candidate_k:
        state.streak += 1
    else:
        state.candidate_k, state.streak = best, 1
    if best != state.shown_k and state.streak >= RUNS_TO_CHANGE:
        state.shown_k = best
    return state.shown_k


def merge_small(labels: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Fold every group of fewer than 5 members into its nearest group, smallest first."""
    labels = np.unique(labels, return_inverse=True)[1].ravel()
    while True:
        sizes = np.bincount(labels)
        if len(sizes) < 2 or sizes.min() >= MIN_GROUP_SIZE:
            return labels
        small = int(np.argmin(sizes))
        centres = np.stack([positions[labels == g].mean(axis=0) for g in range(len(sizes))])
        gaps = np.linalg.norm(centres - centres[small], axis=1)
        gaps[small] = np.inf
        labels = np.where(labels == small, int(np.argmin(gaps)), labels)
        labels = np.unique(labels, return_inverse=True)[1].ravel()


def stable_slots(labels: np.ndarray, positions: np.ndarray, state: ClusterState) -> np.ndarray:
    """Renumber groups so each keeps the letter of the nearest group of the last run."""
    k = int(labels.max()) + 1
    centres = np.stack([positions[labels == g].mean(axis=0) for g in range(k)])
    sizes = np.bincount(labels, minlength=k)
    slot = np.full(k, -1)
    old = state.group_centres
    if old is not None and len(old):
        from scipy.optimize import linear_sum_assignment  # loaded by a run, not at start-up

        cost = np.linalg.norm(centres[:, None, :] - old[None, :, :], axis=2)
        new_idx, old_idx = linear_sum_assignment(cost)
        slot[new_idx] = old_idx
    taken = set(slot.tolist())
    free = [s for s in range(k + (0 if old is None else len(old))) if s not in taken]
    for g in np.argsort(-sizes, kind="stable"):
        if slot[g] < 0:
            slot[g] = free.pop(0)
    # Slots may have gaps when groups merged; close them keeping the order.
    order = np.argsort(slot, kind="stable")
    final = np.empty(k, dtype=np.int64)
    final[order] = np.arange(k)
    state.group_centres = centres[order]
    return final[labels]
