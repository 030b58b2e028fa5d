"""What each group stands for, and the common ground between groups, from per-group counts."""

from dataclasses import dataclass

import numpy as np

from app.services.opinion_groups.matrix import VoteMatrix

Z_90 = 1.2816  # one-sided 90%
REPRESENTATIVE_PER_GROUP = 5
LIST_SIZE = 5
CONSENSUS_SHARE = 0.6
DIVIDED_SPREAD = 0.25
UNCERTAIN_SHARE = 0.3


@dataclass(frozen=True)
class Counts:
    """Per group (rows) and comment (columns): agrees, disagrees, passes, votes cast."""

    agree: np.ndarray
    disagree: np.ndarray
    passed: np.ndarray

    @property
    def cast(self) -> np.ndarray:
        return self.agree + self.disagree + self.passed


def group_counts(matrix: VoteMatrix, labels: np.ndarray, k: int) -> Counts:
    """Counts of the rows' votes by group; rows labelled -1 (not in any group) are left out."""
    c = matrix.shape[1]
    group = labels[matrix.rows]
    keep = group >= 0
    cell = group[keep] * c + matrix.cols[keep]
    vals = matrix.values[keep]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(cell[mask], minlength=k * c).reshape(k, c).astype(np.float64)

    return Counts(agree=count(vals > 0), disagree=count(vals < 0), passed=count(vals == 0))


def _two_prop(succ1: np.ndarray, n1: np.ndarray, succ2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Two-proportion z statistic of (s1+1)/(n1+1) against (s2+1)/(n2+1)."""
    p1 = (succ1 + 1) / (n1 + 1)
    p2 = (succ2 + 1) / (n2 + 1)
    pooled = (succ1 + succ2 + 2) / (n1 + n2 + 2)
    spread = np.sqrt(np.maximum(pooled * (1 - pooled) * (1 / (n1 + 1) + 1 / (n2 + 1)), 1e-12))
    return (p1 - p2) / spread


@dataclass(frozen=True)
class Representative:
    column: int
    direction: str  # "agree" or "disagree"
    score: float


def representative(counts: Counts) -> list[list[Representative]]:
    """Up to 5 comments per group that set it apart from the rest, agrees first."""
    k = counts.agree.shape[0]
    if k < 2:
        return [[] for _ in range(k)]
    ns = counts.cast
    rest_n = ns.sum(axis=0) - ns
    out: list[list[Representative]] = []
    stats = {}
    for name, own in (("agree", counts.agree), ("disagree", counts.disagree)):
        rest = own.sum(axis=0) - own
        p = (own + 1) / (ns + 2)
        ptest = 2 * np.sqrt(ns + 1) * ((own + 1) / (ns + 1) - 0.5)
        r = p / ((rest + 1) / (rest_n + 2))
        rtest = _two_prop(own, ns, rest, rest_n)
        stats[name] = (p, ptest, r, rtest)
    pa, pat, ra, rat = stats["agree"]
    pd, pdt, rd, rdt = stats["disagree"]
    agree_dir = rat > rdt
    p = np.where(agree_dir, pa, pd)
    ptest = np.where(agree_dir, pat, pdt)
    r = np.where(agree_dir, ra, rd)
    rtest = np.where(agree_dir, rat, rdt)
    score = r * rtest * p * ptest
    ok = (ptest > Z_90) & (rtest > Z_90) & (ns > 0)
    for g in range(k):
        chosen = np.flatnonzero(ok[g])
        chosen = chosen[np.argsort(-score[g, chosen], kind="stable")][:REPRESENTATIVE_PER_GROUP]
        if len(chosen) == 0:
            voted = np.flatnonzero(ns[g] > 0)
            if len(voted):
                chosen = voted[[int(np.argmax(rtest[g, voted]))]]
        picks = [
            Representative(int(j), "agree" if agree_dir[g, j] else "disagree", float(score[g, j]))
            for j in chosen
        ]
        picks.sort(key=lambda rep: rep.direction != "agree")
        out.append(picks)
    return out


@dataclass(frozen=True)
class CommonGround:
    agree: list[tuple[int, float]]  # (column, consensus score)
    disagree: list[tuple[int, float]]
    divided: list[tuple[int, float]]  # (column, spread of agree share across groups)
    uncertain: list[tuple[int, float]]  # (column, pass share)


def _ranked(mask: np.ndarray, score: np.ndarray) -> list[tuple[int, float]]:
    idx = np.flatnonzero(mask)
    idx = idx[np.argsort(-score[idx], kind="stable")][:LIST_SIZE]
    return [(int(j), float(score[j])) for j in idx]


def common_ground(counts: Counts) -> CommonGround:
    """Group-informed consensus (geometric mean over groups) and the four lists."""
    ns = counts.cast
    pa = (counts.agree + 1) / (ns + 2)
    pd = (counts.disagree + 1) / (ns + 2)
    voted_by_all = (ns > 0).all(axis=0)
    agree_score = np.exp(np.log(pa).mean(axis=0))
    disagree_score = np.exp(np.log(pd).mean(axis=0))
    spread = pa.max(axis=0) - pa.min(axis=0) if pa.shape[0] > 1 else np.zeros(pa.shape[1])
    total = ns.sum(axis=0)
    pass_share = counts.passed.sum(axis=0) / np.maximum(total, 1)
    return CommonGround(
        agree=_ranked(voted_by_all & (pa > CONSENSUS_SHARE).all(axis=0), agree_score),
        disagree=_ranked(voted_by_all & (pd > CONSENSUS_SHARE).all(axis=0), disagree_score),
        divided=_ranked(voted_by_all & (spread >= DIVIDED_SPREAD), spread),
        uncertain=_ranked((total >= 2) & (pass_share > UNCERTAIN_SHARE), pass_share),
    )
