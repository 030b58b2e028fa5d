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
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
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

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

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
