"""Page contexts shared by the mentoring pages: the cohort view for organisers and for a
participant (who sees their own pair, their meetings and their nominations only)."""

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from app.services.mentoring import cohorts, flows, pairs, people
from app.services.mentoring.cohorts import CohortAccess
from app.templating import render


def cohort_context(
    session: Session, access: CohortAccess, stale_weeks: int | None
) -> dict[str, Any]:
    cohort, programme = access.cohort, access.programme
    orgs = cohorts.organisations(session, cohort.id)
    return {
        "cohort": cohort,
        "programme": programme,
        "access": access,
        "organisations": orgs,
        "org_names": {o.id: o.name for o in orgs},
        "stale_weeks": stale_weeks or cohort.stale_weeks,
        "today": cohorts.today(),
        "interest_open": cohorts.interest_open(cohort, cohorts.today()),
    }


def manager_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    *,
    stale_weeks: int | None = None,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    cohort, programme = access.cohort, access.programme
    views = pairs.pair_views(session, cohort=cohort, today=cohorts.today(), stale_weeks=stale_weeks)
    return render(
        request,
        "pages/mentoring/cohort.html",
        {
            **cohort_context(session, access, stale_weeks),
            "pairs": views,
            "flagged": [v for v in views if v.flagged],
            "unpaired": pairs.unpaired(session, cohort.id),
            "sessions": flows.group_sessions(session, programme.id),
            "actions": flows.cohort_actions(session, programme.id),
            "next_cohorts": cohorts.next_cohorts(session, cohort.id),
            "errors": errors or {},
            "raw": raw or {},
        },
        status_code=status_code,
    )


def participant_page(
    request: Request,
    session: Session,
    access: CohortAccess,
    *,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    me = access.participant
    assert me is not None
    cohort = access.cohort
    views = pairs.pair_views(
        session, cohort=cohort, today=cohorts.today(), only_participant_id=me.id
    )
    current = next((v for v in views if v.pairing.status == "active"), None)
    return render(
        request,
        "pages/mentoring/participant.html",
        {
            **cohort_context(session, access, None),
            "me": me,
            "pair": current,
            "partner": None
            if current is None
            else (current.second if current.first.id == me.id else current.first),
            "meetings": pairs.list_meetings(session, current.pairing.id) if current else [],
            "nominations": people.list_nominations(session, cohort.id, me.id),
            "errors": errors or {},
            "raw": raw or {},
        },
        status_code=status_code,
    )
