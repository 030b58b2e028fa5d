"""Resident write limits per event and client address, without keeping the address.

The address is hashed with a random salt that lives only in memory and is replaced every
window, together with the counts: nothing here is stored or logged, and a count cannot be tied
back to an address once its window is over. A whole room often shares the venue's one public
address, so the limit (RESIDENT_RATE_LIMIT) is per minute and generous by default.
Each worker process counts on its own: with N workers a flood gets at most N times the limit,
which still stops it without a shared store that would have to hold the hashes.
"""

import hashlib
import secrets
import threading
import time

from app.services.errors import TooManyRequests

WINDOW_SECONDS = 60


class RateLimiter:
    def __init__(self, window: float = WINDOW_SECONDS) -> None:
        self.window = window
        self._lock = threading.Lock()
        self._started = 0.0
        self._salt = b""
        self._counts: dict[tuple[int, bytes], int] = {}

    def _rotate(self, now: float) -> None:
        self._started = now - (now % self.window)
        self._salt = secrets.token_bytes(16)
        self._counts = {}

    def hit(self, *, event_id: int, address: str | None, limit: int) -> None:
        """Count one write; raise TooManyRequests once the window's limit is reached."""
        if limit <= 0:
            return
        now = time.monotonic()
        with self._lock:
            if now - self._started >= self.window or not self._salt:
                self._rotate(now)
            digest = hashlib.blake2b(
                (address or "").encode(), key=self._salt, digest_size=16
            ).digest()
            key = (event_id, digest)
            count = self._counts.get(key, 0)
            if count >= limit:
                wait = max(1, int(self._started + self.window - now) + 1)
                raise TooManyRequests(
                    f"Too many messages from this connection just now: wait {wait} seconds "
                    "and try again",
                    field=None,
                )
            self._counts[key] = count + 1

    def reset(self) -> None:
        with self._lock:
            self._rotate(time.monotonic())


limiter = RateLimiter()
