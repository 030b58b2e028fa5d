"""Resident comment POST throughput: ours against a bare FastAPI endpoint inserting into SQLite.

Both servers run one uvicorn worker on a scratch SQLite database, one after the other, driven by
the same keep-alive client; ours with RESIDENT_RATE_LIMIT=0 so the limiter is not what is
measured. Target: ours >= 0.8 x bare.

    .venv/bin/python bench/comment_path.py [--seconds 10] [--concurrency 16]
"""

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    PYTHON,
    free_port,
    hammer,
    post_request,
    scratch_sqlite,
    start_app,
    stop,
    wait_healthy,
)

BODY = "Officers should come to every meeting, not only after a crisis"


def run(port: int, path: str, seconds: float, concurrency: int) -> tuple[int, float]:
    """(comments acknowledged, per second)."""

    def request(n: int) -> bytes:
        body = json.dumps({"body": f"{BODY} ({n})"}).encode()
        return post_request(path, body, f"127.0.0.1:{port}")

    hammer_ok, failed, elapsed = asyncio.run(
        hammer(port, request, seconds=seconds, concurrency=concurrency)
    )
    if failed:
        print(f"  {failed} requests failed on {path}")
    return hammer_ok, hammer_ok / elapsed


def stored(database: str) -> int:
    with sqlite3.connect(database) as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'comment'").fetchone() is None:
            return 0  # the bare endpoint makes its table on its first request
        return int(conn.execute("SELECT count(*) FROM comment").fetchone()[0])


def start_bare(database: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "BARE_DB": database}
    proc = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", "bare_app:app", "--port", str(port), "--no-access-log",
         "--app-dir", str(Path(__file__).parent)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
    return proc, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    databases = {"bare": f"{tempfile.mkdtemp(prefix='bare-')}/bare.db"}
    bare_proc, bare_port = start_bare(databases["bare"])
    our_port = free_port(bare_port + 1)
    our_url = scratch_sqlite("ours-")
    databases["ours"] = our_url.removeprefix("sqlite:///")
    our_proc, code = start_app(our_url, our_port)
    targets = {
        "bare": (bare_port, "/comments"),
        "ours": (our_port, f"/api/v1/join/{code}/comments"),
    }
    rates: dict[str, list[float]] = {"bare": [], "ours": []}
    acknowledged = {name: stored(path) for name, path in databases.items()}  # the demo's own
    try:
        for name, (port, path) in targets.items():
            acknowledged[name] += run(port, path, 1, args.concurrency)[0]  # warm up
        # Rounds alternate, so a busy moment on a shared machine hits both alike.
        for _ in range(args.rounds):
            for name, (port, path) in targets.items():
                count, rate = run(port, path, args.seconds, args.concurrency)
                acknowledged[name] += count
                rates[name].append(rate)
    finally:
        stop(bare_proc)
        stop(our_proc)
    bare_rate, our_rate = statistics.median(rates["bare"]), statistics.median(rates["ours"])
    print(f"concurrency {args.concurrency}, {args.rounds} rounds of {args.seconds:g} s (medians)")
    print(f"bare FastAPI + SQLite insert: {bare_rate:8.0f} comments/s  {_rounds(rates['bare'])}")
    print(f"Common Ground resident POST:  {our_rate:8.0f} comments/s  {_rounds(rates['ours'])}")
    print(f"ratio ours / bare:            {our_rate / bare_rate:8.2f}  (target >= 0.80)")
    for name, database in databases.items():
        # Anything acknowledged is on disk: every 201 has its row.
        print(
            f"{name}: {stored(database):,} comments stored of {acknowledged[name]:,} acknowledged"
        )


def _rounds(values: list[float]) -> str:
    return "(" + ", ".join(f"{v:.0f}" for v in values) + ")"


if __name__ == "__main__":
    main()
