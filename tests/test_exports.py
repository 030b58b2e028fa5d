"""Every export format, opened and read back: same figures, only what each may carry."""

import csv
import io
import json

import openpyxl
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from tests.support import factories
from tests.support.meeting import (
    HIDDEN,
    KEY_POINT,
    PENDING,
    STARRED,
    TOP,
    Meeting,
    comment,
    meeting,
)


@pytest.fixture
def setup(client: TestClient, db: Session) -> tuple[TestClient, Meeting, dict[str, str]]:
    w = factories.world(db)
    m = meeting(db, w)
    headers = factories.token(db, w.organiser)
    db.commit()
    return client, m, headers


def _get(setup: tuple[TestClient, Meeting, dict[str, str]], fmt: str, **params: str) -> bytes:
    client, m, headers = setup
    r = client.get(f"/api/v1/events/{m.event.id}/export/{fmt}", headers=headers, params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"].startswith("attachment")
    return r.content


def test_comments_csv_is_for_staff_and_marks_hidden_comments(setup) -> None:  # type: ignore[no-untyped-def]
    body = _get(setup, "csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    by_text = {r["comment"]: r for r in rows}
    assert by_text[STARRED]["starred"] == "yes"
    assert by_text[STARRED]["table"] == "Table 1"
    assert by_text[STARRED]["tags"] == "trust; hubs"
    assert (by_text[TOP]["agree"], by_text[TOP]["disagree"]) == ("12", "2")
    assert by_text[HIDDEN]["status"] == "hidden"
    assert by_text[PENDING]["status"] == "pending"
    assert by_text[KEY_POINT]["source"] == "facilitator"


def test_other_csv_kinds(setup) -> None:  # type: ignore[no-untyped-def]
    attendance = _get(setup, "csv", kind="attendance").decode("utf-8-sig")
    assert "Police officer,services,9," in attendance
    assert "All community,community,11," in attendance
    assert "Councillor,services,0,yes" in attendance
    panel = _get(setup, "csv", kind="panel").decode("utf-8-sig")
    assert "A review reports in March." in panel and "Something abusive" not in panel
    assert _get(setup, "csv", kind="actions").decode("utf-8-sig").startswith("id,action,owner")


def test_xlsx_has_a_sheet_per_kind_without_hidden_comments(setup) -> None:  # type: ignore[no-untyped-def]
    body = _get(setup, "xlsx")
    assert body.startswith(b"PK")
    wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    assert wb.sheetnames == [
        "Comments",
        "Attendance",
        "Panel questions",
        "Actions",
        "Themes",
        "Equality",
        "Opinion groups",
    ]
    comments = [row[-1] for row in wb["Comments"].iter_rows(values_only=True)]
    assert STARRED in comments and TOP in comments
    assert HIDDEN not in comments and PENDING not in comments
    attendance = {row[0]: row[2] for row in wb["Attendance"].iter_rows(values_only=True)}
    assert attendance["Police officer"] == 9 and attendance["All community"] == 11
    equality = [row for row in wb["Equality"].iter_rows(values_only=True)]
    assert ("Ethnic group", "White: British", "<5") in equality


def test_pdf_carries_quotes_and_attendance(setup) -> None:  # type: ignore[no-untyped-def]
    body = _get(setup, "pdf")
    assert body.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).split())
    assert STARRED in text and KEY_POINT in text
    assert "11 from the community : 9 from services" in text
    assert "Police officer" in text
    assert HIDDEN not in text and PENDING not in text
    assert "Feature" not in text  # staff controls stay off paper


def test_markdown_and_json_agree_with_the_summary(setup) -> None:  # type: ignore[no-untyped-def]
    md = _get(setup, "md").decode()
    assert f"> {STARRED}" in md
    assert "| Police officer | services | 9 |" in md
    assert "11 from the community : 9 from services" in md
    assert HIDDEN not in md
    data = json.loads(_get(setup, "json"))
    client, m, headers = setup
    assert data == client.get(f"/api/v1/events/{m.event.id}/summary", headers=headers).json()
    assert data["attendance"]["community"] == 11


def test_formulas_are_never_run_by_spreadsheets(setup, db: Session) -> None:  # type: ignore[no-untyped-def]
    m = setup[1]
    comment(db, m.event, '=HYPERLINK("http://evil.example","x")', agree_count=50)
    db.commit()
    body = _get(setup, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    wb = openpyxl.load_workbook(io.BytesIO(_get(setup, "xlsx")))
    cell = next(r[-1] for r in wb["Comments"].iter_rows() if "HYPERLINK" in str(r[-1].value))
    assert cell.data_type == "s"


def test_unknown_format_or_kind(setup) -> None:  # type: ignore[no-untyped-def]
    client, m, headers = setup
    assert (
        client.get(f"/api/v1/events/{m.event.id}/export/docx", headers=headers).status_code == 404
    )
    r = client.get(f"/api/v1/events/{m.event.id}/export/csv?kind=votes", headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"
