"""Every table, imported once so the metadata (and Alembic) sees them all."""

from app.models.accounts import ApiToken, Membership, Organisation, User
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
from app.models.opinion_groups import OpinionGroupResult

__all__ = [
    "Action",
    "ActionLink",
    "ActionUpdate",
    "ApiToken",
    "AttendanceEntry",
    "AttendanceRole",
    "Comment",
    "EqualityAnswer",
    "Event",
    "EventCohost",
    "Group",
    "GroupFacilitator",
    "Membership",
    "ModerationLog",
    "OpinionGroupResult",
    "Organisation",
    "PanelQuestion",
    "PanelUpvote",
    "Programme",
    "Question",
    "SQLModel",
    "UTCDateTime",
    "User",
    "Vote",
    "minute_now",
    "to_minute",
    "utcnow",
]
