"""A resident's phone in a real browser, with JavaScript on and off: the question and the comment
box first, counts hidden until you vote, your vote marked, your table kept, the privacy notice,
a closed meeting, a dropped connection. Screenshots at 360x740, an old phone's screen."""

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import EventCohost, Organisation
from tests.support import factories
from tests.support.browser import open_live, shot
from tests.support.databases import create_scratch_database
from tests.support.live_server import LiveServer, Seeded, seed

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def phone(chromium: Browser, javascript: bool = True) -> BrowserContext:
    return chromium.new_context(viewport=PHONE, java_script_enabled=javascript)


def shots(page: Page, name: str) -> None:
    shot(page, f"phone-{name}-360x740", full_page=False)
    shot(page, f"phone-{name}-360x740-full")


def someone_comments(live: LiveServer, meeting: Seeded, body: str, table: int) -> int:
    """Another resident at the same table, through the resident API."""
    url = f"{live.url}/api/v1/join/{meeting.event.join_code}/comments"
    answer = httpx.post(url, json={"body": body, "group_id": table}, timeout=10)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def staff_api(live: LiveServer, meeting: Seeded) -> dict[str, str]:
    engine = make_engine(live.database_url)
    with Session(engine, expire_on_commit=False) as session:
        headers = factories.token(session, meeting.organiser)
        session.commit()
    engine.dispose()
    return headers


@pytest.fixture
def meeting(server: LiveServer) -> Seeded:
    return seed(server.database_url)


def test_with_javascript_counts_appear_only_after_your_vote_which_is_marked_and_keeps_your_table(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    page = phone(browser).new_page()
    home = f"{server.url}/j/{e.join_code}/t/{table}"
    open_live(page, home)
    # The question and the comment box come first, on the first screen.
    question, box = page.locator("#live-question h2"), page.locator("#body")
    expect(question).to_contain_text("Question 1?")
    assert box.bounding_box()["y"] + 40 < PHONE["height"]  # type: ignore[index]
    expect(page.locator("#anonymity")).to_contain_text("You are anonymous.")
    assert page.locator("#anonymity").bounding_box()["height"] < 40  # type: ignore[index]

    comment_id = someone_comments(server, meeting, "More youth clubs, fewer raids", table)
    comment = page.locator(f"#c{comment_id}")
    expect(comment).to_contain_text("More youth clubs", timeout=2000)
    agree = comment.locator("button[value=agree]")
    expect(agree.locator(".cg-count")).to_be_hidden()
    expect(comment.locator(".cg-count").first).to_be_hidden()
    shots(page, "js-before-vote")

    agree.click()
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(agree.locator(".cg-count")).to_have_text("1", timeout=2000)
    expect(comment.locator("button[value=disagree] .cg-count")).to_be_visible()
    expect(comment.locator("button[value=disagree]")).to_have_attribute("aria-pressed", "false")
    assert page.url.startswith(home)
    shots(page, "js-after-vote")

    page.reload()
    page.wait_for_selector("body[data-live=open]")
    expect(page.locator(f"#c{comment_id} button[value=agree]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(f"#c{comment_id} button[value=agree] .cg-count")).to_have_text("1")


def test_with_javascript_a_meeting_that_closes_says_so_drops_its_forms_and_offers_the_public_page(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    someone_comments(server, meeting, "Same officers at every meeting, please", table)
    page = phone(browser).new_page()
    open_live(page, f"{server.url}/j/{e.join_code}/t/{table}")
    page.fill("#body", "Half-written thought")
    page.locator("#body").blur()
    expect(page.locator("#comment-form")).to_be_visible()

    closed = httpx.patch(
        f"{server.url}/api/v1/events/{e.id}",
        json={"status": "closed"},
        headers=staff_api(server, meeting),
        timeout=10,
    )
    assert closed.status_code == 200, closed.text
    expect(page.locator("#live-question")).to_contain_text("This meeting has closed", timeout=2000)
    expect(page.locator("#comment-form")).to_be_hidden()
    expect(page.locator("#question")).to_be_hidden()
    expect(page.locator(".cg-vote")).to_have_count(0)
    shots(page, "js-closed")

    page.reload()
    expect(page.locator("#live-question")).to_contain_text("Comments and votes are no longer taken")
    expect(page.locator("#comment-form")).to_have_count(0)


def test_the_phone_shows_reconnecting_when_the_server_stops_the_stream(
    browser: Browser,
) -> None:
    own = LiveServer(create_scratch_database("cg_phone_drop"), name="phone-drop-server")
    try:
        meeting = seed(own.database_url)
        page = phone(browser).new_page()
        open_live(page, f"{own.url}/j/{meeting.event.join_code}")
        expect(page.locator("#reconnecting")).to_be_hidden()
    finally:
        own.stop()
    banner = page.locator("#reconnecting")
    expect(banner).to_be_visible(timeout=5000)
    expect(banner).to_contain_text("Reconnecting")
    expect(page.locator("body")).to_have_attribute("data-live", "lost")
    shots(page, "js-reconnecting")


def test_without_javascript_votes_and_panel_questions_keep_your_table_and_your_vote_is_marked(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e, table = meeting.event, meeting.table_ids[1]
    comment_id = someone_comments(server, meeting, "Explain stop and search at school", table)
    page = phone(browser, javascript=False).new_page()
    home = f"{server.url}/j/{e.join_code}/t/{table}"
    page.goto(home)
    comment = page.locator(f"#c{comment_id}")
    expect(comment.locator(".cg-count").first).to_be_hidden()
    expect(page.locator(".cg-vote-hint")).to_contain_text("Vote on a comment to see")
    shots(page, "nojs-before-vote")

    comment.locator("button[value=disagree]").click()
    assert page.url.startswith(home + "#") or page.url == home, page.url
    disagree = page.locator(f"#c{comment_id} button[value=disagree]")
    expect(disagree).to_have_attribute("aria-pressed", "true")
    expect(disagree.locator(".cg-count")).to_have_text("1")
    expect(page.locator(f"#c{comment_id} button[value=agree] .cg-count")).to_have_text("0")
    shots(page, "nojs-after-vote")

    page.fill("#question", "When will the ward panel meet in the evening?")
    page.click("#panel form button[type=submit]")
    assert page.url.startswith(home), page.url
    expect(page.get_by_text("your question is with the panel")).to_be_visible()
    me_too = page.locator("button[data-upvote]").first
    me_too.click()
    assert page.url.startswith(home), page.url
    expect(page.locator("button[data-upvote]").first).to_have_attribute("aria-pressed", "true")
    expect(page.locator("button[data-upvote] .cg-count").first).to_have_text("1")


def test_without_javascript_an_empty_comment_is_refused_by_the_field(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    page = phone(browser, javascript=False).new_page()
    page.goto(f"{server.url}/j/{e.join_code}/t/{table}")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#body-error")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#comment-form input[name=group_id]")).to_have_value(str(table))
    shots(page, "nojs-empty-comment")


def test_without_javascript_a_closed_meeting_has_no_comment_form(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e = meeting.event
    httpx.patch(
        f"{server.url}/api/v1/events/{e.id}",
        json={"status": "closed"},
        headers=staff_api(server, meeting),
        timeout=10,
    ).raise_for_status()
    page = phone(browser, javascript=False).new_page()
    page.goto(f"{server.url}/j/{e.join_code}")
    expect(page.locator("h2.cg-question")).to_have_text("This meeting has closed")
    expect(page.locator("#comment-form")).to_have_count(0)
    expect(page.locator("form[action$='/questions']")).to_have_count(0)
    shots(page, "nojs-closed")


def test_the_privacy_notice_names_the_hosts_as_data_controllers_and_how_to_reach_them(
    browser: Browser,
    server: LiveServer,
    meeting: Seeded,
) -> None:
    e, table = meeting.event, meeting.table_ids[0]
    engine = make_engine(server.database_url)
    with Session(engine) as session:
        lead = session.get(Organisation, e.organisation_id)
        assert lead is not None
        lead.contact_email = "dpo@council.example.org"
        cohost = factories.org(session, name="Neighbourhood Watch Battersea")
        session.add(EventCohost(event_id=e.id, organisation_id=cohost.id))
        lead_name = lead.name
        session.commit()
    engine.dispose()
    for javascript in (True, False):
        page = phone(browser, javascript=javascript).new_page()
        page.goto(f"{server.url}/j/{e.join_code}/t/{table}")
        page.click("#anonymity a")
        expect(page.locator("h1")).to_have_text("Your privacy at this meeting")
        controllers = page.locator(".cg-controller")
        expect(controllers).to_have_count(2)
        expect(controllers.nth(0)).to_contain_text(lead_name)
        expect(controllers.nth(0).locator("a")).to_have_attribute(
            "href", "mailto:dpo@council.example.org"
        )
        expect(controllers.nth(1)).to_contain_text("Neighbourhood Watch Battersea")
        expect(controllers.nth(1)).to_contain_text("ask a member of its staff")
        expect(page.get_by_text("data controllers")).to_be_visible()
        if not javascript:
            shots(page, "privacy")
        page.click("a.govuk-back-link")
        page.wait_for_url(f"**/j/{e.join_code}/t/{table}")
        expect(page.locator("#comment-form")).to_be_visible()


def test_the_privacy_notice_of_an_unknown_code_is_not_found(
    server: LiveServer,
) -> None:
    assert httpx.get(f"{server.url}/j/NOPE99/privacy", timeout=10).status_code == 404


@pytest.fixture(autouse=True)
def _close_contexts(browser: Browser) -> Iterator[None]:
    yield
    for ctx in browser.contexts:
        ctx.close()
