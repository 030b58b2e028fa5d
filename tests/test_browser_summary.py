"""A real browser reads the published summary and the tracker on /p/{slug}, and an organiser's
summary page; screenshots go to test-artifacts/."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.support.browser import CHROMIUM_ARGS, serious_axe_violations
from tests.support.databases import create_scratch_database

pytestmark = pytest.mark.browser

PORT = 8650
BASE = f"http://127.0.0.1:{PORT}"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
BIN = Path(sys.executable).parent
PASSWORD = "a browser test password"
SAID = "Police hubs closed in 2019, bring them back to Battersea"


def _cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [str(BIN / "commonground"), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, str]]:
    env = dict(
        os.environ,
        DATABASE_URL=create_scratch_database("cg_browser"),
        RESIDENT_RATE_LIMIT="0",
        PUBLIC_BASE_URL=BASE,
    )
    _cli(env, "migrate")
    _cli(env, "demo")
    _cli(env, "user", "password", "organiser@example.org", stdin=PASSWORD + "\n")
    token = _cli(env, "token", "create", "organiser@example.org").strip().splitlines()[-1]
    proc = subprocess.Popen(
        [str(BIN / "commonground"), "serve", "--port", str(PORT)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{BASE}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield _meeting(token)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _meeting(token: str) -> dict[str, str]:
    """The demo meeting, run and closed through the API, with a published summary and action."""
    api = httpx.Client(base_url=BASE, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    ev = api.get("/api/v1/events").json()["items"][0]
    eid, code = ev["id"], ev["join_code"]
    c = httpx.post(f"{BASE}/api/v1/join/{code}/comments", json={"body": SAID}).json()
    api.patch(f"/api/v1/comments/{c['id']}", json={"status": "published", "starred": True})
    for role, n in (("Resident", 14), ("Police officer", 11), ("Young person", 3)):
        api.post(f"/api/v1/events/{eid}/attendance", json={"role": role, "delta": n})
    api.patch(f"/api/v1/events/{eid}", json={"status": "closed"})
    action = api.post(
        f"/api/v1/events/{eid}/actions",
        json={
            "text": "Reopen a neighbourhood police hub in Battersea",
            "owner": "Met SW BCU",
            "due_date": (date.today() + timedelta(days=60)).isoformat(),
            "status": "agreed",
            "comment_ids": [c["id"]],
        },
    ).json()
    api.post(
        f"/api/v1/actions/{action['id']}/updates",
        json={"body": "Two sites visited with residents", "status": "in_progress"},
    )
    assert api.post(f"/api/v1/events/{eid}/summary/publish").status_code == 200
    return {"event_id": str(eid)}


def _browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def _no_serious_axe_violations(page) -> None:  # type: ignore[no-untyped-def]
    assert not (found := serious_axe_violations(page)), found


def test_public_programme_page_and_summary(server: dict[str, str]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with _browser() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(f"{BASE}/p/lrap-battersea")
        assert page.get_by_role("heading", name="You said, we did").is_visible()
        assert page.get_by_text("Reopen a neighbourhood police hub in Battersea").is_visible()
        assert page.get_by_text("Two sites visited with residents").is_visible()
        page.screenshot(path=str(ARTIFACTS / "public-programme.png"), full_page=True)
        _no_serious_axe_violations(page)
        page.get_by_role("link", name="Community meeting: rebuilding trust").first.click()
        page.wait_for_url(f"**/p/lrap-battersea/events/{server['event_id']}")
        assert page.get_by_text(SAID).first.is_visible()
        assert page.locator("svg.cg-chart").is_visible()
        assert page.get_by_text("Feature").count() == 0
        page.screenshot(path=str(ARTIFACTS / "public-summary.png"), full_page=True)
        _no_serious_axe_violations(page)
        browser.close()


def test_organiser_summary_page(server: dict[str, str]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with _browser() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(f"{BASE}/login")
        page.get_by_label("E-mail address").fill("organiser@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/events")
        page.goto(f"{BASE}/events/{server['event_id']}/summary")
        assert page.get_by_role("link", name="Spreadsheet (XLSX)").is_visible()
        assert page.locator("svg.cg-chart").is_visible()
        assert page.locator("strong.govuk-tag", has_text="Published").is_visible()
        page.screenshot(path=str(ARTIFACTS / "staff-summary.png"), full_page=True)
        _no_serious_axe_violations(page)
        page.emulate_media(media="print")
        assert not page.get_by_role("link", name="Spreadsheet (XLSX)").is_visible()
        assert page.locator("svg.cg-chart").is_visible()
        page.screenshot(path=str(ARTIFACTS / "staff-summary-print.png"), full_page=True)
        browser.close()
