"""Cohorts loaded for the caller, once per request: 404 when not theirs, 403 when they may see
but not manage it."""

from typing import Annotated

from fastapi import Depends

from app.dependencies import CurrentUser, SessionDep
from app.schemas.common import RowId
from app.services.mentoring.cohorts import CohortAccess, load_cohort


def cohort_for_viewer(
    cohort_id: RowId, session: SessionDep, principal: CurrentUser
) -> CohortAccess:
    return load_cohort(session, principal, cohort_id, "view")


def cohort_for_manager(
    cohort_id: RowId, session: SessionDep, principal: CurrentUser
) -> CohortAccess:
    return load_cohort(session, principal, cohort_id, "manage")


CohortDep = Annotated[CohortAccess, Depends(cohort_for_viewer)]
ManagedCohortDep = Annotated[CohortAccess, Depends(cohort_for_manager)]
