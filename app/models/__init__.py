"""Every table, imported once so the metadata (and Alembic) sees them all."""

from app.models.accounts import ApiToken, Membership, Organisation, StaffSession, User
from app.models.actions import Action, ActionLink, ActionUpdate
from app.models.base import SQLModel, UTCDateTime, minute_now, to_minute, utcnow
from app.models.comments import (
    Comment,
    EqualityAnswer,
    ModerationLog,
    PanelQuestion,
    PanelUpvote,
    Vote,
)
from app.models.events import (
    AttendanceEntry,
    AttendanceRole,
    Event,
    EventCohost,
    Group,
    GroupFacilitator,
    Programme,
    Question,
)
from app.models.mentoring import (
    Cohort,
    CohortOrganisation,
    Interest,
    Nomination,
    Pairing,
    PairMeeting,
    Participant,
)
from app.models.opinion_groups import OpinionGroupResult

__all__ = [
    "Action",
    "ActionLink",
    "ActionUpdate",
    "ApiToken",
    "AttendanceEntry",
    "AttendanceRole",
    "Cohort",
    "CohortOrganisation",
    "Comment",
    "EqualityAnswer",
    "Event",
    "EventCohost",
    "Group",
    "GroupFacilitator",
    "Interest",
    "Membership",
    "ModerationLog",
    "Nomination",
    "OpinionGroupResult",
    "Organisation",
    "PairMeeting",
    "Pairing",
    "PanelQuestion",
    "PanelUpvote",
    "Participant",
    "Programme",
    "Question",
    "SQLModel",
    "StaffSession",
    "UTCDateTime",
    "User",
    "Vote",
    "minute_now",
    "to_minute",
    "utcnow",
]
