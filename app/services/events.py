"""Events: creation with questions, tables, roles and co-hosts; status; join codes."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, case, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.live import changes
from app.models import (
    Comment,
    Event,
    Group,
    GroupFacilitator,
    Question,
    User,
    utcnow,
)
from app.services import attendance
from app.services.access import Principal, visible_events_filter
from app.services.attendance import RoleSpec
from app.services.errors import Conflict, DomainError, NotFound

# Part of this module's API: callers set an event's hosts through `events`.
from app.services.hosting import set_cohosts, set_facilitators, set_programme
from app.services.opinion_groups import store

# No 0/O, 1/I/L: read aloud or typed from a projector without confusion.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
TRANSITIONS: dict[str, set[str]] = {"draft": {"open"}, "open": {"closed"}, "closed": {"open"}}


@dataclass
class QuestionSpec:
    text: str
    time_box_minutes: int | None = None


@dataclass
class GroupSpec:
    name: str
    facilitator_ids: list[int] = field(default_factory=list)
    # The table this row edits (the set-up form's rows); None: matched by position.
    id: int | None = None


def new_join_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not session.exec(select(Event.id).where(Event.join_code == code)).first():
            return code


# Built once: a resident request looks its event up by code, and building the statement
# each time cost more than running it.
_BY_JOIN_CODE = select(Event).where(Event.join_code == bindparam("code"))


def get_by_join_code(session: Session, code: str) -> Event:
    event = session.exec(_BY_JOIN_CODE, params={"code": code.strip().upper()}).first()
    if event is None:
        raise NotFound("No meeting has this join code", field="code")
    return event


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError("The end must be after the start", field="ends_at")


def create_event(
    session: Session,
    *,
    organisation_id: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    programme_id: int | None = None,
    venue: str = "",
    area: str = "",
    description: str = "",
    moderation: str = "post",
    recording: str = "recorded",
    equality_monitoring: bool = True,
    questions: list[QuestionSpec] | None = None,
    groups: list[GroupSpec] | None = None,
    roles: list[RoleSpec] | None = None,
    cohost_ids: list[int] | None = None,
    principal: Principal | None = None,
) -> Event:
    """Create a draft event with everything it needs, or nothing at all.

    With a `principal`, whatever belongs to an organisation they don't manage (a co-host,
    a programme, a facilitator) becomes an invitation; without one (the demo, the command
    line) it is taken as given.
    """
    title = title.strip()
    if not title:
        raise DomainError("Enter a title", field="title")
    _check_times(starts_at, ends_at)
    event = Event(
        organisation_id=organisation_id,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        area=area.strip(),
        description=description.strip(),
        moderation=moderation,
        recording=recording,
        equality_monitoring=equality_monitoring,
        join_code=new_join_code(session),
    )
    session.add(event)
    session.flush()
    assert event.id is not None
    set_programme(session, event=event, programme_id=programme_id, principal=principal)
    set_cohosts(session, event=event, organisation_ids=cohost_ids or [], principal=principal)
    replace_questions(session, event=event, questions=questions or [])
    replace_groups(session, event=event, groups=groups or [], principal=principal)
    attendance.replace_roles(session, event=event, roles=roles)
    return event


def update_event(
    session: Session, *, event: Event, principal: Principal | None = None, **changes: object
) -> Event:
    """Apply changes to an event's own fields; status goes through set_status."""
    status = changes.pop("status", None)
    if "programme_id" in changes:
        programme_id = changes.pop("programme_id")
        assert programme_id is None or isinstance(programme_id, int)
        set_programme(session, event=event, programme_id=programme_id, principal=principal)
    for name, value in changes.items():
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        setattr(event, name, value)
    if not event.title:
        raise DomainError("Enter a title", field="title")
    _check_times(event.starts_at, event.ends_at)
    session.add(event)
    if status is not None and status != event.status:
        set_status(session, event=event, status=str(status))
    session.flush()
    return event


def set_status(session: Session, *, event: Event, status: str) -> Event:
    if status not in TRANSITIONS:
        raise DomainError("Status must be draft, open or closed", field="status")
    if status not in TRANSITIONS[event.status]:
        raise Conflict(f"A {event.status} event cannot become {status}", field="status")
    if event.status == "closed" and event.summary_published_at is not None:
        raise Conflict("The summary is published: this event cannot reopen", field="status")
    now = utcnow()
    if status == "open":
        event.opened_at = event.opened_at or now
        event.closed_at = None
        _activate_first_question(session, event)
    if status == "closed":
        event.closed_at = now
    event.status = status
    session.add(event)
    session.flush()
    if status == "closed":
        # The votes are in: store the final opinion groups now, so the summary of a closed
        # meeting is complete and reads the same every time, whatever the worker is doing.
        store.ensure_current(session, event_id=event.id or 0)
    changes.record(session, "event", event.id)
    return event


def _activate_first_question(session: Session, event: Event) -> None:
    questions = list_questions(session, event.id)
    if questions and not any(q.status == "active" for q in questions):
        upcoming = [q for q in questions if q.status == "upcoming"]
        if upcoming:
            upcoming[0].status = "active"
            upcoming[0].activated_at = utcnow()
            session.add(upcoming[0])


def list_questions(session: Session, event_id: int | None) -> list[Question]:
    return list(
        session.exec(
            select(Question).where(Question.event_id == event_id).order_by(col(Question.position))
        ).all()
    )


def list_groups(session: Session, event_id: int | None) -> list[Group]:
    return list(
        session.exec(
            select(Group).where(Group.event_id == event_id).order_by(col(Group.position))
        ).all()
    )


def facilitators_by_group(session: Session, event_id: int | None) -> dict[int, list[User]]:
    rows = session.exec(
        select(GroupFacilitator.group_id, User)
        .join(User, col(User.id) == GroupFacilitator.user_id)
        .join(Group, col(Group.id) == GroupFacilitator.group_id)
        .where(Group.event_id == event_id)
        .order_by(col(User.email))
    ).all()
    out: dict[int, list[User]] = {}
    for group_id, user in rows:
        out.setdefault(group_id, []).append(user)
    return out


def _validate_question(spec: QuestionSpec, index: int) -> str:
    text = spec.text.strip()
    if not text:
        raise DomainError(f"Question {index + 1} is empty", field=f"questions.{index}.text")
    if len(text) > 500:
        raise DomainError(
            f"Question {index + 1} is over 500 characters", field=f"questions.{index}.text"
        )
    if spec.time_box_minutes is not None and not 1 <= spec.time_box_minutes <= 240:
        raise DomainError(
            "A time box is between 1 and 240 minutes", field=f"questions.{index}.time_box_minutes"
        )
    return text


def replace_questions(session: Session, *, event: Event, questions: list[QuestionSpec]) -> None:
    """Make the event's questions these, in order, keeping rows (and their comments) by position."""
    texts = [_validate_question(spec, i) for i, spec in enumerate(questions)]
    existing = list_questions(session, event.id)
    for extra in existing[len(texts) :]:
        if session.exec(select(Comment.id).where(Comment.question_id == extra.id)).first():
            raise Conflict(
                f"Question {extra.position + 1} has comments and cannot be removed",
                field="questions",
            )
        session.delete(extra)
    assert event.id is not None
    for position, (spec, text) in enumerate(zip(questions, texts, strict=True)):
        if position < len(existing):
            row = existing[position]
            row.text, row.time_box_minutes = text, spec.time_box_minutes
        else:
            row = Question(
                event_id=event.id,
                position=position,
                text=text,
                time_box_minutes=spec.time_box_minutes,
            )
        session.add(row)
    session.flush()


def replace_groups(
    session: Session, *, event: Event, groups: list[GroupSpec], principal: Principal | None = None
) -> None:
    """Make the event's tables these, in order, with their facilitators."""
    names: list[str] = []
    for i, spec in enumerate(groups):
        name = spec.name.strip()
        if not name or len(name) > 100:
            raise DomainError(
                f"Table {i + 1} needs a name of 1 to 100 characters", f"groups.{i}.name"
            )
        if name.lower() in (n.lower() for n in names):
            raise DomainError(f"There are two tables called {name}", f"groups.{i}.name")
        names.append(name)
    existing = list_groups(session, event.id)
    by_id = {g.id: g for g in existing}
    if any(spec.id is not None for spec in groups):
        kept = [by_id.get(spec.id) if spec.id is not None else None for spec in groups]
    else:  # by position, as the API's lists are
        kept = [existing[i] if i < len(existing) else None for i in range(len(groups))]
    for extra in existing:
        if any(extra is k for k in kept):
            continue
        if session.exec(select(Comment.id).where(Comment.group_id == extra.id)).first():
            raise Conflict(f"{extra.name} has comments and cannot be removed", field="groups")
        session.delete(extra)
    assert event.id is not None
    for position, (spec, name, old) in enumerate(zip(groups, names, kept, strict=True)):
        if old is not None:
            row = old
            row.name, row.position = name, position
        else:
            row = Group(event_id=event.id, position=position, name=name)
        session.add(row)
        session.flush()
        assert row.id is not None
        set_facilitators(
            session, group=row, user_ids=spec.facilitator_ids, event=event, principal=principal
        )
    session.flush()


def count_comments(session: Session, event_id: int) -> int:
    return session.exec(select(func.count()).where(Comment.event_id == event_id)).one()


# Open events first, then drafts, then closed ones; by start within each.
_BY_STATUS = (
    case((col(Event.status) == "open", 0), (col(Event.status) == "draft", 1), else_=2),
    col(Event.starts_at),
    col(Event.id),
)


def visible_events_query(principal: Principal, status: str | None = None) -> SelectOfScalar[Event]:
    """The events this caller may see (open ones first), for a page of the API."""
    query = select(Event).where(visible_events_filter(principal)).order_by(*_BY_STATUS)
    return query.where(col(Event.status) == status) if status else query


def visible_events(session: Session, principal: Principal) -> list[Event]:
    """The events this caller may see, latest first (the events page)."""
    query = select(Event).where(visible_events_filter(principal))
    return list(session.exec(query.order_by(col(Event.starts_at).desc())).all())
