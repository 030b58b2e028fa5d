"""Time the opinion-group pipeline on synthetic rooms at realistic sparsity.

Each participant votes on 30-100 comments (at most all of them); opinions come from a few
planted groups. The whole pipeline must run 2,000 x 900 in under a second on one core.
"""

import os
import sys
import time

# One core, as on a busy server: no threaded BLAS speed-up.
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(name, "1")

import numpy as np  # noqa: E402

from app.services.opinion_groups.matrix import VoteMatrix  # noqa: E402
from app.services.opinion_groups.pipeline import compute  # noqa: E402

SIZES = [(500, 300), (2_000, 900), (10_000, 2_000)]
TARGET = (2_000, 900, 1.0)


def synthetic(
    participants: int, comments: int, groups: int = 3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Planted groups: each group agrees with a comment with its own probability."""
    rng = np.random.default_rng(seed)
    member = rng.integers(0, groups, participants)
    agree_odds = rng.uniform(0.1, 0.9, size=(groups, comments))
    per_person = np.minimum(rng.integers(30, 101, participants), comments)
    rows = np.repeat(np.arange(participants), per_person)
    # Distinct comments per participant: rank random keys within each row.
    keys = rng.random((participants, comments))
    picked = np.argsort(keys, axis=1)
    cols = np.concatenate([picked[i, :n] for i, n in enumerate(per_person)])
    draw = rng.random(len(rows))
    odds = agree_odds[member[rows], cols]
    values = np.where(draw < 0.1, 0, np.where(draw < 0.1 + 0.9 * odds, 1, -1))
    voters = np.array([f"v{i}" for i in range(participants)])
    return voters[rows], cols, values


def time_run(
    votes: tuple[np.ndarray, np.ndarray, np.ndarray], repeat: int = 3
) -> tuple[float, float]:
    """Best wall-clock and CPU time of building the matrix from (voter, comment, value) rows
    and one full run. CPU time is what one core spends even when the machine is busy."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        outcome, _ = compute(VoteMatrix.from_triples(*votes))
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
        assert outcome.payload["status"] == "ready"
    return wall, cpu


def main() -> int:
    failed = False
    for participants, comments in SIZES:
        votes = synthetic(participants, comments)
        wall, cpu = time_run(votes, repeat=3 if participants <= 2_000 else 1)
        line = (
            f"{participants:>6} x {comments:<5} {len(votes[0]):>8} votes"
            f"  {wall:6.3f} s wall  {cpu:6.3f} s cpu"
        )
        if (participants, comments) == TARGET[:2]:
            ok = cpu < TARGET[2]
            failed = failed or not ok
            line += f"  (target < {TARGET[2]:.0f} s: {'met' if ok else 'MISSED'})"
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
