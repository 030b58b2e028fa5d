"""What staff send is plain text (control characters refused, naming the field); what the
exports emit stays valid (XLSX, Atom) and inert (Markdown) whatever was stored before; and a
crash still answers with the security headers."""

import io
import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import openpyxl
import pytest
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt
from sqlmodel import Session

from app.main import CommonGround
from app.services import actions, summary
from tests.support import factories
from tests.support.meeting import comment, meeting

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("char", ["\u0000", "\u000b", "\u001b", "\u0085", "\ud800", "\uffff"])
def test_control_characters_in_staff_json_are_refused_naming_the_field(
    client: TestClient, db: Session, char: str
) -> None:
    w = factories.world(db)
    headers = factories.token(db, w.organiser)
    db.commit()
    body = {
        "title": "Ward panel",
        "starts_at": "2027-02-01T18:00:00Z",
        "ends_at": "2027-02-01T20:00:00Z",
        "questions": [{"text": "What matters?"}, {"text": f"Bad{char}question"}],
    }
    sent = json.dumps(body)  # escaped, as a lone surrogate can only be sent
    r = client.post(
        "/api/v1/events",
        content=sent,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "questions.1.text"
    assert "control characters" in r.json()["detail"]


def test_tabs_and_new_lines_are_text(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    action = actions.create(db, event=w.event, text="Fix the lights")
    headers = factories.token(db, w.organiser)
    db.commit()
    r = client.post(
        f"/api/v1/actions/{action.id}/updates",
        json={"body": "Done:\tthe lights\r\nand the bench"},
        headers=headers,
    )
    assert r.status_code == 201, r.text


def test_control_characters_in_a_staff_form_are_refused_naming_the_field(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    action = actions.create(db, event=w.event, text="Fix the lights")
    db.commit()
    csrf = factories.login(client, w.organiser)
    r = client.post(
        f"/actions/{action.id}/updates",
        data={"csrf_token": csrf, "body": "Half done\u000b"},
        follow_redirects=False,
    )
    assert r.status_code == 422
    assert "body: remove the control characters" in r.text
    assert actions.updates_of(db, action.id or 0) == []


@pytest.fixture
def stored(db: Session) -> tuple[factories.World, str]:
    """A published meeting whose action and its update hold control characters written
    before they were refused."""
    w = factories.world(db)
    m = meeting(db, w)
    # PostgreSQL cannot store U+0000 at all; SQLite can.
    nul = "\u0000" if db.get_bind().dialect.name == "sqlite" else "\u000c"
    action = actions.create(
        db,
        event=m.event,
        text=f"Light the{nul} underpass",
        owner="Council\u000b",
        due_date=date.today() + timedelta(days=30),
        status="agreed",
    )
    actions.add_update(
        db, action=action, body=f"Lamps{nul} ordered\u001b", user_id=None, status="in_progress"
    )
    comment(db, m.event, "Bells\u0007 at night", agree_count=3)
    summary.publish(db, event=m.event)
    db.commit()
    return w, m.programme.slug


def test_the_xlsx_export_opens_with_control_characters_stored(
    client: TestClient, db: Session, stored: tuple[factories.World, str]
) -> None:
    w, _ = stored
    headers = factories.token(db, w.organiser)
    db.commit()
    r = client.get(f"/api/v1/events/{w.event.id}/export/xlsx", headers=headers)
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    texts = [str(c) for row in wb["Actions"].iter_rows(values_only=True) for c in row]
    assert "Light the underpass" in texts and "Council" in texts
    comments = [str(c) for row in wb["Comments"].iter_rows(values_only=True) for c in row]
    assert "Bells at night" in comments


def test_the_atom_feed_is_valid_xml_with_control_characters_stored(
    client: TestClient, db: Session, stored: tuple[factories.World, str]
) -> None:
    _, slug = stored
    r = client.get(f"/p/{slug}/feed.atom")
    assert r.status_code == 200
    root = ET.fromstring(r.content)
    contents = [e.findtext(f"{ATOM}content") for e in root.findall(f"{ATOM}entry")]
    assert "Lamps ordered" in contents


def test_the_markdown_export_shows_html_and_links_as_text(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    m = meeting(db, w)
    m.event.title = "Ward <b>panel</b>"
    m.event.summary_intro = 'Read [our page](javascript:alert(1)) and <script>alert("x")</script>'
    comment(db, m.event, "See ![x](https://evil.example/t.png) <http://ev.il>", agree_count=9)
    comment(db, m.event, "<img src=x onerror=alert(1)> | *loud*", agree_count=8)
    actions.create(db, event=m.event, text="[Report](javascript:steal()) to the board")
    headers = factories.token(db, w.organiser)
    db.commit()
    md = client.get(f"/api/v1/events/{m.event.id}/export/md", headers=headers).content.decode()
    html = MarkdownIt("commonmark", {"html": True}).render(md)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "<a " not in html and "href=" not in html
    # The words are all still there, as text.
    assert "Ward &lt;b&gt;panel&lt;/b&gt;" in html
    assert "[our page](javascript:alert(1))" in html
    assert "&lt;img src=x onerror=alert(1)&gt; | *loud*" in html
    assert "Report" in md and "\\[Report\\](javascript:steal())" in md


def test_an_unexpected_crash_still_carries_the_security_headers() -> None:
    crashing = CommonGround()

    @crashing.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(crashing, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"


def test_only_the_api_docs_may_load_swagger_ui_from_its_cdn(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn.jsdelivr.net" in docs.text
    assert "https://cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    login = client.get("/login")
    assert "jsdelivr" not in login.headers["content-security-policy"]
    assert "'unsafe-inline'" not in login.headers["content-security-policy"]
