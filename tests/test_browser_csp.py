"""The strict Content-Security-Policy in a real browser: staff and resident pages work with
JavaScript on (htmx, live streams, GOV.UK's classes, the print button) and the browser reports
no violation of the policy on any of them."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.support.databases import create_scratch_database
from tests.support.factories import PASSWORD
from tests.support.live_server import ARTIFACTS, LiveServer, Seeded, seed

pytestmark = pytest.mark.browser

# Injected by the browser itself, outside the page's policy: records what the policy refused,
# and stands in for the print dialog.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
window.print = function () { window.__printed = true; };
"""


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = LiveServer(create_scratch_database("cg_csp"), name="csp-server")
    yield live
    live.stop()


class Watched:
    """A page whose console errors and policy violations are kept."""

    def __init__(self, browser: Browser, width: int = 1024, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.context.add_init_script(WATCH)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(message.text)

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, url
        policy = response.all_headers().get("content-security-policy", "")
        assert policy.startswith("default-src 'self'") and "'unsafe-inline'" not in policy
        expect(self.page.locator("body.js-enabled.govuk-frontend-supported")).to_have_count(1)

    def assert_clean(self) -> None:
        violations = self.page.evaluate("window.__violations")
        assert violations == [], violations
        refused = [e for e in self.errors if "Content Security Policy" in e or "Policy header" in e]
        assert refused == [], refused


def test_staff_pages_work_under_the_policy(browser: Browser, server: LiveServer) -> None:
    m: Seeded = seed(server.database_url)
    e = m.event
    staff = Watched(browser)
    staff.visit(f"{server.url}/login")
    staff.page.fill("#email", m.organiser.email)
    staff.page.fill("#password", PASSWORD)
    staff.page.click("form[action='/login'] button[type=submit]")
    staff.page.wait_for_url("**/events")
    staff.assert_clean()
    # A boosted link (htmx swaps the body) and the live control room (a server-sent stream).
    staff.page.click(f"a[href='/events/{e.id}']")
    staff.page.wait_for_url(f"**/events/{e.id}")
    for path in (f"/events/{e.id}/room", f"/events/{e.id}/tables/{m.table_ids[0]}"):
        staff.visit(f"{server.url}{path}")
        staff.page.wait_for_selector("body[data-live=open]", timeout=5000)
    staff.page.screenshot(path=str(ARTIFACTS / "csp-room.png"), full_page=True)
    staff.visit(f"{server.url}/events/{e.id}/qr")
    staff.page.click("button[data-print]")
    assert staff.page.evaluate("window.__printed") is True
    for path in ("/summary", "/summary/preview", "/close", "/opinion-groups", "/screen", "/door"):
        staff.visit(f"{server.url}/events/{e.id}{path}")
    staff.visit(f"{server.url}/mentoring")
    staff.assert_clean()
    staff.context.close()


def test_the_residents_page_works_under_the_policy(browser: Browser, server: LiveServer) -> None:
    m: Seeded = seed(server.database_url)
    phone = Watched(browser, 375, 812)
    phone.visit(f"{server.url}/j/{m.event.join_code}/t/{m.table_ids[0]}")
    phone.page.wait_for_selector("body[data-live=open]", timeout=5000)
    words = "A crossing by the school please"
    phone.page.fill("#body", words)
    phone.page.click("#comment-form button[type=submit]")
    expect(phone.page.locator(".govuk-notification-banner")).to_contain_text("your comment is up")
    expect(phone.page.locator("body")).to_contain_text(words)
    phone.page.screenshot(path=str(ARTIFACTS / "csp-resident.png"), full_page=True)
    phone.assert_clean()
    phone.context.close()


def test_the_join_page_and_a_refusal_work_under_the_policy(
    browser: Browser, server: LiveServer
) -> None:
    m: Seeded = seed(server.database_url)
    phone = Watched(browser, 360, 740)
    phone.visit(f"{server.url}/")
    phone.page.fill("#code", "nope")
    phone.page.click("form[action='/j'] button[type=submit]")
    expect(phone.page.locator(".govuk-error-summary")).to_be_focused()
    phone.page.fill("#code", m.event.join_code.lower())
    phone.page.click("form[action='/j'] button[type=submit]")
    phone.page.wait_for_url(f"**/j/{m.event.join_code}")
    phone.assert_clean()
    phone.context.close()
