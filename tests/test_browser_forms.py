"""Issue 15 in a real browser with JavaScript on: every refusal is seen where the form is,
exports download as named files, residents join from `/` (also with JavaScript off), staff land
where their role works, closing asks first and publishing is previewed.

Screenshots go to test-artifacts/forms-*.png.
"""

import re
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import Event, Organisation
from app.services import events
from tests.support import factories
from tests.support.browser import fill_sign_in, serious_axe_violations, shot
from tests.support.databases import create_scratch_database
from tests.support.live_server import LiveServer, Seeded, seed

pytestmark = pytest.mark.browser

PHONE, LAPTOP = (360, 740), (1366, 900)


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    live = LiveServer(create_scratch_database("cg_forms"), name="forms-server")
    yield live
    live.stop()


@pytest.fixture
def meeting(server: LiveServer) -> Seeded:
    return seed(server.database_url)


def new_context(
    browser: Browser, size: tuple[int, int] = LAPTOP, js: bool = True
) -> BrowserContext:
    return browser.new_context(
        viewport={"width": size[0], "height": size[1]}, java_script_enabled=js
    )


def set_status(server: LiveServer, event_id: int | None, status: str) -> None:
    engine = make_engine(server.database_url)
    with Session(engine) as session:
        event = session.get(Event, event_id)
        assert event is not None
        events.set_status(session, event=event, status=status)
        session.commit()
    engine.dispose()


def refused(page: Page, text: str) -> None:
    """What a person sees: the error summary with the message, and focus moved to it."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(text)
    expect(summary.first).to_be_focused()


def test_the_empty_new_event_form_shows_its_errors_and_a_full_one_creates(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    page = new_context(browser).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/new")
    page.get_by_role("button", name="Create event").click()
    refused(page, "Enter a title")
    expect(page.locator("#title-error")).to_contain_text("Enter a title")
    expect(page.locator("#starts_at-error")).to_be_visible()
    shot(page, "forms-new-event-refused")
    page.fill("#title", "Tooting safer streets")
    page.fill("#starts_at", "2027-03-01T18:30")
    page.fill("#ends_at", "2027-03-01T20:30")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Tooting safer streets")).to_be_visible()
    assert re.search(r"/events/\d+$", page.url)


def test_a_table_named_twice_is_named_on_the_set_up_form(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    page = new_context(browser).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/{meeting.event.id}")
    page.fill("#groups-1-name", "Table 1")
    page.get_by_role("button", name="Save changes").last.click()
    refused(page, "There is already a table called Table 1")
    expect(page.locator("#groups-1-name-error")).to_be_visible()
    shot(page, "forms-set-up-refused")
    page.fill("#groups-1-name", "Table 2")
    page.check(f"#groups-0-facilitators-{meeting.facilitator.id}")
    page.get_by_role("button", name="Save changes").last.click()
    expect(page.get_by_text("Saved", exact=True)).to_be_visible()


def test_a_wrong_password_is_shown_and_the_facilitator_lands_on_their_table(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    page = new_context(browser, (820, 1180)).new_page()
    fill_sign_in(page, server.url, meeting.facilitator.email, "not the password")
    refused(page, "")
    expect(page.locator("#email-error")).to_be_visible()
    shot(page, "forms-sign-in-refused")
    fill_sign_in(page, server.url, meeting.facilitator.email)
    page.wait_for_url(f"**/events/{meeting.event.id}/tables/{meeting.table_ids[0]}")
    expect(page.get_by_role("heading", name="Table 1")).to_be_visible()
    shot(page, "forms-facilitator-landing")
    # The steward's door link, from the event page.
    page.goto(f"{server.url}/events/{meeting.event.id}")
    page.get_by_role("link", name="Door").click()
    page.wait_for_url(f"**/events/{meeting.event.id}/door")
    expect(page.locator("button.cg-door__plus").first).to_be_visible()


def test_a_past_due_date_is_refused_and_a_future_one_saved(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    page = new_context(browser).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/{meeting.event.id}/actions/new")
    page.fill("#text", "Publish the patrol times for Tooting Broadway")
    page.fill("#due_date", (date.today() - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Save the action").click()
    refused(page, "The due date is in the past")
    expect(page.locator("#due_date-error")).to_contain_text("The due date is in the past")
    expect(page.locator("#text")).to_have_value("Publish the patrol times for Tooting Broadway")
    shot(page, "forms-action-refused")
    page.fill("#due_date", (date.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save the action").click()
    page.wait_for_url(re.compile(r".*/actions/\d+$"))
    expect(page.get_by_text("Publish the patrol times for Tooting Broadway").first).to_be_visible()


def test_the_phone_is_told_why_a_comment_was_not_sent_and_keeps_it(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e = meeting.event
    page = new_context(browser, PHONE).new_page()
    page.goto(f"{server.url}/j/{e.join_code}")
    page.locator("#comment-form button[type=submit]").click()
    refused(page, "Write something before sending")
    expect(page.locator("#body-error")).to_contain_text("Write something before sending")
    shot(page, "forms-phone-empty-refused")
    words = "Please keep the youth club open on Fridays"
    page.fill("#body", words)
    set_status(server, e.id, "closed")
    page.locator("#comment-form button[type=submit]").click()
    refused(page, "This meeting has closed")
    expect(page.locator("#not-sent")).to_contain_text(words)
    shot(page, "forms-phone-closed-refused")


def test_a_refused_tap_is_shown_above_the_button(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    page = new_context(browser, (820, 1180)).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/{meeting.event.id}/door")
    page.wait_for_selector("body[data-live=open]")
    plus = page.locator("button.cg-door__plus").first
    form = page.locator("form:has(button.cg-door__plus)").first
    # A role removed from the event while the steward's page was open.
    form.locator("input[name=role]").evaluate("el => el.value = 'Removed role'")
    plus.click()
    error = page.locator(".cg-htmx-error")
    expect(error).to_be_visible()
    expect(error).to_be_focused()
    assert "Removed role" in error.inner_text() or "role" in error.inner_text().lower()
    shot(page, "forms-door-refused")


def test_every_download_saves_a_file_named_after_the_meeting(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    page = new_context(browser).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/{meeting.event.id}/summary")
    stem = "community-meeting-2027-01-14"
    for link, name in (
        ("Comments (CSV)", f"{stem}-comments.csv"),
        ("Actions (CSV)", f"{stem}-actions.csv"),
        ("Spreadsheet (XLSX)", f"{stem}-summary.xlsx"),
        ("PDF", f"{stem}-summary.pdf"),
        ("Markdown", f"{stem}-summary.md"),
        ("JSON", f"{stem}-summary.json"),
    ):
        with page.expect_download() as download:
            page.get_by_role("link", name=link, exact=True).click()
        assert download.value.suggested_filename == name
        assert download.value.failure() is None
        # The page stays as it was: no file poured into it.
        expect(page.get_by_role("link", name="Spreadsheet (XLSX)")).to_be_visible()
        assert page.url.endswith("/summary")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_resident_joins_from_the_front_page_with_the_code(
    browser: Browser, server: LiveServer, meeting: Seeded, js: bool
) -> None:
    code = meeting.event.join_code
    page = new_context(browser, PHONE, js=js).new_page()
    page.goto(f"{server.url}/")
    expect(page.get_by_role("link", name="Staff sign in")).to_be_visible()
    page.get_by_label("Join code").fill("ZZ 99 ZZ")
    page.get_by_role("button", name="Join the meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("No meeting has the code ZZ99ZZ")
    expect(page.locator("#code-error")).to_be_visible()
    if js:
        expect(page.locator(".govuk-error-summary")).to_be_focused()
    shot(page, f"forms-join-refused-{'js' if js else 'nojs'}")
    page.goto(f"{server.url}/j")
    page.get_by_label("Join code").fill(" " + " ".join(code.lower()) + " ")
    page.get_by_role("button", name="Join the meeting").click()
    page.wait_for_url(f"**/j/{code}")
    expect(page.get_by_role("heading", name=meeting.event.title)).to_be_visible()
    expect(page.locator("#body")).to_be_visible()
    shot(page, f"forms-join-{'js' if js else 'nojs'}")


def test_closing_the_event_asks_first(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e = meeting.event
    page = new_context(browser).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/{e.id}/room")
    page.get_by_role("button", name="Close the event…").click()
    expect(page.get_by_role("heading", name="Close the event?")).to_be_visible()
    shot(page, "forms-close-confirm")
    page.get_by_role("link", name="No, keep it open").click()
    page.wait_for_url(f"**/events/{e.id}/room")
    expect(page.locator("strong.govuk-tag", has_text="open")).to_be_visible()
    page.get_by_role("button", name="Close the event…").click()
    page.get_by_role("button", name="Yes, close the event").click()
    page.wait_for_url(f"**/events/{e.id}/room")
    expect(page.locator("strong.govuk-tag", has_text="closed")).to_be_visible()


def test_publishing_previews_the_public_page_and_leaves_comments_out(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e = meeting.event
    for body in ("Street lights on the common are out", "test test ignore me"):
        httpx.post(f"{server.url}/api/v1/join/{e.join_code}/comments", json={"body": body})
    page = new_context(browser).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/{e.id}/summary")
    page.get_by_role("button", name="Preview and publish…").click()
    preview = page.locator(".cg-preview")
    expect(preview).to_contain_text("test test ignore me")
    # Still open: publishing is refused, visibly.
    page.get_by_role("button", name="Publish the summary").click()
    refused(page, "close it before publishing")
    # The page keeps its address (a reload shows it again, not a 405 for the form's POST).
    assert page.url.endswith(f"/events/{e.id}/summary/preview")
    set_status(server, e.id, "closed")
    page.goto(f"{server.url}/events/{e.id}/summary/preview")
    page.get_by_label(re.compile("Leave out: test test ignore me")).check()
    page.get_by_role("button", name="Update the preview").click()
    expect(preview).not_to_contain_text("test test ignore me")
    expect(preview).to_contain_text("Street lights on the common are out")
    expect(page.get_by_label(re.compile("Leave out: test test ignore me"))).to_be_checked()
    shot(page, "forms-publish-preview")
    page.get_by_role("button", name="Publish the summary").click()
    page.wait_for_url(f"**/events/{e.id}/summary")
    expect(page.locator("strong.govuk-tag", has_text="Published")).to_be_visible()
    # Left out of the public page, not deleted: the staff summary still has it, marked.
    row = page.locator("tr", has_text="test test ignore me")
    expect(row).to_contain_text("Left out of the public page")
    expect(page.locator("tr", has_text="Street lights")).not_to_contain_text("Left out")


def test_the_qr_sheet_warns_when_its_links_point_at_this_computer(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    page = new_context(browser).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/{meeting.event.id}/qr")
    expect(page.locator(".cg-local-warning")).to_contain_text("only this computer can open")
    shot(page, "forms-qr-warning")


SIZES = {"phone": (360, 740), "tablet": (820, 1180), "laptop": (1366, 900), "wall": (1920, 1080)}


def no_serious_axe_violations(page: Page) -> None:
    assert not (found := serious_axe_violations(page)), found


def test_the_new_pages_read_well_at_every_size(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e = meeting.event
    engine = make_engine(server.database_url)
    with Session(engine) as session:
        org = session.get(Organisation, e.organisation_id)
        assert org is not None
        factories.event(
            session, org, status="open", facilitators={1: [meeting.facilitator.id or 0]}
        )
        session.commit()
    engine.dispose()
    staff = new_context(browser).new_page()
    fill_sign_in(staff, server.url, meeting.organiser.email)
    staff.wait_for_url("**/events")
    facilitator = new_context(browser).new_page()
    fill_sign_in(facilitator, server.url, meeting.facilitator.email)
    facilitator.wait_for_url("**/tonight")  # two tables tonight: a choice
    expect(facilitator.get_by_role("link", name="Table 2")).to_be_visible()
    pages = {
        "join": (new_context(browser).new_page(), "/"),
        "tonight": (facilitator, "/tonight"),
        "close": (staff, f"/events/{e.id}/close"),
        "preview": (staff, f"/events/{e.id}/summary/preview"),
    }
    for name, (page, path) in pages.items():
        page.goto(server.url + path)
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            shot(page, f"forms-{name}-{size}")
        no_serious_axe_violations(page)


def test_a_dropped_connection_or_a_server_failure_is_said_and_the_text_kept(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    e = meeting.event
    page = new_context(browser, PHONE).new_page()
    page.goto(f"{server.url}/j/{e.join_code}")
    words = "The bus stop by the school needs a light"
    page.fill("#body", words)
    page.route("**/comments", lambda route: route.abort("internetdisconnected"))
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator(".cg-htmx-error")).to_contain_text("Could not reach Common Ground")
    expect(page.locator("#body")).to_have_value(words)
    page.unroute("**/comments")
    page.route(
        "**/comments",
        lambda route: route.fulfill(status=500, body="Internal Server Error"),
    )
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator(".cg-htmx-error")).to_contain_text(
        "Something went wrong on our side (error 500)"
    )
    expect(page.locator(".cg-htmx-error")).to_have_count(1)
    expect(page.locator("#body")).to_have_value(words)
    shot(page, "forms-phone-server-failure")


def test_a_partial_answered_with_its_fields_errors_is_swapped_in_place(
    browser: Browser, server: LiveServer, meeting: Seeded
) -> None:
    """For htmx actions that answer a refusal with their own partial, errors by its fields."""
    page = new_context(browser, (820, 1180)).new_page()
    fill_sign_in(page, server.url, meeting.organiser.email)
    page.wait_for_url("**/events")
    page.goto(f"{server.url}/events/{meeting.event.id}/door")
    page.wait_for_selector("body[data-live=open]")
    partial = (
        '<div class="govuk-form-group govuk-form-group--error">'
        '<p class="govuk-error-message">Choose a role that is on tonight\'s list</p>'
        '<input class="govuk-input" id="role-again" name="role"></div>'
    )
    page.route(
        "**/door/count",
        lambda route: route.fulfill(status=422, body=partial, content_type="text/html"),
    )
    page.locator("button.cg-door__plus").first.click()
    expect(page.locator("#live-counts")).to_contain_text("Choose a role that is on tonight's list")
    expect(page.locator("#role-again")).to_be_focused()
