"""Every page of the demo night in Chromium with JavaScript on, at the four sizes people use:
a phone, a tablet, a laptop and the projector wall. Each is saved as a screenshot under
test-artifacts/pages/ and checked with axe: no serious or critical violation, no page that
answers an error, no page wider than its screen.
"""

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page

from app.demo import PROGRAMME_SLUG
from tests.support.browser import serious_axe_violations
from tests.support.databases import create_scratch_database
from tests.support.live_server import ARTIFACTS, ROOT, LiveServer

pytestmark = pytest.mark.browser

SIZES = {
    "phone": (360, 740),
    "tablet": (820, 1180),
    "laptop": (1366, 900),
    "wall": (1920, 1080),
}
ORGANISER = "organiser@example.org"
PASSWORD = "every page, every size 2026"
SHOTS = ARTIFACTS / "pages"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = LiveServer(create_scratch_database("cg_pages"), name="every-page-server")
    for args, stdin in ((["demo"], None), (["user", "password", ORGANISER], PASSWORD + "\n")):
        subprocess.run(
            [sys.executable, "-m", "app", *args],
            env=live.env,
            cwd=ROOT,
            input=stdin,
            text=True,
            check=True,
            capture_output=True,
        )
    yield live
    live.stop()


@pytest.fixture(scope="module")
def pages(server: LiveServer) -> dict[str, list[tuple[str, str]]]:
    """The demo's addresses, by who opens them: (name for the screenshot, path)."""
    token = subprocess.run(
        [sys.executable, "-m", "app", "token", "create", ORGANISER],
        env=server.env,
        cwd=ROOT,
        text=True,
        check=True,
        capture_output=True,
    ).stdout.strip()
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"})
    event = api.get("/api/v1/events").json()["items"][0]
    eid, code, table = event["id"], event["join_code"], event["groups"][0]["id"]
    cohort = api.get("/api/v1/cohorts").json()["items"][0]["id"]
    org = api.get("/api/v1/organisations").json()[0]["id"]
    return {
        "resident": [
            ("home", "/"),
            ("join-form", "/j"),
            ("privacy", f"/j/{code}/privacy"),
            ("join", f"/j/{code}"),
            ("join-table", f"/j/{code}/t/{table}"),
            ("login", "/login"),
            ("public-programme", f"/p/{PROGRAMME_SLUG}"),
        ],
        "organiser": [
            ("events", "/events"),
            ("event-new", "/events/new"),
            ("event", f"/events/{eid}"),
            ("event-close", f"/events/{eid}/close"),
            ("tonight", "/tonight"),
            ("invitations", "/invitations"),
            ("contact", f"/orgs/{org}/contact"),
            ("room", f"/events/{eid}/room"),
            ("table", f"/events/{eid}/tables/{table}"),
            ("door", f"/events/{eid}/door"),
            ("screen", f"/events/{eid}/screen"),
            ("qr", f"/events/{eid}/qr"),
            ("summary", f"/events/{eid}/summary"),
            ("summary-preview", f"/events/{eid}/summary/preview"),
            ("opinion-groups", f"/events/{eid}/opinion-groups"),
            ("actions", f"/events/{eid}/actions"),
            ("action-new", f"/events/{eid}/actions/new"),
            ("actions-overdue", "/actions/overdue"),
            ("mentoring", "/mentoring"),
            ("mentoring-new", "/mentoring/new"),
            ("cohort", f"/mentoring/{cohort}"),
            ("cohort-participants", f"/mentoring/{cohort}/participants"),
            ("cohort-pairing", f"/mentoring/{cohort}/pairing"),
            ("cohort-nominations", f"/mentoring/{cohort}/nominations"),
            ("cohort-alumni", f"/mentoring/{cohort}/alumni"),
            ("members", f"/orgs/{org}/members"),
            ("tokens", "/tokens"),
        ],
    }


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(ORGANISER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/events")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("who", ["resident", "organiser"])
def test_every_page_reads_at_every_size(
    browser: Browser,
    server: LiveServer,
    pages: dict[str, list[tuple[str, str]]],
    who: str,
    size: str,
) -> None:
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    if who == "organiser":
        _sign_in(page, server.url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for name, path in pages[who]:
        answer = page.goto(server.url + path, wait_until="domcontentloaded")
        assert answer is not None
        if answer.status >= 400:
            problems.append(f"{path}: status {answer.status}")
            continue
        page.wait_for_load_state("load")
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width + 1:
            problems.append(f"{path}: {scroll_width}px wide on a {width}px screen")
        # axe once per page at the phone and the laptop size: the rules that depend on the
        # size (reflow, target size) differ between those two, not between the others.
        if size in ("phone", "laptop") and (found := serious_axe_violations(page)):
            problems.append(f"{path}: axe {found}")
    ctx.close()
    assert not problems, "\n".join(problems)
