"""The summary carries the stored opinion groups: its page, its JSON, every export and the
published public page, with group sizes and common ground but nothing about any one voter."""

import csv
import io
import json
from dataclasses import dataclass

import openpyxl
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.services import summary
from app.services.opinion_groups import store
from tests.support import factories
from tests.support.meeting import Meeting, meeting
from tests.support.opinion_rooms import add_room


@dataclass
class Room:
    client: TestClient
    world: factories.World
    meeting: Meeting
    headers: dict[str, str]

    @property
    def api(self) -> str:
        return f"/api/v1/events/{self.meeting.event.id}"

    def get(self, path: str, **params: str) -> bytes:
        r = self.client.get(self.api + path, headers=self.headers, params=params)
        assert r.status_code == 200, r.text
        return r.content


@pytest.fixture
def room(client: TestClient, db: Session) -> Room:
    """A meeting whose residents split into two camps of 30 and 25, plus 3 who vote their own
    way, closed through the API."""
    w = factories.world(db)
    m = meeting(db, w, status="open")
    add_room(db, m.event, [30, 25, 3])
    headers = factories.token(db, w.organiser)
    db.commit()
    r = client.patch(f"/api/v1/events/{m.event.id}", json={"status": "closed"}, headers=headers)
    assert r.status_code == 200, r.text
    return Room(client=client, world=w, meeting=m, headers=headers)


def test_closing_stores_the_groups_and_the_summary_shows_them(room: Room) -> None:
    body = json.loads(room.get("/summary"))
    og = body["opinion_groups"]
    assert (og["status"], og["version"]) == ("ready", 1) and og["computed_at"]
    # The 3 who voted their own way are never a group on their own: merged into a camp.
    assert sorted(g["size"] for g in og["groups"]) == [28, 30]
    assert sum(g["size"] for g in og["groups"]) == og["included"] == 58
    rep = og["groups"][0]["representative"][0]
    assert rep["body"].startswith("Comment number")
    assert 0 <= rep["agree"] <= 1 and [s["group"] for s in rep["by_group"]] == ["A", "B"]
    assert {"agree", "disagree", "pass", "votes"} <= rep["by_group"][0].keys()
    assert og["lists"]["divided"] and og["lists"]["agree"]
    assert [(r["label"], r["size"]) for r in og["map"]] == [
        (g["label"], g["size"]) for g in og["groups"]
    ]
    text = json.dumps(body)
    assert "voter-" not in text and "centre" not in text and '"cov"' not in text
    # Read, not recomputed: the same every time, and the JSON export is the summary.
    assert json.loads(room.get("/summary")) == body
    assert json.loads(room.get("/export/json")) == body


def test_every_export_carries_the_groups(room: Room) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(room.get("/export/csv", kind="opinion_groups").decode("utf-8-sig"))
        )
    )
    sections = [r["section"] for r in rows]
    assert "Group A" in sections and "Group B" in sections and "Divided" in sections
    first = rows[0]
    assert first["comment"].startswith("Comment number") and first["group_size"] in ("28", "30")
    assert first["direction"] in ("agree", "disagree") and float(first["agree_share"]) <= 1
    assert "A: " in first["by_group"] and "% agree" in first["by_group"]

    wb = openpyxl.load_workbook(io.BytesIO(room.get("/export/xlsx")), read_only=True)
    sheet = [tuple(r) for r in wb["Opinion groups"].iter_rows(values_only=True)]
    assert sheet[0][:3] == ("section", "group_size", "comment") and len(sheet) == len(rows) + 1

    md = room.get("/export/md").decode()
    assert "## Opinion groups and common ground" in md
    assert "2 opinion groups among the 58 people who voted." in md
    assert "### Group A (" in md and "#### Everyone agrees" in md and "#### Divided" in md

    pdf = PdfReader(io.BytesIO(room.get("/export/pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Opinion groups and common ground" in text and "Group A" in text


def test_the_staff_page_and_the_public_page_show_groups_but_nobody_in_them(room: Room) -> None:
    factories.login(room.client, room.world.organiser)
    page = room.client.get(f"/events/{room.meeting.event.id}/summary")
    assert page.status_code == 200
    assert "Opinion groups and common ground" in page.text
    assert "2 opinion groups among the 58 people" in page.text
    assert page.text.count("<ellipse") == 2
    assert room.client.post(room.api + "/summary/publish", headers=room.headers).status_code == 200
    room.client.cookies.clear()
    public = room.client.get(f"/p/{room.meeting.programme.slug}/events/{room.meeting.event.id}")
    assert public.status_code == 200
    assert "Opinion groups and common ground" in public.text
    assert public.text.count("<ellipse") == 2
    assert "A · 30" in public.text or "B · 30" in public.text  # regions with their sizes
    assert "<circle" not in public.text  # no dot for anyone
    assert "voter-" not in public.text
    assert "Everyone agrees" in public.text and "Group B" in public.text


def test_without_a_stored_result_the_summary_says_not_computed_yet(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    m = meeting(db, w, status="open")
    add_room(db, m.event, [20, 20])
    headers = factories.token(db, w.organiser)
    db.commit()
    body = client.get(f"/api/v1/events/{m.event.id}/summary", headers=headers).json()
    og = body["opinion_groups"]
    assert (og["status"], og["version"], og["computed_at"]) == ("pending", 0, None)
    assert og["message"].startswith("Not computed yet") and og["groups"] == []
    factories.login(client, w.organiser)
    page = client.get(f"/events/{m.event.id}/summary")
    assert "Not computed yet" in page.text and "<ellipse" not in page.text


def test_the_summary_reads_the_same_queries_with_or_without_a_stored_result(
    db: Session, engine: Engine
) -> None:
    m = meeting(db, factories.world(db), status="open")
    add_room(db, m.event, [20, 20])
    counted: list[str] = []

    def count(*args: object) -> None:
        counted.append(str(args[2]))

    def queries() -> tuple[int, str]:
        db.expire_all()
        counted.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            status = summary.build(db, event=m.event).opinion_groups.status
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(counted), status

    none_stored, status = queries()
    assert status == "pending"
    store.refresh(db, event_id=m.event.id or 0)
    stored, status = queries()
    assert status == "ready" and stored == none_stored
