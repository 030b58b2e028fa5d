"""A cohort's pairs and meeting counts, nominations and alumni as a spreadsheet."""

from typing import Literal

from fastapi import APIRouter, Response

from app.dependencies import ManagedCohortDep, SessionDep
from app.schemas.common import ERROR_RESPONSES
from app.services.mentoring import cohorts, export

api = APIRouter(prefix="/api/v1", tags=["mentoring"], responses=ERROR_RESPONSES)

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@api.get("/cohorts/{cohort_id}/export/{fmt}", response_class=Response)
def export_cohort(
    fmt: Literal["csv", "xlsx"], access: ManagedCohortDep, session: SessionDep
) -> Response:
    """The cohort's pairs and meeting counts, nominations and alumni, as CSV or XLSX."""
    tables = export.tables(session, cohort=access.cohort, today=cohorts.today())
    body = export.to_csv(tables, access.programme.name) if fmt == "csv" else export.to_xlsx(tables)
    name = f"{access.programme.slug}.{fmt}"
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
