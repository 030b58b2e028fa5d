"""Sign-ins slowed per client address, never an account locked.

A few wrong passwords from one address are free; after them each further one makes that
address wait twice as long as the last before it may try again (1 s, 2 s, 4 s, … up to the
window), and a try while it waits is refused unread. Other addresses, the account's owner
among them, are not affected. Failures are forgotten a window after the last one.

Addresses are kept only as keyed hashes, in memory, per process: with N workers a guesser
gets at most N times the tries, which still makes guessing slow.
"""

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from app.services.errors import TooManyRequests

PRUNE_ABOVE = 10_000


class SlowDown(TooManyRequests):
    """Too many wrong passwords from this address: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many wrong passwords from this connection: wait {retry_after} seconds "
            "and try again",
            field="email",
        )
        self.retry_after = retry_after


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0
    blocked_until: float = 0.0


class LoginThrottle:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key = secrets.token_bytes(16)
        self._records: dict[bytes, _Record] = {}
        self.clock = time.monotonic

    def _digest(self, address: str | None) -> bytes:
        return hashlib.blake2b((address or "").encode(), key=self._key, digest_size=16).digest()

    def check(self, address: str | None, *, window_minutes: int) -> None:
        """Raise SlowDown while this address must wait."""
        now = self.clock()
        with self._lock:
            record = self._records.get(self._digest(address))
            if record is None or now - record.last > window_minutes * 60:
                return
            if now < record.blocked_until:
                raise SlowDown(max(1, int(record.blocked_until - now + 0.999)))

    def failed(self, address: str | None, *, free: int, window_minutes: int) -> None:
        """Count a wrong password from this address."""
        now = self.clock()
        window = window_minutes * 60
        with self._lock:
            if len(self._records) > PRUNE_ABOVE:
                self._records = {k: r for k, r in self._records.items() if now - r.last <= window}
            key = self._digest(address)
            record = self._records.get(key)
            if record is None or now - record.last > window:
                record = self._records[key] = _Record()
            record.failures += 1
            record.last = now
            over = record.failures - free
            if over > 0:
                record.blocked_until = now + min(2 ** (over - 1), window)

    def reset(self) -> None:
        with self._lock:
            self._records = {}


throttle = LoginThrottle()
