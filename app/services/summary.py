"""The meeting summary, built once for the page, the JSON API, the exports and the public page.

A fixed handful of queries whatever the size of the meeting: everything is loaded per table
(comments, questions, panel, actions...) and assembled in memory, never per row.
"""

import json
from collections import Counter
from typing import Any

from sqlalchemy import Text, func, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.live import changes
from app.models import Comment, EqualityAnswer, Event, PanelQuestion, Programme, utcnow
from app.models.actions import ActionStatus
from app.models.base import id_of
from app.models.comments import CommentSource, CommentStatus, PanelStatus
from app.models.events import EventStatus
from app.schemas.opinion_groups import SummaryOpinionGroups
from app.schemas.summary import (
    AttendanceSummary,
    EqualityCategory,
    EventFacts,
    PanelItem,
    QuestionSummary,
    RoleAttendance,
    Summary,
    SummaryComment,
    TagCount,
)
from app.services import actions, attendance, events, small_counts
from app.services.errors import Conflict, DomainError
from app.services.opinion_groups.service import current_result, describe

EQUALITY_CATEGORIES = (
    ("ethnic_group", "Ethnic group"),
    ("age_band", "Age band"),
    ("borough", "Borough"),
)
NOT_ANSWERED = "Not answered"
OUTSIDE_QUESTIONS = "Comments made outside the questions"
_COMMENT_COLUMNS = (
    "id",
    "body",
    "question_id",
    "group_id",
    "source",
    "status",
    "starred",
    "featured",
    "tags",
    "agree_count",
    "disagree_count",
    "pass_count",
    "created_at",
)
PUBLIC_ACTION_STATUSES = (
    ActionStatus.AGREED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DONE,
    ActionStatus.DROPPED,
)


def _facts(session: Session, event: Event) -> EventFacts:
    programme = session.get(Programme, event.programme_id) if event.programme_id else None
    return EventFacts(
        id=id_of(event),
        title=event.title,
        status=event.status,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue=event.venue,
        area=event.area,
        description=event.description,
        programme_name=programme.name if programme else None,
        programme_slug=programme.slug if programme else None,
        intro=event.summary_intro,
        published_at=event.summary_published_at,
        closed_at=event.closed_at,
    )


def _attendance(session: Session, event_id: int) -> AttendanceSummary:
    b = attendance.balance(session, event_id)
    roles = [
        RoleAttendance(
            role=rc.role.name,
            side=rc.role.side,
            count=rc.door or rc.at_tables,
            expected=rc.role.expected,
        )
        for rc in b.roles
    ]
    return AttendanceSummary(
        roles=roles,
        community=b.community,
        services=b.services,
        total=b.total,
        absent=b.absent,
        warning=b.warning,
    )


def comment_rows(
    session: Session,
    event_id: int,
    *,
    statuses: tuple[CommentStatus, ...] = (CommentStatus.PUBLISHED,),
    public: bool = False,
) -> list[SummaryComment]:
    """The event's comments in these statuses, most agreed first, with their table's name;
    `public` drops those the organiser left out of the public page."""
    groups = {g.id: g.name for g in events.list_groups(session, event_id)}
    # Plain columns, not ORM objects, and no re-validation of what the database hands back:
    # a meeting can have tens of thousands of comments.
    columns: list[Any] = [col(getattr(Comment, name)) for name in _COMMENT_COLUMNS]
    # Tags come back as text and are parsed only when there are some: most comments have none.
    columns[8] = type_coerce(col(Comment.tags), Text)
    query = sa_select(*columns).where(
        col(Comment.event_id) == event_id, col(Comment.status).in_(statuses)
    )
    if public:
        query = query.where(col(Comment.left_out).is_(False))
    session.flush()  # the raw connection does not autoflush
    rows = session.connection().execute(query).all()
    out = [
        SummaryComment(
            id=r[0],
            body=r[1],
            question_id=r[2],
            group=groups.get(r[3]),
            source=r[4],
            status=r[5],
            starred=bool(r[6]),
            featured=bool(r[7]),
            tags=_tags_of(r[8]),
            agree=r[9],
            disagree=r[10],
            passed=r[11],
            created_at=r[12],
        )
        for r in rows
    ]
    out.sort(key=_by_agreement)
    return out


def _tags_of(value: object) -> list[str]:
    if isinstance(value, str):
        return [] if value in ("", "[]") else [str(t) for t in json.loads(value)]
    return [str(t) for t in value] if isinstance(value, list) else []


def question_names(session: Session, event_id: int) -> dict[int | None, str]:
    """Question labels for tables of comments; None for comments outside the questions."""
    names: dict[int | None, str] = {
        q.id: f"Q{q.position + 1}. {q.text}" for q in events.list_questions(session, event_id)
    }
    names[None] = OUTSIDE_QUESTIONS
    return names


def _by_agreement(c: SummaryComment) -> tuple[int, int, int]:
    return (-(c.agree - c.disagree), -c.agree, c.id)


def _questions(
    session: Session, event_id: int, comments: list[SummaryComment]
) -> list[QuestionSummary]:
    by_question: dict[int | None, list[SummaryComment]] = {}
    for c in comments:
        by_question.setdefault(c.question_id, []).append(c)
    sections = [(q.id, q.position, q.text) for q in events.list_questions(session, event_id)]
    known = {qid for qid, _, _ in sections}
    if any(qid not in known for qid in by_question):
        sections.append((None, len(sections), OUTSIDE_QUESTIONS))
    out = []
    for qid, position, text in sections:
        if qid is None:
            rows = [c for key, cs in by_question.items() if key not in known for c in cs]
            rows.sort(key=_by_agreement)
        else:
            rows = by_question.get(qid, [])
        out.append(
            QuestionSummary(
                id=qid,
                position=position,
                text=text,
                key_points=[c for c in rows if c.source == CommentSource.FACILITATOR],
                starred=[c for c in rows if c.starred],
                comments=[c for c in rows if c.source != CommentSource.FACILITATOR],
                votes=sum(c.votes for c in rows),
            )
        )
    return out


def _panel(session: Session, event_id: int, statuses: tuple[PanelStatus, ...]) -> list[PanelItem]:
    rows = session.exec(
        select(PanelQuestion)
        .where(PanelQuestion.event_id == event_id, col(PanelQuestion.status).in_(statuses))
        .order_by(col(PanelQuestion.upvotes).desc(), col(PanelQuestion.id))
    ).all()
    return [
        PanelItem(id=id_of(p), body=p.body, status=p.status, upvotes=p.upvotes, answer=p.answer)
        for p in rows
    ]


def _tags(comments: list[SummaryComment]) -> list[TagCount]:
    counts = Counter(tag for c in comments for tag in c.tags)
    return [
        TagCount(tag=t, count=n) for t, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


def _equality(session: Session, event_id: int) -> list[EqualityCategory]:
    rows = session.exec(
        select(
            EqualityAnswer.ethnic_group,
            EqualityAnswer.age_band,
            EqualityAnswer.borough,
            func.count(),
        )
        .where(EqualityAnswer.event_id == event_id)
        .group_by(
            col(EqualityAnswer.ethnic_group),
            col(EqualityAnswer.age_band),
            col(EqualityAnswer.borough),
        )
    ).all()
    if not rows:
        return []
    out = []
    for index, (category, label) in enumerate(EQUALITY_CATEGORIES):
        counts: Counter[str] = Counter()
        for row in rows:
            counts[str(row[index] or NOT_ANSWERED)] += int(row[3])
        out.append(
            EqualityCategory(
                category=category,
                label=label,
                cells=small_counts.suppress_breakdown(dict(sorted(counts.items()))),
            )
        )
    return out


def _opinion_groups(
    session: Session, event_id: int, comments: list[SummaryComment]
) -> SummaryOpinionGroups:
    """The stored result only, its comments' text taken from the published comments already
    loaded: one query whether or not a result is stored, and never a computation."""
    bodies = {c.id: c.body for c in comments}
    view = describe(current_result(session, event_id), bodies, event_id=event_id)
    return SummaryOpinionGroups.model_validate(view)


def build(session: Session, *, event: Event, public: bool = False) -> Summary:
    """Everything the summary shows; `public` keeps only what the public may read."""
    event_id = id_of(event)
    comments = comment_rows(session, event_id, public=public)
    action_rows = actions.action_outs(
        session,
        event_ids=[event_id],
        statuses=PUBLIC_ACTION_STATUSES if public else None,
    )
    return Summary(
        event=_facts(session, event),
        attendance=_attendance(session, event_id),
        featured=[c for c in comments if c.featured],
        questions=_questions(session, event_id, comments),
        # Questions are not moderated like comments: the public sees those the panel answered.
        panel=_panel(
            session,
            event_id,
            (PanelStatus.ANSWERED,) if public else (PanelStatus.OPEN, PanelStatus.ANSWERED),
        ),
        tags=_tags(comments),
        equality=_equality(session, event_id),
        equality_note=small_counts.NOTE,
        actions=action_rows,
        comment_count=len(comments),
        vote_count=sum(c.votes for c in comments),
        opinion_groups=_opinion_groups(session, event_id, comments),
    )


def edit(
    session: Session,
    *,
    event: Event,
    intro: str | None = None,
    featured_comment_ids: list[int] | None = None,
) -> Event:
    """Change the introduction and the choice of featured quotes (published comments only)."""
    if intro is not None:
        if len(intro) > 10_000:
            raise DomainError("Keep the introduction to 10,000 characters", field="intro")
        event.summary_intro = intro.replace("\r\n", "\n").strip()
        session.add(event)
    if featured_comment_ids is not None:
        wanted = set(featured_comment_ids)
        rows = session.exec(
            select(Comment).where(
                Comment.event_id == event.id,
                (col(Comment.featured).is_(True)) | (col(Comment.id).in_(wanted)),
            )
        ).all()
        found = {c.id: c for c in rows}
        for cid in wanted:
            c = found.get(cid)
            if c is None:
                raise DomainError(f"Comment {cid} is not in this event", "featured_comment_ids")
            if c.status != CommentStatus.PUBLISHED:
                raise DomainError(
                    f"Comment {cid} is {c.status}: only published comments can be featured",
                    field="featured_comment_ids",
                )
        for c in rows:
            c.featured = c.id in wanted
            session.add(c)
    session.flush()
    changes.record(session, "event", event.id)
    return event


def feature(session: Session, *, event: Event, comment_id: int, featured: bool) -> Comment:
    """Feature one published comment of the event in the summary, or stop featuring it."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.event_id != event.id:
        raise DomainError("No such comment in this event", field="comment_id")
    if featured and comment.status != CommentStatus.PUBLISHED:
        raise DomainError("Only published comments can be featured", field="comment_id")
    comment.featured = featured
    session.add(comment)
    session.flush()
    changes.record(session, "event", event.id)
    return comment


def left_out_ids(session: Session, event_id: int) -> set[int]:
    """The comments kept off the public page (they stay in every staff view and export)."""
    rows = session.exec(
        select(Comment.id).where(Comment.event_id == event_id, col(Comment.left_out).is_(True))
    ).all()
    return {r for r in rows if r is not None}


def leave_out(session: Session, *, event: Event, comment_ids: list[int]) -> None:
    """Keep exactly these comments of the event off the public page; nothing is deleted."""
    wanted = set(comment_ids)
    rows = session.exec(
        select(Comment).where(
            Comment.event_id == event.id,
            (col(Comment.left_out).is_(True)) | (col(Comment.id).in_(wanted)),
        )
    ).all()
    for c in rows:
        c.left_out = c.id in wanted
        session.add(c)
    session.flush()
    changes.record(session, "event", event.id)


def publish(session: Session, *, event: Event) -> Event:
    """Publish a closed event's summary on the programme's public page."""
    if event.status != EventStatus.CLOSED:
        raise Conflict(
            f"The event is {event.status}: close it before publishing its summary", field="status"
        )
    event.summary_published_at = event.summary_published_at or utcnow()
    session.add(event)
    session.flush()
    changes.record(session, "event", event.id)
    return event


def unpublish(session: Session, *, event: Event) -> Event:
    event.summary_published_at = None
    session.add(event)
    session.flush()
    changes.record(session, "event", event.id)
    return event
