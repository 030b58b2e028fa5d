"""Residents' JSON API: no account, no token, by join code (SPEC §5).

Nothing about the caller is stored: the client address is used only, hashed with a rotating
in-memory salt, to slow down floods (`rate_limit`).
"""

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Header, Request
from sqlmodel import Session

from app.db import commit_in_thread
from app.dependencies import SessionDep
from app.models import Comment, Event, PanelQuestion
from app.models.base import id_of
from app.models.events import RecordingPolicy
from app.schemas.comments import (
    VOTER_KEY_HEADER,
    CommentIn,
    CommentPublic,
    EqualityChoices,
    EqualityIn,
    EqualityOut,
    JoinOut,
    PanelQuestionIn,
    PanelQuestionOut,
    ResidentQuestion,
    ResidentTable,
    VoteIn,
    VoteOut,
)
from app.schemas.common import ERROR_RESPONSES, RowId
from app.services import comments, equality, events, panel, voters
from app.services.questions import active_question
from app.services.resident import resident_event

router = APIRouter(prefix="/api/v1/join/{code}", tags=["residents"], responses=ERROR_RESPONSES)

VoterKey = Annotated[str | None, Header(alias=VOTER_KEY_HEADER, include_in_schema=True)]


def event_by_code(code: str, session: SessionDep) -> Event:
    return events.get_by_join_code(session, code)


T = TypeVar("T")


async def resident_write(
    session: Session, request: Request, code: str, work: Callable[[Event], T]
) -> T:
    """Look the event up, count the write against the flood limit, do the work and commit,
    all in one trip to the thread pool: residents' writes are the busiest requests."""
    address = client_address(request)
    return await commit_in_thread(session, lambda s: work(resident_event(s, code, address)))


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


JoinEvent = Annotated[Event, Depends(event_by_code)]


def comment_public(comment: Comment) -> CommentPublic:
    return CommentPublic.model_validate(comment, from_attributes=True)


def question_out(question: PanelQuestion) -> PanelQuestionOut:
    return PanelQuestionOut.model_validate(question, from_attributes=True)


def join_out(session: Session, event: Event) -> JoinOut:
    event_id = id_of(event)
    active = active_question(session, event_id)
    return JoinOut(
        code=event.join_code,
        title=event.title,
        status=event.status,
        venue=event.venue,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        moderation=event.moderation,
        recorded=event.recording == RecordingPolicy.RECORDED,
        active_question=ResidentQuestion(**active.model_dump()) if active else None,
        questions=[
            ResidentQuestion(**q.model_dump()) for q in events.list_questions(session, event_id)
        ],
        tables=[ResidentTable(**g.model_dump()) for g in events.list_groups(session, event_id)],
        comments=[
            comment_public(c) for c in comments.published_comments(session, event_id=event_id)
        ],
        panel_questions=[question_out(q) for q in panel.open_questions(session, event_id=event_id)],
        equality=EqualityChoices(
            enabled=event.equality_monitoring,
            ethnic_groups=list(equality.ETHNIC_CHOICES),
            age_bands=list(equality.AGE_BANDS),
            boroughs=list(equality.BOROUGHS),
        ),
        new_voter_key=voters.new_key(),
    )


@router.get("", response_model=JoinOut)
def get_meeting(event: JoinEvent, session: SessionDep) -> JoinOut:
    """The meeting as residents see it: current question, tables, published comments."""
    return join_out(session, event)


@router.post("/comments", response_model=CommentPublic, status_code=201)
async def post_comment(code: str, body: CommentIn, request: Request) -> CommentPublic:
    """Post an anonymous comment; the answer carries the text as stored (redacted).
    (Most are answered by `app.resident_lane` before they reach this route.)"""
    return await comments.comment_from_phone(code, body, client_address(request))


@router.post("/comments/{comment_id}/vote", response_model=VoteOut)
async def vote(
    code: str,
    comment_id: RowId,
    body: VoteIn,
    request: Request,
    session: SessionDep,
    voter_key: VoterKey = None,
) -> VoteOut:
    """Agree, disagree or pass on a published comment (one vote per voter key)."""

    def work(event: Event) -> VoteOut:
        comments.cast_vote(
            session, event=event, comment_id=comment_id, voter_key=voter_key, vote=body.vote
        )
        comment = session.get_one(Comment, comment_id)
        return VoteOut(
            comment_id=comment_id,
            vote=body.vote,
            agree_count=comment.agree_count,
            disagree_count=comment.disagree_count,
            pass_count=comment.pass_count,
        )

    return await resident_write(session, request, code, work)


@router.post("/questions", response_model=PanelQuestionOut, status_code=201)
async def post_question(
    code: str, body: PanelQuestionIn, request: Request, session: SessionDep
) -> PanelQuestionOut:
    """Ask the panel a question, anonymously."""

    def work(event: Event) -> PanelQuestionOut:
        return question_out(panel.ask_question(session, event=event, body=body.body))

    return await resident_write(session, request, code, work)


@router.post("/questions/{question_id}/upvote", response_model=PanelQuestionOut)
async def upvote(
    code: str,
    question_id: RowId,
    request: Request,
    session: SessionDep,
    voter_key: VoterKey = None,
) -> PanelQuestionOut:
    """Upvote an open panel question (once per voter key)."""

    def work(event: Event) -> PanelQuestionOut:
        return question_out(
            panel.upvote_question(
                session, event=event, question_id=question_id, voter_key=voter_key
            )
        )

    return await resident_write(session, request, code, work)


@router.post("/equality", response_model=EqualityOut, status_code=201)
async def post_equality(
    code: str, body: EqualityIn, request: Request, session: SessionDep
) -> EqualityOut:
    """Optional equality-monitoring answers, kept apart from comments and votes."""

    def work(event: Event) -> EqualityOut:
        equality.submit_answer(session, event=event, **body.model_dump())
        return EqualityOut()

    return await resident_write(session, request, code, work)
