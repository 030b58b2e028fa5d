"""What staff do on the night: count people, capture key points, moderate, move the question.

Each action answers an htmx request with the fragment it changed (the live push brings it to
everyone else) and a plain form post with a redirect back to the page.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import (
    EventCommentDep,
    EventDep,
    EventPanelQuestionDep,
    ManagedEventDep,
    SessionDep,
    TableDep,
)
from app.forms import FilledForm
from app.live_views import context, live_page, template_for
from app.models import Group
from app.services import attendance, comments, events, moderation, night, panel, questions
from app.services.access import EventAccess, require_control_room
from app.services.moderation import ModerationFilter
from app.templating import is_htmx, templates

router = APIRouter(include_in_schema=False)


def answer(
    request: Request,
    session: Session,
    access: EventAccess,
    view: str,
    fragment: str,
    back: str,
    group: Group | None = None,
    where: ModerationFilter | None = None,
) -> Response:
    if not is_htmx(request):
        return RedirectResponse(back, status_code=303)
    ctx = context(session, view, access.event, group, [fragment], where) | {"access": access}
    return templates.TemplateResponse(request, template_for(view, fragment), ctx)


def _base(access: EventAccess) -> str:
    return f"/events/{access.event.id}"


@router.post("/events/{event_id}/tables/{group_id}/attendance")
def table_count(
    request: Request,
    group: TableDep,
    access: EventDep,
    session: SessionDep,
    role: Annotated[str, Form()],
    delta: Annotated[int, Form()],
) -> Response:
    """Someone sat down at (or left) the table."""
    group_id = group.id
    attendance.record(
        session,
        event=access.event,
        role=role,
        delta=delta,
        group_id=group_id,
        user_id=access.principal.id,
    )
    back = f"{_base(access)}/tables/{group_id}"
    return answer(request, session, access, "table", "attendance", back, group)


@router.post("/events/{event_id}/tables/{group_id}/attendance/undo")
def table_undo(
    request: Request, group: TableDep, access: EventDep, session: SessionDep
) -> Response:
    """Take back my last tap at this table (a tap on the wrong role, at a noisy table)."""
    group_id = group.id
    attendance.undo_last(
        session, event=access.event, user_id=access.principal.id, group_id=group_id
    )
    back = f"{_base(access)}/tables/{group_id}"
    return answer(request, session, access, "table", "attendance", back, group)


@router.post("/events/{event_id}/tables/{group_id}/keypoint")
def key_point(
    request: Request,
    group: TableDep,
    access: EventDep,
    session: SessionDep,
    body: Annotated[str, Form()] = "",
) -> Response:
    """Capture the table's key point in one step, stored (and redacted) as a comment."""
    group_id = group.id
    form = FilledForm(raw={"keypoint": body})
    with form.attempt(session, "keypoint", rename=lambda _: "keypoint"):
        comments.submit_comment(
            session, event=access.event, body=body, group_id=group_id, source="facilitator"
        )
    if not form.ok:
        extra = {"errors": form.errors, "raw": form.raw}
        return live_page(request, session, access, "table", group, extra, form.status_code)
    back = f"{_base(access)}/tables/{group_id}?saved=1"
    return answer(request, session, access, "table", "comments", back, group)


@router.post("/events/{event_id}/comments/{comment_id}/moderate")
def moderate(
    request: Request,
    found: EventCommentDep,
    access: EventDep,
    session: SessionDep,
    status: Annotated[Literal["published", "hidden"] | None, Form()] = None,
    starred: Annotated[bool | None, Form()] = None,
    view: Annotated[Literal["table", "room"], Form()] = "room",
    filter_table: Annotated[str, Form()] = "",
    filter_status: Annotated[str, Form()] = "",
) -> Response:
    """Publish, hide or star a comment: organisers anywhere, facilitators at their own table."""
    comment, _ = found
    table_id = comment.group_id if view == "table" else None
    if table_id is None:
        require_control_room(access)
    comments.update_comment(
        session, comment=comment, user_id=access.principal.id, status=status, starred=starred
    )
    if table_id is not None:
        group = night.group_of(session, access.event.id, table_id)
        back = f"{_base(access)}/tables/{table_id}"
        return answer(request, session, access, "table", "comments", back, group)
    where = moderation.parse_filter(session, access.event.id, filter_table, filter_status)
    back = f"{_base(access)}/room?{where.query}#moderation"
    return answer(request, session, access, "room", "moderation", back, where=where)


@router.post("/events/{event_id}/door/count")
def door_count(
    request: Request,
    access: EventDep,
    session: SessionDep,
    role: Annotated[str, Form()],
    delta: Annotated[int, Form()],
) -> Response:
    """One tap at the door: someone of this role came in (or, with minus one, a correction)."""
    attendance.record(
        session, event=access.event, role=role, delta=delta, user_id=access.principal.id
    )
    return answer(request, session, access, "door", "counts", f"{_base(access)}/door")


@router.post("/events/{event_id}/door/undo")
def door_undo(request: Request, access: EventDep, session: SessionDep) -> Response:
    """Take back my last tap at the door."""
    attendance.undo_last(session, event=access.event, user_id=access.principal.id)
    return answer(request, session, access, "door", "counts", f"{_base(access)}/door")


@router.post("/events/{event_id}/room/question")
def move_question(
    request: Request,
    access: ManagedEventDep,
    session: SessionDep,
    direction: Annotated[Literal["next", "previous"], Form()] = "next",
) -> Response:
    """Move every table and phone to the next (or previous) question."""
    questions.step(session, event=access.event, direction=direction)
    return answer(request, session, access, "room", "question", f"{_base(access)}/room")


@router.post("/events/{event_id}/room/timer")
def question_timer(
    request: Request,
    access: ManagedEventDep,
    session: SessionDep,
    action: Annotated[Literal["start", "pause", "add"], Form()],
) -> Response:
    """Start, pause or add five minutes to the current question's countdown."""
    questions.timer(session, event=access.event, action=action)
    return answer(request, session, access, "room", "question", f"{_base(access)}/room")


@router.post("/events/{event_id}/room/status")
def room_status(
    access: ManagedEventDep,
    session: SessionDep,
    status: Annotated[Literal["open", "closed"], Form()],
) -> Response:
    """Open or close the event from the control room."""
    events.set_status(session, event=access.event, status=status)
    return RedirectResponse(f"{_base(access)}/room", status_code=303)


@router.post("/events/{event_id}/panel/{question_id}")
def panel_answer(
    request: Request,
    found: EventPanelQuestionDep,
    access: ManagedEventDep,
    session: SessionDep,
    status: Annotated[Literal["answered", "dismissed", "open"], Form()],
    answer_text: Annotated[str, Form(alias="answer")] = "",
) -> Response:
    """Mark a panel question answered (with a summary of the answer) or dismiss it."""
    question, _ = found
    panel.answer_question(session, question=question, status=status, answer=answer_text)
    return answer(request, session, access, "room", "panel", f"{_base(access)}/room#panel")
