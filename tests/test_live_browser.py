"""The night in real browsers: Debian's chromium driven by Playwright against a live server.

A resident's phone, a facilitator's tablet, the door and the control room are separate browser
contexts (separate cookies), as on the night.
"""

import time

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import open_live, serious_axe_violations, signed_in
from tests.support.live_server import ARTIFACTS, LiveServer, Seeded, seed

pytestmark = pytest.mark.browser

SIZES = {"phone": (375, 812), "tablet": (768, 1024), "laptop": (1366, 768)}


@pytest.fixture
def meeting(server: LiveServer) -> Seeded:
    return seed(server.database_url)


def context(browser: Browser, size: str = "laptop") -> BrowserContext:
    width, height = SIZES[size]
    return browser.new_context(viewport={"width": width, "height": height})


def test_a_residents_comment_reaches_the_facilitators_table_within_a_second(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    tablet = signed_in(context(browser, "tablet"), server.url, meeting.facilitator.email)
    open_live(tablet, f"{server.url}/events/{e.id}/tables/{table}")
    phone = context(browser, "phone").new_page()
    open_live(phone, f"{server.url}/j/{e.join_code}/t/{table}")
    words = "We want the same officers at every meeting"
    phone.fill("#body", words)
    started = time.monotonic()
    phone.click("#comment-form button[type=submit]")
    expect(tablet.locator("#live-comments")).to_contain_text(words, timeout=1000)
    assert time.monotonic() - started < 1.0
    expect(phone.locator(".govuk-notification-banner")).to_contain_text("your comment is up")


def test_the_organiser_moves_the_question_and_the_phone_follows(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e = meeting.event
    room = signed_in(context(browser), server.url, meeting.organiser.email)
    open_live(room, f"{server.url}/events/{e.id}/room")
    phone = context(browser, "phone").new_page()
    open_live(phone, f"{server.url}/j/{e.join_code}")
    expect(phone.locator("#live-question")).to_contain_text("Question 1 of 3")
    room.click("button[name=direction][value=next]")
    expect(phone.locator("#live-question")).to_contain_text("Question 2?", timeout=1000)
    expect(room.locator("#live-question")).to_contain_text("Question 2 of 3")


def test_the_door_counter_updates_the_rooms_balance(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e = meeting.event
    room = signed_in(context(browser), server.url, meeting.organiser.email)
    open_live(room, f"{server.url}/events/{e.id}/room")
    door = signed_in(context(browser, "tablet"), server.url, meeting.facilitator.email)
    open_live(door, f"{server.url}/events/{e.id}/door")
    door.click("button.cg-door__plus:has-text('Police officer')")
    expect(door.locator("[data-role='Police officer']")).to_have_text("1")
    door.click("button.cg-door__plus:has-text('Police officer')")
    expect(room.locator("#live-balance [data-total=services]")).to_have_text("2", timeout=1000)
    expect(room.locator("#live-balance")).to_contain_text("More people from services")


def test_a_wrong_tap_at_the_table_is_undone_in_one_tap(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    room = signed_in(context(browser), server.url, meeting.organiser.email)
    open_live(room, f"{server.url}/events/{e.id}/room")
    tablet = signed_in(context(browser, "tablet"), server.url, meeting.facilitator.email)
    open_live(tablet, f"{server.url}/events/{e.id}/tables/{table}")
    tablet.click("#live-attendance button[aria-label='One more Resident']")
    expect(tablet.locator("#live-attendance [data-role='Resident']")).to_have_text("1")
    tablet.click("#live-attendance button[aria-label='One more Police officer']")
    expect(tablet.locator("#live-attendance [data-role='Police officer']")).to_have_text("1")
    tablet.click("#live-attendance button:has-text('Undo my last tap')")
    expect(tablet.locator("#live-attendance [data-role='Police officer']")).to_have_text("0")
    expect(tablet.locator("#live-attendance [data-role='Resident']")).to_have_text("1")
    expect(room.locator("#live-balance [data-total=services]")).to_have_text("0", timeout=1000)
    expect(room.locator("#live-balance [data-total=community]")).to_have_text("1", timeout=1000)


def test_votes_are_one_tap_and_remembered_by_the_browser(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e = meeting.event
    phone = context(browser, "phone").new_page()
    open_live(phone, f"{server.url}/j/{e.join_code}")
    phone.fill("#body", "Stop and search needs explaining")
    phone.click("#comment-form button[type=submit]")
    agree = phone.locator(".cg-vote button[value=agree]").first
    agree.click()
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(agree.locator(".cg-count")).to_have_text("1", timeout=1000)
    key = phone.evaluate("localStorage.getItem('cg-voter-key')")
    assert len(key) == 32  # 128 random bits, hex


def _screenshots_and_axe(page: Page, name: str) -> list[str]:
    problems = []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
    problems.extend(f"{name}: {found}" for found in serious_axe_violations(page))
    return problems


def test_every_view_at_three_sizes_with_no_serious_accessibility_problem(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    organiser = signed_in(context(browser), server.url, meeting.organiser.email)
    organiser.goto(f"{server.url}/events/{e.id}/door")
    organiser.click("button.cg-door__plus:has-text('Resident')")
    phone = context(browser, "phone").new_page()
    open_live(phone, f"{server.url}/j/{e.join_code}/t/{table}")
    phone.fill("#body", "Trust is built in between the crises")
    phone.click("#comment-form button[type=submit]")
    phone.wait_for_selector(".cg-vote")
    problems = _screenshots_and_axe(phone, "resident")
    for name, path in (
        ("table", f"/events/{e.id}/tables/{table}"),
        ("door", f"/events/{e.id}/door"),
        ("room", f"/events/{e.id}/room"),
        ("wall", f"/events/{e.id}/screen"),
        ("qr", f"/events/{e.id}/qr"),
    ):
        organiser.goto(f"{server.url}{path}")
        problems += _screenshots_and_axe(organiser, name)
    assert not problems, "\n".join(problems)
