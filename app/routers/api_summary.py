"""JSON API for an event's summary: read it, edit it, publish it, export it."""

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.dependencies import ManagedEventDep, SessionDep
from app.models.base import id_of
from app.schemas.common import ERROR_RESPONSES
from app.schemas.summary import Summary, SummaryEdit
from app.services import exports, summary
from app.services.exports import CsvKind
from app.services.markdown_export import to_markdown
from app.templating import templates

PRINT_CSS = Path(__file__).parent.parent / "static" / "css" / "summary-print.css"
# The PDF keeps the key content: every key point, quote and answer, and the most agreed
# comments of each question (the CSV and XLSX have them all).
PDF_COMMENTS_PER_QUESTION = 15
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
}

router = APIRouter(prefix="/api/v1", tags=["summary"], responses=ERROR_RESPONSES)


@router.get("/events/{event_id}/summary", response_model=Summary)
def get_summary(access: ManagedEventDep, session: SessionDep) -> Summary:
    """Everything the summary page shows, as JSON."""
    return summary.build(session, event=access.event)


@router.patch("/events/{event_id}/summary", response_model=Summary)
def edit_summary(body: SummaryEdit, access: ManagedEventDep, session: SessionDep) -> Summary:
    """Change the introduction or the featured quotes."""
    summary.edit(
        session,
        event=access.event,
        intro=body.intro,
        featured_comment_ids=body.featured_comment_ids,
    )
    return summary.build(session, event=access.event)


@router.post("/events/{event_id}/summary/publish", response_model=Summary)
def publish_summary(access: ManagedEventDep, session: SessionDep) -> Summary:
    """Publish a closed event's summary on its programme's public page (409 otherwise)."""
    summary.publish(session, event=access.event)
    return summary.build(session, event=access.event)


@router.delete("/events/{event_id}/summary/publish", response_model=Summary)
def unpublish_summary(access: ManagedEventDep, session: SessionDep) -> Summary:
    """Withdraw the summary from the public page."""
    summary.unpublish(session, event=access.event)
    return summary.build(session, event=access.event)


def summary_document(data: Summary, css: Path = PRINT_CSS) -> str:
    """The summary as one printable HTML document, from the page's own template."""
    return templates.get_template("pages/summary/document.html").render(
        summary=data,
        staff=False,
        limit=PDF_COMMENTS_PER_QUESTION,
        print_css=css.read_text(),
    )


@router.get(
    "/events/{event_id}/export/{fmt}",
    response_class=Response,
    responses={200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}}},
)
def export(
    fmt: Literal["csv", "xlsx", "md", "pdf", "json"],
    access: ManagedEventDep,
    session: SessionDep,
    kind: CsvKind = Query(default="comments", description="For CSV: which table"),
) -> Response:
    """Download the summary; the comments CSV also lists pending and hidden comments, marked."""
    event = access.event
    event_id = id_of(event)
    if fmt == "csv":
        if kind == "comments":
            rows = exports.comment_table(
                summary.question_names(session, event_id),
                summary.comment_rows(session, event_id, statuses=exports.ALL_STATUSES),
            )
        else:
            rows = exports.csv_table(summary.build(session, event=event), kind)
        name = exports.file_name(event.title, event.starts_at, kind.replace("_", "-"), "csv")
        return _download(exports.to_csv(rows), "csv", name)
    data = summary.build(session, event=event)
    name = exports.file_name(event.title, event.starts_at, "summary", fmt)
    if fmt == "xlsx":
        body = exports.to_xlsx(data)
    elif fmt == "md":
        body = to_markdown(data)
    elif fmt == "json":
        body = exports.to_json(data)
    else:
        body = exports.to_pdf(summary_document(data))
    return _download(body, fmt, name)


def _download(body: bytes, fmt: str, name: str) -> Response:
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
