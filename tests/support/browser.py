"""What every browser test shares: Debian's chromium as Playwright drives it here, and axe."""

from playwright.sync_api import BrowserContext, Page

from tests.support.factories import PASSWORD
from tests.support.live_server import ARTIFACTS

EXECUTABLE = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def serious_axe_violations(page: Page) -> list[str]:
    """axe's serious and critical findings on the page as it stands, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    """A screenshot under test-artifacts/, to look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def fill_sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """The sign-in form, filled and sent as a person would."""
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


def signed_in(context: BrowserContext, base_url: str, email: str) -> Page:
    """A new page in the context, signed in: organisers land on their events, facilitators on
    their table."""
    page = context.new_page()
    fill_sign_in(page, base_url, email)
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def open_live(page: Page, url: str) -> None:
    """A live view, once its event stream is open."""
    page.goto(url)
    page.wait_for_selector("body[data-live=open]", timeout=5000)
