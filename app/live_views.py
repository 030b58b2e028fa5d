"""The live views' fragments: which fragments each view has, what a change touches, and the one
function that renders a fragment, used by full page loads and live pushes alike."""

from collections.abc import Iterable
from typing import Any

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from app.live.broker import Broker, Channel
from app.live.changes import Change
from app.models import Comment, Event, Group
from app.models.comments import PanelStatus
from app.models.events import EventStatus
from app.services import attendance, events, moderation, night, privacy
from app.services.access import EventAccess
from app.services.moderation import ModerationFilter
from app.templating import render, templates

FRAGMENTS: dict[str, tuple[str, ...]] = {
    "table": ("question", "attendance", "comments"),
    "room": ("question", "balance", "tables", "moderation", "panel"),
    "screen": ("question", "comments", "panel"),
    "resident": ("question", "comments", "panel"),
    "door": ("counts",),
}

# What each kind of change touches, by view. An "event" change (opened, closed) touches all.
AFFECTS: dict[str, dict[str, set[str]]] = {
    "comment": {
        "table": {"comments"},
        "room": {"tables", "moderation"},
        "screen": {"comments"},
        "resident": {"comments"},
    },
    # Residents and the wall show the vote counts; the room shows them per table.
    "vote": {
        "table": {"comments"},
        "room": {"tables"},
        "screen": {"comments"},
        "resident": {"comments"},
    },
    "attendance": {"table": {"attendance"}, "room": {"balance", "tables"}, "door": {"counts"}},
    "question": {view: {"question"} for view in ("table", "room", "screen", "resident")},
    "panel": {"room": {"panel"}, "screen": {"panel"}, "resident": {"panel"}},
    "event": {view: set(names) for view, names in FRAGMENTS.items()},
}
# These changes reach a table's view only when they happened at that table.
AT_ONE_TABLE = {"comment", "vote", "attendance"}


def template_for(view: str, name: str) -> str:
    if name == "question":
        return "partials/night/_question.html"
    return f"partials/{view}/_{name}.html"


def context(
    session: Session,
    view: str,
    event: Event,
    group: Group | None,
    names: Iterable[str],
    where: ModerationFilter | None = None,
) -> dict[str, Any]:
    """Everything the named fragments of a view need, queried once (`where` filters the room's
    moderation list)."""
    ctx: dict[str, Any] = {"view": view, "event": event, "group": group}
    group_id = group.id if group is not None else None
    for name in names:
        if name == "question":
            ctx["state"] = night.question_state(session, event.id)
            if view == "resident" and event.status == EventStatus.CLOSED:
                ctx["public_page"] = privacy.public_page(session, event)
        elif name == "comments" and view == "table" and group_id is not None:
            ctx["comments"] = night.table_comments(session, event.id, group_id)
        elif name == "comments" and view == "resident":
            ctx["table_comments"] = (
                night.published(session, event.id, group_id=group_id) if group_id else []
            )
            ctx["room_comments"] = night.published(session, event.id, other_than_group=group_id)
        elif name == "comments":
            ctx["comments"] = night.published(session, event.id)
        elif name in ("attendance", "balance"):
            ctx["balance"] = attendance.balance(session, event.id)
        elif name == "counts":
            ctx["balance"] = attendance.balance(session, event.id, door_only=True)
        elif name == "tables":
            people: dict[int, int] = {}
            for rc in attendance.balance(session, event.id).roles:
                for table_id, n in rc.tables.items():
                    people[table_id] = people.get(table_id, 0) + n
            ctx["tables"] = night.tables_at_a_glance(session, event.id, people)
        elif name == "moderation":
            where = where or ModerationFilter()
            ctx["queue"] = moderation.moderation_list(session, event.id, where)
            ctx["where"] = where
            ctx["table_names"] = {g.id: g.name for g in events.list_groups(session, event.id)}
            ctx["status_choices"] = moderation.STATUS_CHOICES
        elif name == "panel":
            statuses: tuple[PanelStatus, ...] = (PanelStatus.OPEN,)
            if view != "room":
                statuses += (PanelStatus.ANSWERED,)
            ctx["panel"] = night.panel_questions(session, event.id, statuses=statuses)
    return ctx


def render_fragments(
    session: Session, view: str, event: Event, group: Group | None, names: Iterable[str]
) -> dict[str, str]:
    names = list(names)
    # No request: a pushed fragment is the same for every subscriber, so it carries no
    # per-session CSRF field (htmx sends the page's token in a header instead).
    ctx = context(session, view, event, group, names) | {"request": None}
    return {name: templates.get_template(template_for(view, name)).render(ctx) for name in names}


class LiveViews:
    """The broker's view of the presentation layer (see `live.Views`)."""

    def fragments(self, view: str) -> tuple[str, ...]:
        return FRAGMENTS[view]

    def plan(
        self, session: Session, batch: list[Change], channels: list[Channel]
    ) -> dict[Channel, set[str]]:
        plan: dict[Channel, set[str]] = {}
        for change in batch:
            by_view = AFFECTS.get(change.kind, {})
            table = _table_of(session, change)
            for channel in channels:
                if channel.event_id != change.event_id or channel.view not in by_view:
                    continue
                if (
                    channel.view == "table"
                    and change.kind in AT_ONE_TABLE
                    and channel.group_id != table
                ):
                    continue
                plan.setdefault(channel, set()).update(by_view[channel.view])
        return plan

    def render(self, session: Session, channel: Channel, names: set[str]) -> dict[str, str]:
        event = session.get(Event, channel.event_id)
        if event is None:
            return {}
        group = None
        if channel.group_id is not None:
            group = night.group_of(session, event.id, channel.group_id)
            if group is None:
                return {}
        ordered = [n for n in FRAGMENTS[channel.view] if n in names]
        return render_fragments(session, channel.view, event, group, ordered)


def _table_of(session: Session, change: Change) -> int | None:
    if "group_id" in change.ids or change.kind not in ("comment", "vote"):
        return change.ids.get("group_id")
    comment_id = change.ids.get("comment_id")
    comment = session.get(Comment, comment_id) if comment_id else None
    return comment.group_id if comment is not None else None


def broker_of(request: Request) -> Broker:
    broker: Broker | None = getattr(request.app.state, "broker", None)
    if broker is None:
        raise RuntimeError("the live broker is started by the application's lifespan")
    return broker


async def respond(request: Request, channel: Channel) -> Response:
    broker = broker_of(request)
    if "text/event-stream" not in request.headers.get("accept", ""):
        body = b"".join(await broker.snapshot(channel))
        return Response(body, media_type="text/event-stream")
    return stream_response(broker, channel)


def stream_response(broker: Broker, channel: Channel) -> StreamingResponse:
    # The broker's stream is already encoded, keep-alives included: a plain streaming
    # response carries it with the fewest tasks per open phone (memory is what limits how many
    # one process serves).
    return StreamingResponse(
        broker.stream(channel),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def live_page(
    request: Request,
    session: Session,
    access: EventAccess,
    view: str,
    group: Group | None = None,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
    where: ModerationFilter | None = None,
) -> Response:
    ctx = context(session, view, access.event, group, FRAGMENTS[view], where)
    ctx |= {"access": access, "errors": {}, "raw": {}, **(extra or {})}
    return render(request, f"pages/night/{view}.html", ctx, status_code=status_code)
