"""The resident's phone: join by code, read the question, comment, vote, ask the panel.

Every form here works as a plain POST without JavaScript; htmx only makes it quicker. Nothing
stored links a resident's words or votes to their session: the session cookie holds only the
CSRF token.
"""

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import SessionDep, verify_csrf
from app.forms import FilledForm
from app.live_views import FRAGMENTS, context
from app.models import Event, Group
from app.schemas.common import RowId
from app.services import comments, equality, events, panel, voters
from app.services.access import table_at_meeting
from app.services.resident import resident_event
from app.templating import is_htmx, render

router = APIRouter(include_in_schema=False)
CsrfOK = [Depends(verify_csrf)]
VOTE_WORDS = {"agree": "agreed", "disagree": "disagreed", "pass": "passed"}


def _event(session: Session, code: str) -> Event:
    return events.get_by_join_code(session, code)


def _count_write(request: Request, session: Session, code: str) -> Event:
    """The event, after counting the write against the flood limit as every resident write
    is (the address is never kept)."""
    return resident_event(session, code, request.client.host if request.client else None)


def _group(session: Session, event: Event, group_id: int | None) -> Group | None:
    if group_id is None:
        return None
    return table_at_meeting(session, event.id, group_id)


def home(event: Event, group: Group | None) -> str:
    return f"/j/{event.join_code}" + (f"/t/{group.id}" if group else "")


def page(
    request: Request,
    session: Session,
    event: Event,
    group: Group | None,
    errors: dict[str, str] | None = None,
    raw: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    ctx: dict[str, Any] = context(session, "resident", event, group, FRAGMENTS["resident"])
    ctx |= {
        "groups": events.list_groups(session, event.id) if group is None else [],
        "errors": errors or {},
        "raw": raw or {},
        "sent": request.query_params.get("sent", ""),
        "ethnic_groups": equality.ETHNIC_GROUPS,
        "age_bands": equality.AGE_BANDS,
        "boroughs": equality.BOROUGHS,
        "prefer_not": equality.PREFER_NOT,
        "home": home(event, group),
        "my_votes": _my_votes(request, session, event),
    }
    return render(request, "pages/night/resident.html", ctx, status_code=status_code)


def _my_votes(request: Request, session: Session, event: Event) -> dict[str, str]:
    """Votes sent from this browser without JavaScript (live.js marks the others)."""
    if not request.session.get("csrf") or event.status != "open":
        return {}
    assert event.id is not None
    return voters.my_votes(session, event.id, voter_key(request, None))


@router.get("/j/{code}")
def join(request: Request, code: str, session: SessionDep) -> Response:
    """The QR target: the meeting's current question and what people are saying."""
    return page(request, session, _event(session, code), None)


@router.get("/j/{code}/t/{group_id}")
def join_table(request: Request, code: str, group_id: RowId, session: SessionDep) -> Response:
    """The same, for one table (its own QR code)."""
    event = _event(session, code)
    return page(request, session, event, _group(session, event, group_id))


def _failed(
    request: Request, session: Session, code: str, group_id: int | None, form: FilledForm
) -> Response:
    event = _event(session, code)
    group = _group(session, event, group_id)
    return page(request, session, event, group, form.errors, form.raw, form.status_code)


@router.post("/j/{code}/comments", dependencies=CsrfOK)
def post_comment(
    request: Request,
    code: str,
    session: SessionDep,
    body: Annotated[str, Form()] = "",
    group_id: Annotated[RowId | None, Form()] = None,
) -> Response:
    """Send a comment on the current question (from the table's page: for that table)."""
    event = _event(session, code)
    form = FilledForm(raw={"body": body})
    with form.attempt(session, "body"):
        event = _count_write(request, session, code)
        group = _group(session, event, group_id)
        # Without a question named, the comment goes to the question active when it arrives.
        comment = comments.submit_comment(session, event=event, body=body, group_id=group_id)
    if not form.ok:
        return _failed(request, session, code, group_id, form)
    return RedirectResponse(f"{home(event, group)}?sent={comment.status}#send", status_code=303)


def voter_key(request: Request, supplied: str | None) -> str:
    """The browser's random key; without JavaScript, one derived from the CSRF token (which is
    random per browser session too), so votes still link only to each other."""
    if supplied:
        return supplied
    return hashlib.sha256(f"voter|{request.session.get('csrf', '')}".encode()).hexdigest()


@router.post("/j/{code}/comments/{comment_id}/vote", dependencies=CsrfOK)
def vote(
    request: Request,
    code: str,
    comment_id: RowId,
    session: SessionDep,
    vote: Annotated[str, Form()] = "",
    voter_key_field: Annotated[str, Form(alias="voter_key")] = "",
    x_voter_key: Annotated[str | None, Header()] = None,
    group_id: Annotated[int | None, Form()] = None,
) -> Response:
    """Agree, disagree or pass on a published comment: one tap, a second vote replaces it."""
    event = _event(session, code)
    key = voter_key(request, x_voter_key or voter_key_field)
    form = FilledForm()
    with form.attempt(session, "body"):
        event = _count_write(request, session, code)
        group = _group(session, event, group_id)
        comments.cast_vote(session, event=event, comment_id=comment_id, voter_key=key, vote=vote)
    if form.refusal is not None:
        if is_htmx(request):
            raise form.refusal  # the phone's script shows it where the tap was
        return _failed(request, session, code, group_id, form)
    if is_htmx(request):
        return Response(status_code=204)
    return RedirectResponse(f"{home(event, group)}#c{comment_id}", status_code=303)


@router.post("/j/{code}/questions", dependencies=CsrfOK)
def ask(
    request: Request,
    code: str,
    session: SessionDep,
    body: Annotated[str, Form()] = "",
    group_id: Annotated[RowId | None, Form()] = None,
) -> Response:
    """Put a question to the panel, anonymously."""
    event = _event(session, code)
    form = FilledForm(raw={"question": body})
    with form.attempt(session, "question", rename=lambda _: "question"):
        event = _count_write(request, session, code)
        group = _group(session, event, group_id)
        panel.ask_question(session, event=event, body=body)
    if not form.ok:
        return _failed(request, session, code, group_id, form)
    return RedirectResponse(f"{home(event, group)}?sent=question#panel", status_code=303)


@router.post("/j/{code}/questions/{question_id}/upvote", dependencies=CsrfOK)
def upvote(
    request: Request,
    code: str,
    question_id: RowId,
    session: SessionDep,
    voter_key_field: Annotated[str, Form(alias="voter_key")] = "",
    x_voter_key: Annotated[str | None, Header()] = None,
    group_id: Annotated[int | None, Form()] = None,
) -> Response:
    """Say "me too" to a panel question (once per browser)."""
    event = _event(session, code)
    key = voter_key(request, x_voter_key or voter_key_field)
    event = _count_write(request, session, code)
    group = _group(session, event, group_id)
    panel.upvote_question(session, event=event, question_id=question_id, voter_key=key)
    if is_htmx(request):
        return Response(status_code=204)
    return RedirectResponse(f"{home(event, group)}#pq{question_id}", status_code=303)


@router.post("/j/{code}/equality", dependencies=CsrfOK)
def equality_answers(
    request: Request,
    code: str,
    session: SessionDep,
    ethnic_group: Annotated[str, Form()] = "",
    age_band: Annotated[str, Form()] = "",
    borough: Annotated[str, Form()] = "",
    group_id: Annotated[RowId | None, Form()] = None,
) -> Response:
    """The optional monitoring questions, stored apart from everything else."""
    event = _event(session, code)
    raw = {"ethnic_group": ethnic_group, "age_band": age_band, "borough": borough}
    form = FilledForm(raw=raw)
    with form.attempt(session, "body"):
        event = _count_write(request, session, code)
        group = _group(session, event, group_id)
        equality.submit_answer(
            session,
            event=event,
            ethnic_group=ethnic_group or None,
            age_band=age_band or None,
            borough=borough or None,
        )
    if not form.ok:
        return _failed(request, session, code, group_id, form)
    return RedirectResponse(f"{home(event, group)}?sent=equality#equality", status_code=303)
