"""Live fan-out: N residents' phones subscribed to one meeting while comments arrive.

Opens N server-sent event streams (default 1,000) to the demo meeting's resident view, posts
comments at a steady rate through the resident API, and prints the delivery latency (from the
POST being sent to the comment appearing on each stream: p50/p95/p99) and the server's RSS.
Targets: p95 <= 250 ms with 1,000 subscribers on one process; 2,000 within 200 MB RSS; with
4 workers on PostgreSQL p95 <= 500 ms.

    .venv/bin/python bench/fanout.py [--subscribers 1000] [--rate 2] [--seconds 15]
    .venv/bin/python bench/fanout.py --database-url postgresql://... --workers 4
"""

import argparse
import asyncio
import json
import re
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_seconds, free_port, post_request, rss_mb, scratch_sqlite, start_app, stop

MARK = re.compile(rb"fanout-mark-(\d+)-")


class Subscriber:
    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.connected = asyncio.Event()

    async def run(self, port: int, path: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        tail = b""
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    return
                now = time.monotonic()
                if b"event: comments" in chunk:
                    self.connected.set()
                for match in MARK.finditer(tail + chunk):
                    self.seen.setdefault(int(match.group(1)), now)
                tail = chunk[-40:]
        finally:
            writer.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def publish(port: int, code: str, rate: float, seconds: float) -> dict[int, float]:
    """Post comments at a steady rate; returns each mark's send time."""
    sent: dict[int, float] = {}
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    interval = 1 / rate
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < seconds:
        n += 1
        body = json.dumps({"body": f"Comment fanout-mark-{n}- from the room"}).encode()
        sent[n] = time.monotonic()
        writer.write(post_request(f"/api/v1/join/{code}/comments", body, "bench"))
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
        await reader.readexactly(length)
        if b" 201 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"comment refused: {head[:80]!r}")
        await asyncio.sleep(max(0, start + n * interval - time.monotonic()))
    writer.close()
    return sent


async def bench(args: argparse.Namespace, port: int, code: str, pid: int) -> None:
    subs = [Subscriber() for _ in range(args.subscribers)]
    tasks = []
    for i, sub in enumerate(subs):
        tasks.append(asyncio.create_task(sub.run(port, f"/j/{code}/stream")))
        if i % 100 == 99:
            await asyncio.sleep(0.05)  # phones arrive over a few seconds, not all at once
    connect_start = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(s.connected.wait() for s in subs)), timeout=120)
    print(f"{len(subs)} streams open in {time.monotonic() - connect_start:.1f} s")
    rss_idle = rss_mb(pid)
    cpu_before = cpu_seconds(pid)
    sent = await publish(port, code, args.rate, args.seconds)
    await asyncio.sleep(2)  # let the last pushes land
    cpu_per_push = (cpu_seconds(pid) - cpu_before) / len(sent) * 1000
    rss_busy = rss_mb(pid)
    for t in tasks:
        t.cancel()
    latencies = [
        (sub.seen[mark] - at) * 1000
        for sub in subs
        for mark, at in sent.items()
        if mark in sub.seen
    ]
    missing = len(subs) * len(sent) - len(latencies)
    print(f"{len(sent)} comments at {args.rate:g}/s to {len(subs)} subscribers")
    print(
        f"delivery latency ms: p50 {percentile(latencies, 50):.0f}  p95 "
        f"{percentile(latencies, 95):.0f}  p99 {percentile(latencies, 99):.0f}  "
        f"max {max(latencies):.0f}  mean {statistics.mean(latencies):.0f}"
    )
    print(f"deliveries missing: {missing}")
    print(f"server CPU per comment (write, render once, push to all): {cpu_per_push:.0f} ms")
    print(f"server RSS: {rss_idle:.0f} MB with the streams open, {rss_busy:.0f} MB after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=2, help="comments per second")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default="", help="default: a scratch SQLite file")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it too
    port = free_port()
    proc, code = start_app(args.database_url or scratch_sqlite("fanout-"), port, args.workers)
    try:
        asyncio.run(bench(args, port, code, proc.pid))
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
