"""Exports of a cohort: pairs with their meeting counts, nominations and alumni (CSV, XLSX).

Only what the cohort view shows: no meeting dates beyond the last one, and never any notes.
"""

import csv
import io
from datetime import date

from sqlmodel import Session

from app.models import Cohort, Participant
from app.services.mentoring.pairs import org_names, pair_views
from app.services.mentoring.people import alumni, list_nominations, list_participants

PAIR_HEADER = [
    "Mentor",
    "Organisation",
    "Partner",
    "Organisation",
    "Status",
    "Meetings",
    "Last met",
]
Table = tuple[str, list[str], list[list[object]]]


def tables(session: Session, *, cohort: Cohort, today: date) -> list[Table]:
    views = pair_views(session, cohort=cohort, today=today)
    people: dict[int | None, Participant] = {p.id: p for p in list_participants(session, cohort.id)}
    nominations = list_nominations(session, cohort.id)
    orgs = org_names(
        session,
        {p.organisation_id for p in people.values()}
        | {n.nominee_organisation_id for n in nominations},
    )
    pairs: list[list[object]] = [
        [
            v.first.name,
            orgs.get(v.first.organisation_id, ""),
            v.second.name,
            orgs.get(v.second.organisation_id, ""),
            v.pairing.status,
            v.meeting_count,
            v.last_met_on.isoformat() if v.last_met_on else "",
            "yes" if v.flagged else "",
        ]
        for v in views
    ]
    noms: list[list[object]] = [
        [
            people[n.nominator_id].name if n.nominator_id in people else "",
            n.nominee_name,
            orgs.get(n.nominee_organisation_id, ""),
            n.reason,
            "yes" if n.participant_id else "",
        ]
        for n in nominations
    ]
    alum: list[list[object]] = [
        [a.name, a.organisation, "; ".join(a.cohorts)] for a in alumni(session, cohort.scheme)
    ]
    return [
        ("Pairs", [*PAIR_HEADER, f"Not met for {cohort.stale_weeks}+ weeks"], pairs),
        (
            "Nominations",
            ["Nominated by", "Nominee", "Organisation", "Reason", "In the next cohort"],
            noms,
        ),
        (f"Alumni of {cohort.scheme}"[:31], ["Name", "Organisation", "Cohorts"], alum),
    ]


def _safe(value: object) -> object:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(data: list[Table], title: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title])
    for name, header, rows in data:
        writer.writerow([])
        writer.writerow([name])
        writer.writerow(header)
        writer.writerows([[_safe(c) for c in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(data: list[Table]) -> bytes:
    from openpyxl import Workbook  # loaded with the first workbook, not by every web process

    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, header, rows in data:
        sheet = book.create_sheet(name[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([_safe(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
