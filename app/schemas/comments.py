"""API shapes for comments, votes, panel questions and equality answers."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.models.comments import CommentSource, CommentStatus, PanelStatus, VoteValue
from app.models.events import EventStatus, ModerationMode, QuestionStatus
from app.schemas.common import RowId

# The header a resident's device sends its voter key in.
VOTER_KEY_HEADER = "X-Voter-Key"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommentIn(Strict):
    # Length and characters are checked by the service, whose messages never echo the text.
    body: str = Field(description="Up to 1,000 characters; personal details are redacted")
    question_id: RowId | None = Field(default=None, description="Defaults to the active question")
    group_id: RowId | None = Field(default=None, description="The table, when known")


class CommentPublic(BaseModel):
    """A comment as residents and the screen see it."""

    id: int
    body: str = Field(description="As stored: already redacted")
    status: CommentStatus
    source: CommentSource
    question_id: int | None
    group_id: int | None
    agree_count: int
    disagree_count: int
    pass_count: int
    created_at: datetime


class CommentOut(CommentPublic):
    """A comment as staff see it, with its moderation state."""

    event_id: int
    starred: bool
    featured: bool
    flagged: bool
    tags: list[str]


class CommentUpdate(Strict):
    status: CommentStatus | None = None
    starred: bool | None = None
    tags: list[str] | None = Field(default=None, max_length=10)


class VoteIn(Strict):
    vote: VoteValue = Field(description=f"Send the voter key in the {VOTER_KEY_HEADER} header")


class VoteOut(BaseModel):
    comment_id: int
    vote: str
    agree_count: int
    disagree_count: int
    pass_count: int


class PanelQuestionIn(Strict):
    body: str = Field(description="Up to 1,000 characters; personal details are redacted")


class PanelQuestionOut(BaseModel):
    id: int
    body: str
    status: PanelStatus
    upvotes: int
    answer: str
    created_at: datetime
    answered_at: datetime | None


class PanelAnswerIn(Strict):
    status: PanelStatus
    answer: str = ""


class EqualityIn(Strict):
    ethnic_group: str | None = None
    age_band: str | None = None
    borough: str | None = None


class EqualityOut(BaseModel):
    saved: bool = True


class EqualityChoices(BaseModel):
    enabled: bool
    ethnic_groups: list[str]
    age_bands: list[str]
    boroughs: list[str]


class ResidentQuestion(BaseModel):
    id: int
    text: str
    status: QuestionStatus


class ResidentTable(BaseModel):
    id: int
    name: str


class JoinOut(BaseModel):
    """The meeting as a resident's phone sees it."""

    code: str
    title: str
    status: EventStatus
    venue: str
    starts_at: datetime
    ends_at: datetime
    moderation: ModerationMode
    recorded: bool
    active_question: ResidentQuestion | None
    questions: list[ResidentQuestion]
    tables: list[ResidentTable]
    comments: list[CommentPublic]
    panel_questions: list[PanelQuestionOut]
    equality: EqualityChoices
    voter_key_header: str = VOTER_KEY_HEADER
    new_voter_key: str = Field(description="A fresh random key, for a browser without its own")
