"""Shared by the benchmarks: start a server on a scratch database, a lean HTTP/1.1 load client."""

import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port(start: int = 8500, stop: int = 8600) -> int:
    # In random order: benchmarks started at the same moment rarely pick the same port.
    for port in random.sample(range(start, stop), stop - start):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {start}-{stop - 1}")


def scratch_sqlite(prefix: str) -> str:
    return f"sqlite:///{tempfile.mkdtemp(prefix=prefix)}/bench.db"


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy after {timeout}s")


def start_app(
    database_url: str, port: int, workers: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    """Migrate, seed the demo, serve; returns the process and the demo's join code."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RESIDENT_RATE_LIMIT": "0",
        "SECRET_KEY": "bench-secret",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    subprocess.run([PYTHON, "-m", "app", "migrate"], env=env, cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    demo = subprocess.run([PYTHON, "-m", "app", "demo"], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)  # fmt: skip
    code = demo.stdout.split("join code ")[1].split(")")[0]
    proc = subprocess.Popen(
        [PYTHON, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
    return proc, code


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    for p in _family(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _family(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid] + ([int(p) for p in children.read_text().split()] if children.exists() else [])


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (uvicorn workers)."""
    ticks = 0
    for p in _family(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def post_request(path: str, body: bytes, host: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
             f"Content-Length: {len(body)}"]  # fmt: skip
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    if length:
        await reader.readexactly(length)
    return status


async def hammer(
    port: int, make_request: Callable[[int], bytes], *, seconds: float, concurrency: int
) -> tuple[int, int, float]:
    """Keep-alive connections sending requests back to back; returns (ok, failed, elapsed)."""
    ok = failed = 0
    counter = 0
    stop_at = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal ok, failed, counter
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.monotonic() < stop_at:
            counter += 1
            writer.write(make_request(counter))
            status = await _read_response(reader)
            if status < 300:
                ok += 1
            else:
                failed += 1
        writer.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ok, failed, time.monotonic() - started
