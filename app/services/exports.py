"""The summary as files: CSV (one per kind), XLSX (a sheet per kind), Markdown, JSON and PDF.

Every format is written from the same Summary, so their figures agree. Only the staff comments
CSV lists pending and hidden comments (marked in its status column); the rest carry published,
redacted text only.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from app.models.comments import CommentStatus
from app.schemas.opinion_groups import GroupingStatus
from app.schemas.summary import Summary, SummaryComment
from app.services.opinion_groups.service import export_rows
from app.services.plain_text import printable

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

LONDON = ZoneInfo("Europe/London")
CsvKind = Literal["comments", "attendance", "panel", "actions", "opinion_groups"]
CSV_KINDS: tuple[CsvKind, ...] = ("comments", "attendance", "panel", "actions", "opinion_groups")
ALL_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.PENDING, CommentStatus.HIDDEN)
# A spreadsheet would run a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = Sequence[Any]


def file_name(title: str, starts_at: datetime, what: str, fmt: str) -> str:
    """A download's name that says which meeting it is from: `battersea-2026-11-28-summary.csv`."""
    words = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", title).lower()).strip("-")
    stem = words[:60].rstrip("-") or "event"
    return f"{stem}-{starts_at.astimezone(LONDON).date().isoformat()}-{what}.{fmt}"


def question_names(summary: Summary) -> dict[int | None, str]:
    return {q.id: (f"Q{q.position + 1}. {q.text}" if q.id else q.text) for q in summary.questions}


STAFF_COMMENT_COLUMNS = (
    "id",
    "question",
    "table",
    "source",
    "status",
    "starred",
    "featured",
    "tags",
    "agree",
    "disagree",
    "pass",
    "created_at",
    "comment",
)
# The spreadsheet holds published comments only, so it leaves out what would repeat in every row.
SHEET_COMMENT_COLUMNS = tuple(
    c for c in STAFF_COMMENT_COLUMNS if c not in ("status", "featured", "created_at")
)


def comment_table(
    names: dict[int | None, str],
    comments: Iterable[SummaryComment],
    columns: Sequence[str] = STAFF_COMMENT_COLUMNS,
) -> list[Row]:
    def values(c: SummaryComment) -> dict[str, Any]:
        return {
            "id": c.id,
            "question": names.get(c.question_id, ""),
            "table": c.group or "",
            "source": c.source,
            "status": c.status,
            "starred": "yes" if c.starred else "",
            "featured": "yes" if c.featured else "",
            "tags": "; ".join(c.tags),
            "agree": c.agree,
            "disagree": c.disagree,
            "pass": c.passed,
            "created_at": c.created_at.isoformat(),
            "comment": c.body,
        }

    return [tuple(columns), *(tuple(v[k] for k in columns) for v in map(values, comments))]


def published_comments(summary: Summary) -> list[SummaryComment]:
    return [c for q in summary.questions for c in (*q.key_points, *q.comments)]


def attendance_table(summary: Summary) -> list[Row]:
    a = summary.attendance
    rows: list[Row] = [("role", "side", "people", "expected but absent")]
    rows += [(r.role, r.side, r.count, "yes" if r.role in a.absent else "") for r in a.roles]
    rows += [
        ("All community", "community", a.community, ""),
        ("All services", "services", a.services, ""),
    ]
    return rows


def panel_table(summary: Summary) -> list[Row]:
    rows: list[Row] = [("id", "question", "status", "upvotes", "answer")]
    rows += [(p.id, p.body, p.status, p.upvotes, p.answer) for p in summary.panel]
    return rows


def actions_table(summary: Summary) -> list[Row]:
    rows: list[Row] = [
        ("id", "action", "owner", "due", "status", "overdue", "latest update", "answers comments")
    ]
    for a in summary.actions:
        rows.append(
            (
                a.id,
                a.text,
                a.owner,
                a.due_date.isoformat() if a.due_date else "",
                a.status,
                "yes" if a.overdue else "",
                a.latest_update.body if a.latest_update else "",
                " ".join(str(i) for i in a.comment_ids),
            )
        )
    return rows


def themes_table(summary: Summary) -> list[Row]:
    return [("theme", "comments"), *((t.tag, t.count) for t in summary.tags)]


def equality_table(summary: Summary) -> list[Row]:
    rows: list[Row] = [("category", "answer", "people")]
    rows += [(cat.label, k, v) for cat in summary.equality for k, v in cat.cells.items()]
    return rows


OPINION_GROUP_COLUMNS = ("section", "group_size", "comment", "direction", "agree_share", "by_group")


def opinion_groups_table(summary: Summary) -> list[Row]:
    """Each group's representative comments, then the common-ground lists, a row each."""
    og = summary.opinion_groups
    if og.status != GroupingStatus.READY:
        return [("section", "note"), ("Opinion groups", og.message)]
    rows = export_rows(og.model_dump())
    return [OPINION_GROUP_COLUMNS, *(tuple(r[k] for k in OPINION_GROUP_COLUMNS) for r in rows)]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([_safe(v) for v in row] for row in rows)
    # The byte-order mark lets Excel open the UTF-8 text with its accents intact.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_table(summary: Summary, kind: CsvKind) -> list[Row]:
    """Attendance, panel, actions or opinion groups; the staff comments CSV is `comment_table`."""
    tables = {
        "attendance": attendance_table,
        "panel": panel_table,
        "actions": actions_table,
        "opinion_groups": opinion_groups_table,
    }
    return tables[kind](summary)


def _sheet(wb: "Workbook", title: str, rows: list[Row]) -> None:
    ws: WriteOnlyWorksheet = wb.create_sheet(title)
    for row in rows:
        # A control character stored before they were refused cannot be written to XLSX.
        row = tuple(printable(v) if isinstance(v, str) else v for v in row)
        if any(isinstance(v, str) and v.startswith("=") for v in row):
            ws.append([_text_cell(ws, v) for v in row])
        else:
            ws.append(row)


def _text_cell(ws: "WriteOnlyWorksheet", value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # text, never a formula
    return cell


def to_xlsx(summary: Summary) -> bytes:
    # openpyxl loads with the first workbook, not with every web process (about 9 MB).
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    comments = comment_table(
        question_names(summary), published_comments(summary), SHEET_COMMENT_COLUMNS
    )
    _sheet(wb, "Comments", comments)
    _sheet(wb, "Attendance", attendance_table(summary))
    _sheet(wb, "Panel questions", panel_table(summary))
    _sheet(wb, "Actions", actions_table(summary))
    _sheet(wb, "Themes", themes_table(summary))
    _sheet(wb, "Equality", equality_table(summary))
    _sheet(wb, "Opinion groups", opinion_groups_table(summary))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_json(summary: Summary) -> bytes:
    return summary.model_dump_json(indent=1).encode("utf-8")


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # a heavy import, loaded on the first PDF only

    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)
