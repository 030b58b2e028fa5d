"""Residents' JSON API: no account, no token, by join code (SPEC §5).

Nothing about the caller is stored: the client address is used only, hashed with a rotating
in-memory salt, to slow down floods (`rate_limit`).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from sqlmodel import Session

from app.config import get_settings
from app.dependencies import SessionDep
from app.models import Comment, Event, PanelQuestion
from app.schemas.comments import (
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
from app.schemas.common import ERROR_RESPONSES
from app.services import comments, equality, events, panel, voters
from app.services.questions import active_question
from app.services.rate_limit import limiter

router = APIRouter(prefix="/api/v1/join/{code}", tags=["residents"], responses=ERROR_RESPONSES)

VoterKey = Annotated[str | None, Header(alias=voters.HEADER, include_in_schema=True)]


def event_by_code(code: str, session: SessionDep) -> Event:
    return events.get_by_join_code(session, code)


def event_for_write(code: str, request: Request, session: SessionDep) -> Event:
    """The event, after counting this write against the flood limit."""
    event = events.get_by_join_code(session, code)
    assert event.id is not None
    address = request.client.host if request.client else None
    limiter.hit(event_id=event.id, address=address, limit=get_settings().resident_rate_limit)
    return event


JoinEvent = Annotated[Event, Depends(event_by_code)]
WriteEvent = Annotated[Event, Depends(event_for_write)]


def comment_public(comment: Comment) -> CommentPublic:
    return CommentPublic.model_validate(comment, from_attributes=True)


def question_out(question: PanelQuestion) -> PanelQuestionOut:
    return PanelQuestionOut.model_validate(question, from_attributes=True)


def join_out(session: Session, event: Event) -> JoinOut:
    assert event.id is not None
    active = active_question(session, event.id)
    return JoinOut(
        code=event.join_code,
        title=event.title,
        status=event.status,
        venue=event.venue,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        moderation=event.moderation,
        recorded=event.recording == "recorded",
        active_question=ResidentQuestion(**active.model_dump()) if active else None,
        questions=[
            ResidentQuestion(**q.model_dump()) for q in events.list_questions(session, event.id)
        ],
        tables=[ResidentTable(**g.model_dump()) for g in events.list_groups(session, event.id)],
        comments=[
            comment_public(c) for c in comments.published_comments(session, event_id=event.id)
        ],
        panel_questions=[question_out(q) for q in panel.open_questions(session, event_id=event.id)],
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
def post_comment(body: CommentIn, event: WriteEvent, session: SessionDep) -> CommentPublic:
    """Post an anonymous comment; the answer carries the text as stored (redacted)."""
    comment = comments.submit_comment(
        session, event=event, body=body.body, question_id=body.question_id, group_id=body.group_id
    )
    return comment_public(comment)


@router.post("/comments/{comment_id}/vote", response_model=VoteOut)
def vote(
    comment_id: int,
    body: VoteIn,
    event: WriteEvent,
    session: SessionDep,
    voter_key: VoterKey = None,
) -> VoteOut:
    """Agree, disagree or pass on a published comment (one vote per voter key)."""
    comments.cast_vote(
        session, event=event, comment_id=comment_id, voter_key=voter_key, vote=body.vote
    )
    comment = session.get(Comment, comment_id)
    assert comment is not None and comment.id is not None
    return VoteOut(
        comment_id=comment.id,
        vote=body.vote,
        agree_count=comment.agree_count,
        disagree_count=comment.disagree_count,
        pass_count=comment.pass_count,
    )


@router.post("/questions", response_model=PanelQuestionOut, status_code=201)
def post_question(
    body: PanelQuestionIn, event: WriteEvent, session: SessionDep
) -> PanelQuestionOut:
    """Ask the panel a question, anonymously."""
    return question_out(comments.ask_question(session, event=event, body=body.body))


@router.post("/questions/{question_id}/upvote", response_model=PanelQuestionOut)
def upvote(
    question_id: int, event: WriteEvent, session: SessionDep, voter_key: VoterKey = None
) -> PanelQuestionOut:
    """Upvote an open panel question (once per voter key)."""
    question = comments.upvote_question(
        session, event=event, question_id=question_id, voter_key=voter_key
    )
    return question_out(question)


@router.post("/equality", response_model=EqualityOut, status_code=201)
def post_equality(body: EqualityIn, event: WriteEvent, session: SessionDep) -> EqualityOut:
    """Optional equality-monitoring answers, kept apart from comments and votes."""
    equality.submit_answer(session, event=event, **body.model_dump())
    return EqualityOut()
