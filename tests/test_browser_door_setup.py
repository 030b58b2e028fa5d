"""The door steward's tablet and the organiser's set-up form in a real browser: door counts only,
a grand total, the sides and the balance; table and role rows added and removed with htmx (and
with a plain post when JavaScript is off), refusals shown by their field."""

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session

from app.db import make_engine
from tests.support import factories
from tests.support.browser import open_live, shot, signed_in
from tests.support.live_server import LiveServer, Seeded, seed

pytestmark = pytest.mark.browser
TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def meeting(server: LiveServer) -> Seeded:
    return seed(server.database_url)


def organiser_page(
    chromium: Browser, live: LiveServer, email: str, size: dict[str, int], javascript: bool = True
) -> Page:
    ctx: BrowserContext = chromium.new_context(viewport=size, java_script_enabled=javascript)  # type: ignore[arg-type]
    page = signed_in(ctx, live.url, email)
    page.wait_for_url("**/events**")
    return page


def sized_shot(page: Page, name: str) -> None:
    size = page.viewport_size or {"width": 0, "height": 0}
    shot(page, f"{name}-{size['width']}x{size['height']}")


def test_the_door_counts_only_its_own_taps_and_shows_total_sides_balance_and_absent_roles(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    engine = make_engine(server.database_url)
    with Session(engine, expire_on_commit=False) as session:
        headers = factories.token(session, meeting.organiser)
        session.commit()
    engine.dispose()
    # Three residents counted at a table, none at the door.
    httpx.post(
        f"{server.url}/api/v1/events/{e.id}/attendance",
        json={"role": "Resident", "delta": 3, "group_id": table},
        headers=headers,
        timeout=10,
    ).raise_for_status()

    door = organiser_page(browser, server, meeting.facilitator.email, TABLET)
    open_live(door, f"{server.url}/events/{e.id}/door")
    expect(door.locator("[data-total=all]")).to_have_text("0")
    expect(door.locator("[data-total=community]")).to_have_text("0")
    expect(door.locator(".cg-absent")).to_contain_text("Resident")

    def tap(role: str) -> None:
        door.locator(f"button.cg-door__plus:has(.cg-door__count[data-role='{role}'])").click()

    for role in ("Resident", "Resident", "Police officer", "Police officer", "Police officer"):
        tap(role)
    expect(door.locator("[data-total=all]")).to_have_text("5")
    expect(door.locator("[data-total=community]")).to_have_text("2")
    expect(door.locator("[data-total=services]")).to_have_text("3")
    expect(door.locator(".cg-door-warning")).to_contain_text("More people from services")
    absent = door.locator(".cg-absent")
    expect(absent).to_contain_text("Councillor")
    expect(absent).not_to_contain_text("Resident")
    expect(door.locator("[data-side=community]")).to_contain_text("Young person")
    expect(door.locator("[data-side=services]")).to_contain_text("Councillor")
    expect(door.locator("[data-side=community]")).not_to_contain_text("Councillor")
    # Large enough for a thumb: every tap target at least 88 px high.
    for box in door.locator("button.cg-door__plus").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    ):
        assert box >= 88
    sized_shot(door, "door-tablet")
    door.set_viewport_size(PHONE)
    sized_shot(door, "door-phone")

    door.click("button.cg-door__undo")
    expect(door.locator("[data-total=all]")).to_have_text("4")
    expect(door.locator("[data-total=services]")).to_have_text("2")


def _fill_event(page: Page, title: str) -> None:
    page.fill("#title", title)
    page.fill("#starts_at", "2027-04-01T18:30")
    page.fill("#ends_at", "2027-04-01T20:30")


def test_with_javascript_rows_are_added_and_removed_in_place_and_refusals_shown_by_the_field(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    page = organiser_page(browser, server, meeting.organiser.email, LAPTOP)
    page.goto(f"{server.url}/events/new")
    _fill_event(page, "Spring meeting with rows")
    tables = page.locator("[data-row=table]")
    expect(tables).to_have_count(2)
    page.fill("#groups-0-name", "Table A")
    page.check(f"#groups-0-facilitators-{meeting.facilitator.id}")
    page.evaluate("window.cgMarker = 'same page'")

    page.click("button[value=add-table]")
    expect(tables).to_have_count(3)
    expect(page.locator("#groups-2-name")).to_be_focused()
    assert page.evaluate("window.cgMarker") == "same page"  # swapped by htmx, not reloaded
    expect(page.locator("#groups-0-name")).to_have_value("Table A")
    expect(page.locator("#title")).to_have_value("Spring meeting with rows")

    roles = page.locator("[data-row=role]")
    expect(page.locator("#roles-2-name")).to_have_value("Young person")
    count = roles.count()
    page.click("button[value=remove-role-2]")
    expect(roles).to_have_count(count - 1)
    expect(page.locator("#role-rows")).not_to_contain_text("Role 8")
    expect(page.locator("input[value='Young person']")).to_have_count(0)
    assert page.evaluate("window.cgMarker") == "same page"

    # Refused: a table named twice and a role with a side but no name.
    page.fill("#groups-1-name", "table a")
    last = roles.count() - 1
    page.select_option(f"#roles-{last}-side", "services")
    sized_shot(page, "setup-rows-filled")
    page.click("form[action='/events/new'] button.govuk-button:has-text('Create event')")
    expect(page.locator("#groups-1-name-error")).to_contain_text(
        "There is already a table called table a"
    )
    expect(page.locator(f"#roles-{last}-name-error")).to_contain_text("Give this role a name")
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is already a table")
    expect(page.locator("#groups-0-name")).to_have_value("Table A")
    sized_shot(page, "setup-rows-refused")

    page.fill("#groups-1-name", "Table B")
    page.fill(f"#roles-{last}-name", "Youth worker")
    page.click("form[action='/events/new'] button.govuk-button:has-text('Create event')")
    page.wait_for_url("**/events/*")
    expect(page.locator("h1")).to_have_text("Spring meeting with rows")
    expect(page.locator(".govuk-summary-list")).to_contain_text(meeting.facilitator.email)
    expect(page.locator("#groups-0-name")).to_have_value("Table A")
    expect(page.locator("#groups-1-name")).to_have_value("Table B")
    expect(page.locator(f"#groups-0-facilitators-{meeting.facilitator.id}")).to_be_checked()
    expect(page.locator("input[value='Youth worker']")).to_have_count(1)
    sized_shot(page, "setup-saved")


def test_without_javascript_rows_are_added_and_removed_by_a_plain_post(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    page = organiser_page(browser, server, meeting.organiser.email, PHONE, javascript=False)
    page.goto(f"{server.url}/events/{meeting.event.id}")
    tables = page.locator("[data-row=table]")
    expect(tables).to_have_count(3)  # the two tables and a blank row
    page.fill("#groups-2-name", "Table 3")
    page.click("button[value=add-table]")
    expect(tables).to_have_count(4)
    expect(page.locator("#groups-2-name")).to_have_value("Table 3")
    page.click("button[value=remove-table-3]")
    expect(tables).to_have_count(3)
    # Enter in a field saves the form (it does not press a row's "remove").
    page.locator("#groups-2-name").press("Enter")
    page.wait_for_url("**saved=1")
    expect(page.locator("#groups-2-name")).to_have_value("Table 3")
    sized_shot(page, "setup-nojs")

    page.fill("#roles-0-name", "")
    page.click("form button.govuk-button:has-text('Save changes')")
    expect(page.locator("#roles-0-name-error")).to_contain_text("Give this role a name")
