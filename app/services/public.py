"""What the public may read of a programme, without an account: published summaries, the
programme's cadence, and the "you said, we did" tracker of agreed actions.

Only published summaries count: an event's comments, answers and actions become public when its
summary is published, and only published comments are ever shown.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from app.models import ActionUpdate, Comment, Event, PanelQuestion, Programme
from app.models.base import id_of
from app.models.comments import CommentStatus, PanelStatus
from app.models.events import EventStatus
from app.schemas.summary import ActionOut, Summary
from app.services import actions, programmes, summary
from app.services.actions import LONDON
from app.services.errors import NotFound
from app.services.summary import PUBLIC_ACTION_STATUSES


@dataclass
class CadenceRow:
    event_id: int
    title: str
    starts_at: datetime
    gap_days: int | None  # days since the previous meeting of the programme
    published: bool


@dataclass
class TrackedAction:
    action: ActionOut
    event: Event
    comments: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)  # panel questions it answers


@dataclass
class ProgrammePage:
    programme: Programme
    published: list[Event]
    cadence: list[CadenceRow]
    tracker: list[TrackedAction]

    @property
    def longest_gap(self) -> int | None:
        gaps = [r.gap_days for r in self.cadence if r.gap_days is not None]
        return max(gaps) if gaps else None


def _held_events(session: Session, programme_id: int | None) -> list[Event]:
    """The programme's events that are, or were, on: drafts are plans, not yet public."""
    return list(
        session.exec(
            select(Event)
            .where(Event.programme_id == programme_id, Event.status != EventStatus.DRAFT)
            .order_by(col(Event.starts_at), col(Event.id))
        ).all()
    )


def cadence(held: list[Event]) -> list[CadenceRow]:
    rows = []
    previous: date | None = None
    for e in held:
        day = e.starts_at.astimezone(LONDON).date()
        rows.append(
            CadenceRow(
                event_id=id_of(e),
                title=e.title,
                starts_at=e.starts_at,
                gap_days=(day - previous).days if previous else None,
                published=e.summary_published_at is not None,
            )
        )
        previous = day
    return rows


def tracker(session: Session, published: list[Event]) -> list[TrackedAction]:
    """Agreed (and later) actions of published meetings, with the comments they answer."""
    by_id = {e.id: e for e in published}
    rows = actions.action_outs(
        session, event_ids=[e.id for e in published if e.id], statuses=PUBLIC_ACTION_STATUSES
    )
    linked = {cid for a in rows for cid in a.comment_ids}
    texts = dict(
        session.exec(
            select(Comment.id, Comment.body).where(
                col(Comment.id).in_(linked),
                Comment.status == CommentStatus.PUBLISHED,
                col(Comment.left_out).is_(False),
            )
        ).all()
    )
    # A panel question an organiser tied to an action has been looked at; dismissed ones never show.
    asked = dict(
        session.exec(
            select(PanelQuestion.id, PanelQuestion.body).where(
                col(PanelQuestion.id).in_({q for a in rows for q in a.panel_question_ids}),
                PanelQuestion.status != PanelStatus.DISMISSED,
            )
        ).all()
    )
    return [
        TrackedAction(
            action=a,
            event=by_id[a.event_id],
            comments=[texts[c] for c in a.comment_ids if c in texts],
            questions=[asked[q] for q in a.panel_question_ids if q in asked],
        )
        for a in rows
    ]


def programme_page(session: Session, slug: str) -> ProgrammePage:
    programme = programmes.get_by_slug(session, slug)
    held = _held_events(session, programme.id)
    published = sorted(
        (e for e in held if e.summary_published_at is not None),
        key=lambda e: e.starts_at,
        reverse=True,
    )
    return ProgrammePage(
        programme=programme,
        published=published,
        cadence=cadence(held),
        tracker=tracker(session, published),
    )


def published_summary(session: Session, slug: str, event_id: int) -> tuple[Programme, Summary]:
    programme = programmes.get_by_slug(session, slug)
    event = session.get(Event, event_id)
    if event is None or event.programme_id != programme.id or not event.summary_published_at:
        raise NotFound("No published summary here", field="event_id")
    return programme, summary.build(session, event=event, public=True)


@dataclass
class FeedEntry:
    id: str
    title: str
    body: str
    updated: datetime
    event_id: int


def feed(session: Session, page: ProgrammePage, limit: int = 50) -> list[FeedEntry]:
    """New actions and their progress updates, newest first, for an Atom feed."""
    tracked = {t.action.id: t for t in page.tracker}
    rows = session.exec(
        select(ActionUpdate)
        .where(col(ActionUpdate.action_id).in_(tracked))
        .order_by(col(ActionUpdate.created_at).desc(), col(ActionUpdate.id).desc())
        .limit(limit)
    ).all()
    entries = [
        FeedEntry(
            id=f"action-{t.action.id}",
            title=f"New action: {t.action.text}",
            body=f"Owner: {t.action.owner or 'not yet named'}. Due: "
            + (t.action.due_date.isoformat() if t.action.due_date else "no date set")
            + ".",
            updated=t.action.created_at,
            event_id=id_of(t.event),
        )
        for t in page.tracker
    ]
    for u in rows:
        t = tracked[u.action_id]
        status = f" (now {u.status_to.replace('_', ' ')})" if u.status_to else ""
        entries.append(
            FeedEntry(
                id=f"action-update-{u.id}",
                title=f"{t.action.text}{status}",
                body=u.body,
                updated=u.created_at,
                event_id=id_of(t.event),
            )
        )
    entries.sort(key=lambda e: e.updated, reverse=True)
    return entries[:limit]


def tracker_rows(page: ProgrammePage) -> list[tuple[object, ...]]:
    """The tracker as a table, for the CSV download."""
    rows: list[tuple[object, ...]] = [
        (
            "action",
            "owner",
            "status",
            "due",
            "overdue",
            "latest update",
            "updated",
            "meeting",
            "meeting date",
            "you said",
        )
    ]
    for t in page.tracker:
        a, latest = t.action, t.action.latest_update
        rows.append(
            (
                a.text,
                a.owner,
                a.status,
                a.due_date.isoformat() if a.due_date else "",
                "yes" if a.overdue else "",
                latest.body if latest else "",
                latest.created_at.date().isoformat() if latest else "",
                t.event.title,
                t.event.starts_at.date().isoformat(),
                " | ".join(t.comments),
            )
        )
    return rows
