"""Issue 15 in Chromium with JavaScript on: the control room's one moderation list, question
timers, and a wall readable from the back of a hall.

What is asserted is what a person sees: the comment gone from the wall, the countdown on the
screen, the error by the field, sizes measured at 1920x1080. Screenshots: test-artifacts/wall-*.png.
"""

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.db import make_engine
from app.models import Comment, PanelQuestion, utcnow
from app.services import events
from tests.support.browser import open_live, shot, signed_in
from tests.support.live_server import ARTIFACTS, LiveServer, Seeded, seed

pytestmark = pytest.mark.browser

T = TypeVar("T")
WALL, LAPTOP, TABLET, PHONE = (1920, 1080), (1366, 900), (820, 1180), (360, 740)


def patiently(write: Callable[[], T]) -> T:
    """A write beside the live server, tried again while the server holds SQLite's lock."""
    for attempt in range(5):
        try:
            return write()
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


@pytest.fixture
def meeting(server: LiveServer) -> Seeded:
    return patiently(lambda: seed(server.database_url))


OPEN: list[BrowserContext] = []


@pytest.fixture(autouse=True)
def _close_contexts() -> Iterator[None]:
    """Each test's pages (and their live streams) close with it."""
    yield
    while OPEN:
        OPEN.pop().close()


def ctx(browser: Browser, size: tuple[int, int]) -> BrowserContext:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    OPEN.append(context)
    return context


def edit_first_question(server: LiveServer, event_id: int | None, **values: object) -> None:
    def write() -> None:
        engine = make_engine(server.database_url)
        try:
            with Session(engine) as session:
                q = events.list_questions(session, event_id)[0]
                for name, value in values.items():
                    setattr(q, name, value)
                session.add(q)
                session.commit()
        finally:
            engine.dispose()

    patiently(write)


def px(page: Page, selector: str, prop: str = "font-size") -> float:
    value = page.eval_on_selector(
        selector, f"el => getComputedStyle(el).getPropertyValue('{prop}')"
    )
    return float(value.removesuffix("px"))


def post_from_phone(phone: Page, words: str) -> None:
    phone.fill("#body", words)
    phone.click("#comment-form button[type=submit]")
    expect(phone.locator(".govuk-notification-banner")).to_be_visible()


def test_a_main_qr_comment_is_hidden_from_the_room_and_leaves_wall_and_phone_within_a_second(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e = meeting.event
    room = signed_in(ctx(browser, LAPTOP), server.url, meeting.organiser.email)
    open_live(room, f"{server.url}/events/{e.id}/room")
    wall = signed_in(ctx(browser, WALL), server.url, meeting.facilitator.email)
    open_live(wall, f"{server.url}/events/{e.id}/screen")
    phone = ctx(browser, PHONE).new_page()
    open_live(phone, f"{server.url}/j/{e.join_code}")  # the main QR code: no table
    words = "The bus shelter on Falcon Road has been broken for a year"
    post_from_phone(phone, words)
    item = room.locator("#live-moderation li", has_text=words)
    expect(item).to_contain_text("Main QR code (no table)", timeout=2000)
    expect(wall.locator("#live-comments")).to_contain_text(words)
    shot(room, "wall-room-moderation")
    item.get_by_role("button", name="Hide").click()
    started = time.monotonic()
    expect(wall.locator("#live-comments")).not_to_contain_text(words, timeout=1000)
    expect(phone.locator("#live-comments")).not_to_contain_text(words, timeout=1000)
    assert time.monotonic() - started < 1.0
    expect(item).to_contain_text("hidden")
    # Unhide brings it back; Star marks it.
    item.get_by_role("button", name="Unhide").click()
    expect(wall.locator("#live-comments")).to_contain_text(words, timeout=1000)
    item.get_by_role("button", name="Star").click()
    expect(item).to_contain_text("starred")


def test_the_moderation_list_filters_by_table_and_status_and_stays_live(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    phone = ctx(browser, PHONE).new_page()
    open_live(phone, f"{server.url}/j/{e.join_code}/t/{table}")
    post_from_phone(phone, "Said at table one about street lights")
    room = signed_in(ctx(browser, LAPTOP), server.url, meeting.organiser.email)
    open_live(room, f"{server.url}/events/{e.id}/room")
    main = ctx(browser, PHONE).new_page()
    open_live(main, f"{server.url}/j/{e.join_code}")
    post_from_phone(main, "Said from the poster about the market")
    listing = room.locator("#live-moderation")
    expect(listing).to_contain_text("street lights")
    expect(listing).to_contain_text("the market")
    room.select_option("#filter-table", "main")
    room.click("#moderation-filters button[type=submit]")
    expect(listing).not_to_contain_text("street lights")
    expect(listing).to_contain_text("the market")
    assert "table=main" in room.url
    # Still live, and still filtered: a new comment from the poster arrives, one from a table not.
    post_from_phone(main, "Another from the poster about parking")
    post_from_phone(phone, "Another from table one about bins")
    expect(listing).to_contain_text("parking", timeout=2000)
    expect(listing).not_to_contain_text("bins")
    room.select_option("#filter-table", "")
    room.select_option("#filter-status", "hidden")
    room.click("#moderation-filters button[type=submit]")
    expect(listing).to_contain_text("No comments match these filters")
    shot(room, "wall-room-filtered")


def test_minutes_per_question_are_set_refused_by_the_field_and_kept(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e = meeting.event
    page = signed_in(ctx(browser, LAPTOP), server.url, meeting.organiser.email)
    page.goto(f"{server.url}/events/{e.id}")
    save = page.get_by_role("button", name="Save changes")
    page.fill("#minutes_2", "ninety")
    save.click()
    error = page.locator("#minutes_2-error")
    expect(error).to_contain_text(
        "Enter the minutes for question 2 as a whole number from 1 to 240"
    )
    page.locator("#minutes_2").scroll_into_view_if_needed()
    shot(page, "wall-setup-minutes-error")
    page.fill("#minutes_2", "12")
    page.fill("#minutes_1", "8")
    save.click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved")
    expect(page.locator("#minutes_1")).to_have_value("8")
    expect(page.locator("#minutes_2")).to_have_value("12")
    # Saving again (say, a new venue) keeps them.
    page.fill("#venue", "St Peter's Hall")
    save.click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved")
    expect(page.locator("#minutes_2")).to_have_value("12")


def test_timers_start_pause_and_add_five_minutes_on_the_wall_and_the_tablet(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    edit_first_question(server, e.id, time_box_minutes=10)
    room = signed_in(ctx(browser, LAPTOP), server.url, meeting.organiser.email)
    open_live(room, f"{server.url}/events/{e.id}/room")
    wall = signed_in(ctx(browser, WALL), server.url, meeting.facilitator.email)
    open_live(wall, f"{server.url}/events/{e.id}/screen")
    tablet = ctx(browser, TABLET)
    tab = signed_in(tablet, server.url, meeting.facilitator.email)
    open_live(tab, f"{server.url}/events/{e.id}/tables/{table}")
    clock = wall.locator(".cg-timer")
    expect(clock).to_contain_text("10:00 left")
    expect(clock).to_contain_text("not started")
    room.get_by_role("button", name="Start timer").click()
    expect(clock).to_contain_text("9:5", timeout=3000)  # ticking in the browser
    expect(tab.locator(".cg-timer")).to_contain_text("9:5", timeout=3000)
    room.get_by_role("button", name="Pause timer").click()
    expect(clock).to_contain_text("paused", timeout=1000)
    paused = wall.locator(".cg-countdown").inner_text()
    time.sleep(1.5)
    assert wall.locator(".cg-countdown").inner_text() == paused
    room.get_by_role("button", name="Add 5 minutes").click()
    expect(clock).to_contain_text("14:5", timeout=1000)
    room.get_by_role("button", name="Start timer").click()
    expect(clock).not_to_contain_text("paused", timeout=1000)
    # A reload shows the right time, as the server reads it.
    wall.reload()
    expect(clock).to_contain_text("14:")
    assert px(wall, ".cg-countdown") >= 48
    shot(wall, "wall-timer-running")
    tab.screenshot(path=str(ARTIFACTS / "wall-tablet-timer.png"))
    # Over time: the wall says by how much, in red.
    edit_first_question(
        server,
        e.id,
        timer_started_at=utcnow() - timedelta(seconds=75),
        timer_remaining_seconds=60,
    )
    wall.reload()
    expect(clock).to_contain_text("over by 0:1")
    expect(clock).to_have_class("cg-timer cg-timer--over")
    shot(wall, "wall-timer-over")


def test_the_wall_is_readable_from_the_back_of_a_hall(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e = meeting.event
    edit_first_question(server, e.id, time_box_minutes=15)
    phone = ctx(browser, PHONE).new_page()
    open_live(phone, f"{server.url}/j/{e.join_code}")
    post_from_phone(phone, "More youth clubs open in the evening would keep kids off the street")
    post_from_phone(phone, "Police should come to the estate, not only to meetings")
    wall = signed_in(ctx(browser, WALL), server.url, meeting.facilitator.email)
    open_live(wall, f"{server.url}/events/{e.id}/screen")
    expect(wall.locator("#live-comments")).to_contain_text("youth clubs")
    assert px(wall, ".cg-wall-comment__body") >= 40
    assert px(wall, ".cg-question") >= 64
    assert px(wall, ".cg-countdown") >= 48
    assert px(wall, ".cg-wall-code") >= 80
    qr = wall.locator(".cg-wall-qr svg").bounding_box()
    assert qr is not None and qr["height"] >= 0.4 * WALL[1], qr
    # The code as a person reads it, and the short address with it.
    expect(wall.locator(".cg-wall-code")).to_have_text(e.join_code)
    expect(wall.locator(".cg-wall-address")).to_have_text(f"{server.url.split('://')[1]}/j")
    assert px(wall, ".cg-wall-address") >= 48
    assert wall.evaluate("document.documentElement.scrollWidth") <= WALL[0]
    shot(wall, "wall-wall-1920")


def test_a_full_wall_keeps_the_code_on_screen(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    """Six long comments and panel questions: the code and the newest comment stay in view."""
    e = meeting.event
    long = "We need the same officers at every meeting so that trust can be built over time, " * 3

    def write() -> None:
        engine = make_engine(server.database_url)
        try:
            with Session(engine) as session:
                for i in range(8):
                    session.add(Comment(event_id=e.id or 0, body=f"{i}. {long}"))
                for i in range(3):
                    body = f"Panel question {i}: when will the station reopen?"
                    session.add(PanelQuestion(event_id=e.id or 0, body=body, upvotes=i))
                session.commit()
        finally:
            engine.dispose()

    patiently(write)
    wall = signed_in(ctx(browser, WALL), server.url, meeting.facilitator.email)
    open_live(wall, f"{server.url}/events/{e.id}/screen")
    code = wall.locator(".cg-wall-code").bounding_box()
    assert code is not None and code["y"] + code["height"] <= WALL[1], code
    newest = wall.locator(".cg-wall-comment").first.bounding_box()
    assert newest is not None and newest["y"] + newest["height"] <= WALL[1]
    expect(wall.locator(".cg-wall-comment").first).to_contain_text("7. We need")
    assert wall.evaluate("document.documentElement.scrollWidth") <= WALL[0]
    shot(wall, "wall-wall-full")


@pytest.mark.parametrize(
    ("name", "size"), [("wall", WALL), ("phone", PHONE), ("table", TABLET), ("room", LAPTOP)]
)
def test_a_thousand_character_word_never_widens_a_page(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
    name: str,
    size: tuple[int, int],
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    word = "Unbreakable" * 90 + "x" * 10  # 1,000 characters, no space
    writer = ctx(browser, PHONE).new_page()
    writer.goto(f"{server.url}/j/{e.join_code}/t/{table}")
    post_from_phone(writer, word)
    urls = {
        "wall": f"/events/{e.id}/screen",
        "phone": f"/j/{e.join_code}/t/{table}",
        "table": f"/events/{e.id}/tables/{table}",
        "room": f"/events/{e.id}/room",
    }
    context = ctx(browser, size)
    if name == "phone":
        page = context.new_page()
    else:
        page = signed_in(context, server.url, meeting.organiser.email)
    page.goto(server.url + urls[name])
    expect(page.locator("body")).to_contain_text(word[:40])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0], f"{name}: {width}px wide on a {size[0]}px screen"
    shot(page, f"wall-long-word-{name}")


def test_pre_moderation_approve_in_the_room_puts_the_comment_on_the_wall(
    browser: Browser,
    server: LiveServer,
) -> None:
    meeting = patiently(lambda: seed(server.database_url, moderation="pre"))
    e = meeting.event
    room = signed_in(ctx(browser, LAPTOP), server.url, meeting.organiser.email)
    open_live(room, f"{server.url}/events/{e.id}/room")
    wall = signed_in(ctx(browser, WALL), server.url, meeting.facilitator.email)
    open_live(wall, f"{server.url}/events/{e.id}/screen")
    phone = ctx(browser, PHONE).new_page()
    open_live(phone, f"{server.url}/j/{e.join_code}")
    words = "Waiting for a moderator before the wall shows it"
    phone.fill("#body", words)
    phone.click("#comment-form button[type=submit]")
    item = room.locator("#live-moderation li", has_text=words)
    expect(item).to_contain_text("waiting", timeout=2000)
    expect(wall.locator("#live-comments")).not_to_contain_text(words)
    item.get_by_role("button", name="Approve").click()
    expect(wall.locator("#live-comments")).to_contain_text(words, timeout=1000)
    expect(item).to_contain_text("published")
