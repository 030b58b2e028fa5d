"""Staff sessions end on the server: signing out, a new password or an idle hour make a copy of
the cookie worthless; wrong passwords slow their address down and never lock the account."""

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import User
from app.services import accounts, staff_sessions
from app.services.login_throttle import throttle
from tests.support import factories

COOKIE = "cg_session"


@pytest.fixture
def browser(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """Browsers at client addresses of our choosing."""
    made: list[TestClient] = []

    def _make(address: str) -> TestClient:
        c = TestClient(app, client=(address, 50000))
        made.append(c)
        return c

    yield _make
    for c in made:
        c.close()


def _replay(browser: Callable[[str], TestClient], cookie: str) -> TestClient:
    thief = browser("198.51.100.66")
    thief.cookies.set(COOKIE, cookie)
    return thief


def _signed_in(browser: Callable[[str], TestClient], user: User) -> tuple[TestClient, str]:
    c = browser("192.0.2.10")
    csrf = factories.login(c, user)
    return c, csrf


def test_a_cookie_copied_before_sign_out_no_longer_works(
    browser: Callable[[str], TestClient], db: Session
) -> None:
    w = factories.world(db)
    c, csrf = _signed_in(browser, w.organiser)
    copied = c.cookies[COOKIE]
    assert _replay(browser, copied).get("/events").status_code == 200
    assert c.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    replayed = _replay(browser, copied)
    assert replayed.get("/events", follow_redirects=False).status_code == 401
    assert replayed.get("/api/v1/events").status_code == 401


def test_signing_out_on_one_device_keeps_the_other_signed_in(
    browser: Callable[[str], TestClient], db: Session
) -> None:
    w = factories.world(db)
    laptop, csrf = _signed_in(browser, w.organiser)
    tablet, _ = _signed_in(browser, w.organiser)
    laptop.post("/logout", data={"csrf_token": csrf})
    assert tablet.get("/events").status_code == 200
    assert laptop.get("/events", follow_redirects=False).status_code == 401


def test_a_new_password_ends_every_session_of_the_user(
    browser: Callable[[str], TestClient], db: Session
) -> None:
    w = factories.world(db)
    c, _ = _signed_in(browser, w.organiser)
    other, _ = _signed_in(browser, w.owner)
    copied = c.cookies[COOKIE]
    accounts.set_password(db, user=w.organiser, password="a brand new passphrase")
    db.commit()
    assert c.get("/events", follow_redirects=False).status_code == 401
    assert _replay(browser, copied).get("/events", follow_redirects=False).status_code == 401
    assert other.get("/events").status_code == 200  # other people stay signed in
    again = browser("192.0.2.10")
    factories.login(again, w.organiser, "a brand new passphrase")
    assert again.get("/events").status_code == 200


def test_a_session_ends_after_an_idle_hour_and_use_keeps_it_alive(
    browser: Callable[[str], TestClient], db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = factories.world(db)
    c, _ = _signed_in(browser, w.organiser)
    copied = c.cookies[COOKIE]
    start = staff_sessions.clock()
    for minutes in (50, 100, 150):  # used every 50 minutes: still signed in
        monkeypatch.setattr(staff_sessions, "clock", lambda m=minutes: start + m * 60)
        assert c.get("/events").status_code == 200
    # The copy taken at the start has been idle for 150 minutes.
    assert _replay(browser, copied).get("/events", follow_redirects=False).status_code == 401
    monkeypatch.setattr(staff_sessions, "clock", lambda: start + 150 * 60 + 61 * 60)
    assert c.get("/events", follow_redirects=False).status_code == 401


def _try(c: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    csrf = factories.csrf_from(c)
    return c.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf},
        follow_redirects=False,
    )


def test_wrong_passwords_slow_their_address_and_never_lock_the_owner_out(
    browser: Callable[[str], TestClient], db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = factories.world(db)
    stranger, owner = browser("203.0.113.5"), browser("192.0.2.20")
    for _ in range(5):
        assert _try(stranger, w.owner.email, "guess").status_code == 400
    # The owner, from their own address, signs in at once.
    assert _try(owner, w.owner.email, factories.PASSWORD).status_code == 303
    # The stranger's sixth wrong guess makes their address wait, then twice as long each time.
    assert _try(stranger, w.owner.email, "guess").status_code == 400
    refused = _try(stranger, w.owner.email, factories.PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert "Too many wrong passwords from this connection" in refused.text
    now = throttle.clock()
    monkeypatch.setattr(throttle, "clock", lambda: now + 1.5)
    assert _try(stranger, w.owner.email, "guess").status_code == 400
    assert _try(stranger, w.owner.email, "guess").headers["retry-after"] == "2"
    # A window later the address starts afresh.
    monkeypatch.setattr(throttle, "clock", lambda: now + 16 * 60)
    assert _try(stranger, w.owner.email, factories.PASSWORD).status_code == 303


def test_an_unknown_e_mail_counts_against_the_address_too(
    browser: Callable[[str], TestClient], db: Session
) -> None:
    w = factories.world(db)
    stranger = browser("203.0.113.6")
    for i in range(6):
        assert _try(stranger, f"nobody{i}@example.org", "guess").status_code == 400
    assert _try(stranger, w.owner.email, factories.PASSWORD).status_code == 429
