"""Actions taken forward from a meeting: status, dated progress updates, what they answer."""

from collections.abc import Iterable, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from app.live import changes
from app.models import Action, ActionLink, ActionUpdate, Comment, Event, PanelQuestion, utcnow
from app.models.actions import ActionStatus
from app.models.base import id_of
from app.models.comments import CommentStatus
from app.schemas.summary import ActionOut, ActionUpdateOut
from app.services.access import EventAccess, Need, Principal, load_event, visible_events_filter
from app.services.errors import DomainError, Forbidden, NotFound, one_of

# A move to a lower rank is backwards; leaving "dropped" is backwards too.
RANK: dict[ActionStatus, int] = {status: rank for rank, status in enumerate(ActionStatus)}
OPEN_STATUSES = (ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS)
MAX_TEXT = 2000
LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """Due dates are days in the UK, where the meetings happen."""
    return utcnow().astimezone(LONDON).date()


def is_overdue(action: Action, on: date | None = None) -> bool:
    due = action.due_date
    return due is not None and action.status in OPEN_STATUSES and due < (on or today())


def get(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound("No such action", field="action_id")
    return action


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError("Say what will be done", field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(f"Keep the action to {MAX_TEXT} characters", field="text")
    return text


def _clean_owner(owner: str) -> str:
    owner = owner.strip()
    if len(owner) > 200:
        raise DomainError("Keep the owner to 200 characters", field="owner")
    return owner


def check_status(status: str) -> ActionStatus:
    message = f"Status must be one of {', '.join(ActionStatus)}"
    return one_of(ActionStatus, status, message, field="status")


def create(
    session: Session,
    *,
    event: Event,
    text: str,
    owner: str = "",
    due_date: date | None = None,
    status: str = "proposed",
    user_id: int | None = None,
    comment_ids: Sequence[int] = (),
    panel_question_ids: Sequence[int] = (),
) -> Action:
    """Take something forward from a meeting; its due date cannot already be past."""
    initial = check_status(status)
    if due_date is not None and due_date < today():
        raise DomainError("The due date is in the past", field="due_date")
    event_id = id_of(event)
    action = Action(
        event_id=event_id,
        text=_clean_text(text),
        owner=_clean_owner(owner),
        due_date=due_date,
        status=initial,
        created_by_id=user_id,
    )
    session.add(action)
    session.flush()
    set_links(
        session, action=action, comment_ids=comment_ids, panel_question_ids=panel_question_ids
    )
    changes.record(session, "action", event_id, action_id=action.id)
    return action


def _change_status(
    action: Action, status: str, reason: str
) -> tuple[ActionStatus, ActionStatus] | None:
    new = check_status(status)
    if new == action.status:
        return None
    backwards = RANK[new] < RANK[action.status]
    if (backwards or new == ActionStatus.DROPPED) and not reason.strip():
        why = "moving back" if backwards else "being dropped"
        raise DomainError(f"Give a reason for {why} from {action.status} to {new}", field="reason")
    old, action.status = action.status, new
    return old, new


def update(
    session: Session,
    *,
    action: Action,
    user_id: int | None,
    text: str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
    clear_due_date: bool = False,
    status: str | None = None,
    reason: str = "",
    comment_ids: Sequence[int] | None = None,
    panel_question_ids: Sequence[int] | None = None,
) -> Action:
    """Edit an action; a status change is logged as a dated update with its reason."""
    if text is not None:
        action.text = _clean_text(text)
    if owner is not None:
        action.owner = _clean_owner(owner)
    if due_date is not None or clear_due_date:
        action.due_date = due_date
    moved = _change_status(action, status, reason) if status is not None else None
    if moved:
        body = reason.strip() or f"Status changed to {moved[1].replace('_', ' ')}"
        session.add(
            ActionUpdate(
                action_id=id_of(action),
                body=body,
                status_from=moved[0],
                status_to=moved[1],
                user_id=user_id,
            )
        )
    if comment_ids is not None or panel_question_ids is not None:
        set_links(
            session,
            action=action,
            comment_ids=comment_ids,
            panel_question_ids=panel_question_ids,
        )
    action.updated_at = utcnow()
    session.add(action)
    session.flush()
    changes.record(session, "action", action.event_id, action_id=action.id)
    return action


def add_update(
    session: Session, *, action: Action, body: str, user_id: int | None, status: str | None = None
) -> ActionUpdate:
    """A dated progress note, optionally moving the status (the note is then its reason)."""
    body = body.strip()
    if not body:
        raise DomainError("Write what has happened", field="body")
    if len(body) > MAX_TEXT:
        raise DomainError(f"Keep the update to {MAX_TEXT} characters", field="body")
    moved = _change_status(action, status, body) if status else None
    update_row = ActionUpdate(
        action_id=id_of(action),
        body=body,
        status_from=moved[0] if moved else None,
        status_to=moved[1] if moved else None,
        user_id=user_id,
    )
    action.updated_at = utcnow()
    session.add(action)
    session.add(update_row)
    session.flush()
    changes.record(session, "action", action.event_id, action_id=action.id)
    return update_row


def set_links(
    session: Session,
    *,
    action: Action,
    comment_ids: Sequence[int] | None,
    panel_question_ids: Sequence[int] | None,
) -> None:
    """Link the comments and panel questions the action answers, all of its own event."""
    existing = session.exec(select(ActionLink).where(ActionLink.action_id == action.id)).all()
    if comment_ids is not None:
        wanted = set(comment_ids)
        found = set(
            session.exec(
                select(Comment.id).where(
                    col(Comment.id).in_(wanted),
                    Comment.event_id == action.event_id,
                    Comment.status == CommentStatus.PUBLISHED,
                )
            ).all()
        )
        if missing := sorted(wanted - found):
            raise DomainError(
                f"Comment {missing[0]} is not a published comment of this event", "comment_ids"
            )
        _replace(session, action, existing, "comment_id", wanted)
    if panel_question_ids is not None:
        wanted = set(panel_question_ids)
        found = set(
            session.exec(
                select(PanelQuestion.id).where(
                    col(PanelQuestion.id).in_(wanted), PanelQuestion.event_id == action.event_id
                )
            ).all()
        )
        if missing := sorted(wanted - found):
            raise DomainError(
                f"Panel question {missing[0]} is not of this event", field="panel_question_ids"
            )
        _replace(session, action, existing, "panel_question_id", wanted)
    session.flush()


def _replace(
    session: Session, action: Action, existing: Iterable[ActionLink], attr: str, wanted: set[int]
) -> None:
    have = set()
    for link in existing:
        value = getattr(link, attr)
        if value is None:
            continue
        if value in wanted:
            have.add(value)
        else:
            session.delete(link)
    for value in sorted(wanted - have):
        session.add(ActionLink(action_id=id_of(action), **{attr: value}))


def action_outs(
    session: Session,
    *,
    event_ids: Sequence[int] | None = None,
    statuses: Sequence[str] | None = None,
    where: ColumnElement[bool] | None = None,
) -> list[ActionOut]:
    """Actions with their links and latest update, in three queries."""
    query = select(Action)
    if event_ids is not None:
        query = query.where(col(Action.event_id).in_(event_ids))
    if statuses is not None:
        query = query.where(col(Action.status).in_(statuses))
    if where is not None:
        query = query.where(where)
    rows = session.exec(query.order_by(col(Action.due_date), col(Action.id))).all()
    ids = [a.id for a in rows]
    links = session.exec(select(ActionLink).where(col(ActionLink.action_id).in_(ids))).all()
    updates = session.exec(
        select(ActionUpdate)
        .where(col(ActionUpdate.action_id).in_(ids))
        .order_by(col(ActionUpdate.created_at), col(ActionUpdate.id))
    ).all()
    latest = {u.action_id: u for u in updates}
    comments: dict[int, list[int]] = {}
    panel: dict[int, list[int]] = {}
    for link in links:
        if link.comment_id:
            comments.setdefault(link.action_id, []).append(link.comment_id)
        if link.panel_question_id:
            panel.setdefault(link.action_id, []).append(link.panel_question_id)
    on = today()
    out = []
    for a in rows:
        u = latest.get(id_of(a))
        out.append(
            ActionOut(
                id=id_of(a),
                event_id=a.event_id,
                text=a.text,
                owner=a.owner,
                due_date=a.due_date,
                status=a.status,
                overdue=is_overdue(a, on),
                created_at=a.created_at,
                updated_at=a.updated_at,
                comment_ids=sorted(comments.get(id_of(a), [])),
                panel_question_ids=sorted(panel.get(id_of(a), [])),
                latest_update=ActionUpdateOut(**u.model_dump()) if u else None,
            )
        )
    return out


def updates_of(session: Session, action_id: int) -> list[ActionUpdate]:
    return list(
        session.exec(
            select(ActionUpdate)
            .where(ActionUpdate.action_id == action_id)
            .order_by(col(ActionUpdate.created_at).desc(), col(ActionUpdate.id).desc())
        ).all()
    )


def overdue_filter() -> ColumnElement[bool]:
    return (col(Action.status).in_(OPEN_STATUSES)) & (col(Action.due_date) < today())


def load(
    session: Session, principal: Principal, action_id: int, need: Need = "manage"
) -> tuple[Action, EventAccess]:
    """An action and its event, if the caller may see (or manage) that event."""
    action = get(session, action_id)
    try:
        access = load_event(session, principal, action.event_id, need)
    except NotFound:
        raise NotFound("No such action", field="action_id") from None
    return action, access


def one(session: Session, action: Action) -> ActionOut:
    return action_outs(session, where=col(Action.id) == action.id)[0]


def linked_content(
    session: Session,
    *,
    event_id: int,
    comment_ids: Sequence[int],
    panel_question_ids: Sequence[int] = (),
) -> tuple[list[Comment], list[PanelQuestion]]:
    """The event's comments and panel questions with these ids, to show beside an action."""
    comments = session.exec(
        select(Comment).where(col(Comment.id).in_(comment_ids), Comment.event_id == event_id)
    ).all()
    panel = session.exec(
        select(PanelQuestion).where(
            col(PanelQuestion.id).in_(panel_question_ids), PanelQuestion.event_id == event_id
        )
    ).all()
    return list(comments), list(panel)


def for_principal(session: Session, principal: Principal, *, overdue: bool) -> list[ActionOut]:
    """Actions of the events this organiser may see; only the overdue ones when asked."""
    if not principal.managed_org_ids:
        raise Forbidden("Only organisers and owners track actions")
    visible = select(Event.id).where(visible_events_filter(principal))
    where: ColumnElement[bool] = col(Action.event_id).in_(visible)
    if overdue:
        where = where & overdue_filter()
    return action_outs(session, where=where)


def event_titles(session: Session, event_ids: Iterable[int]) -> dict[int, str]:
    rows = session.exec(select(Event.id, Event.title).where(col(Event.id).in_(set(event_ids))))
    return {event_id: title for event_id, title in rows.all() if event_id is not None}
