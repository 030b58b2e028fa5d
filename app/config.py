"""The one place that reads the environment."""

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///./{DATA_DIR}/commonground.db"
    # Signs staff session cookies; generated once into ./data when not given.
    secret_key: str = ""
    # Resident writes per minute per client address per event; 0 turns the limit off.
    # A whole room often shares the venue's one public address, so the default is generous.
    resident_rate_limit: int = Field(default=3000, ge=0)
    # Words that hold a comment for moderation even in post-moderated events (comma separated).
    blocklist_extra: str = ""
    # Wrong passwords from one client address before its sign-ins are slowed (each further
    # one doubles the wait); they are forgotten after this many minutes without one.
    # Never a lock on the account: a stranger cannot keep its owner out.
    login_free_failures: int = Field(default=5, ge=1)
    login_throttle_minutes: int = Field(default=15, ge=1)
    # A staff session ends after this long without a request, and after 12 hours in any case.
    session_idle_minutes: int = Field(default=60, ge=1)
    # Addresses of the proxies whose X-Forwarded-For / -Proto headers are believed
    # (comma separated, "*" for any); empty: none, the peer's own address is the client's.
    forwarded_allow_ips: str = ""
    # Set behind an https proxy so session cookies are marked Secure.
    https_only: bool = False
    public_base_url: str = "http://localhost:8000"
    sql_echo: bool = False
    # Where invitations and password links are mailed (smtp://, smtp+starttls://, smtps://);
    # empty: no mail, the one-time link is shown once to whoever sent the invitation.
    smtp_url: str = ""
    mail_from: str = "Common Ground <noreply@localhost>"
    # How often each worker retries mail the server could not take (seconds).
    mail_retry_seconds: float = Field(default=60.0, gt=0)
    # Opinion groups are recomputed at most this often per event (seconds) as votes arrive.
    opinion_groups_interval: float = Field(default=3.0, gt=0)
    # Server processes for `commonground serve`: 1 on SQLite (the only number it allows), 2
    # on PostgreSQL, unless set.
    workers: int | None = Field(default=None, ge=1)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def serve_workers(self, asked: int | None = None) -> int:
        """How many server processes to run; more than one on SQLite is refused."""
        workers = asked or self.workers or (1 if self.is_sqlite else 2)
        if self.is_sqlite and workers > 1:
            raise ValueError(
                f"SQLite is served by one worker, not {workers}: its writes would queue across "
                "processes and live updates would reach only the phones of the worker that "
                "made them. Set WORKERS=1, or use PostgreSQL (DATABASE_URL) for more workers."
            )
        return workers

    def signing_key(self) -> str:
        if self.secret_key:
            return self.secret_key
        path = DATA_DIR / "secret_key"
        if not path.exists():
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
