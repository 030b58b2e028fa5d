"""Staff moderation API: comments in every status, publish, hide, star, tag; the panel."""

from fastapi import APIRouter, Query

from app.dependencies import CommentDep, EventDep, PanelQuestionDep, SessionDep
from app.models import Comment
from app.models.base import id_of
from app.schemas.comments import CommentOut, CommentUpdate, PanelAnswerIn, PanelQuestionOut
from app.schemas.common import ERROR_RESPONSES, Page, RowId
from app.schemas.paging import PageDep, fetch_page
from app.services import comments, panel

router = APIRouter(prefix="/api/v1", tags=["moderation"], responses=ERROR_RESPONSES)


def comment_out(comment: Comment) -> CommentOut:
    return CommentOut.model_validate(comment, from_attributes=True)


@router.get("/events/{event_id}/comments", response_model=Page[CommentOut])
def list_comments(
    access: EventDep,
    session: SessionDep,
    paging: PageDep,
    status: str | None = Query(default=None, pattern="^(pending|published|hidden)$"),
    group_id: RowId | None = None,
    question_id: RowId | None = None,
) -> Page[CommentOut]:
    """An event's comments in every status, newest first."""
    query = comments.comments_query(
        event_id=id_of(access.event), status=status, group_id=group_id, question_id=question_id
    )
    rows, total = fetch_page(session, query, paging)
    return Page(items=[comment_out(c) for c in rows], total=total, **paging.model_dump())


@router.patch("/comments/{comment_id}", response_model=CommentOut)
def update_comment(
    comment_id: RowId, body: CommentUpdate, session: SessionDep, found: CommentDep
) -> CommentOut:
    """Publish, hide, star or tag a comment (organisers; facilitators at their own table)."""
    comment, access = found
    comments.update_comment(
        session,
        comment=comment,
        user_id=access.principal.id,
        **body.model_dump(exclude_unset=True),
    )
    return comment_out(comment)


@router.get("/events/{event_id}/panel-questions", response_model=Page[PanelQuestionOut])
def list_panel_questions(
    access: EventDep,
    session: SessionDep,
    paging: PageDep,
    status: str | None = Query(default=None, pattern="^(open|answered|dismissed)$"),
) -> Page[PanelQuestionOut]:
    """The panel questions of an event, newest first."""
    query = panel.questions_query(event_id=id_of(access.event), status=status)
    rows, total = fetch_page(session, query, paging)
    return Page(
        items=[PanelQuestionOut.model_validate(q, from_attributes=True) for q in rows],
        total=total,
        **paging.model_dump(),
    )


@router.patch("/panel-questions/{question_id}", response_model=PanelQuestionOut)
def answer_panel_question(
    question_id: RowId, body: PanelAnswerIn, session: SessionDep, found: PanelQuestionDep
) -> PanelQuestionOut:
    """Mark a panel question answered (with a summary), dismissed, or open again (organisers)."""
    question, _ = found
    panel.answer_question(session, question=question, status=body.status, answer=body.answer)
    return PanelQuestionOut.model_validate(question, from_attributes=True)
