"""What pages, the API and the summary read: the stored result with the comments' text."""

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from sqlmodel import Session, col, select

from app.models import Comment, OpinionGroupResult
from app.models.comments import CommentStatus
from app.schemas.opinion_groups import GroupingStatus
from app.services.opinion_groups import scheduler, store

LIST_NAMES = ("agree", "disagree", "divided", "uncertain")
PENDING_MESSAGE = (
    "Not computed yet: opinion groups are worked out in the background from residents' votes "
    "on each other's comments."
)


def current_result(session: Session, event_id: int) -> OpinionGroupResult | None:
    """The stored result, or None while there is none (the background worker is asked for one).

    Nothing is computed here: a request only ever reads what a run stored.
    """
    row = store.cached(session, event_id)
    if row is None:
        scheduler.request(event_id)
    return row


def comment_ids(payload: dict[str, Any]) -> set[int]:
    """Every comment a result names, to look their text up in one query."""
    ids = {r["comment_id"] for g in payload.get("groups", []) for r in g["representative"]}
    for name in LIST_NAMES:
        ids |= {e["comment_id"] for e in payload.get("lists", {}).get(name, [])}
    return ids


def published_bodies(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(
        select(Comment.id, Comment.body).where(
            col(Comment.id).in_(ids), Comment.status == CommentStatus.PUBLISHED
        )
    ).all()
    return {int(cid): body for cid, body in rows if cid is not None}


def describe(
    result: OpinionGroupResult | None, bodies: Mapping[int, str], *, event_id: int
) -> dict[str, Any]:
    """The result as pages, the API and the summary show it: comment text joined in from
    `bodies` (published comments), so any comment hidden since the run is left out."""
    if result is None:
        payload: dict[str, Any] = {"status": GroupingStatus.PENDING, "message": PENDING_MESSAGE}
    else:
        payload = result.payload

    def with_text(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**e, "body": bodies[e["comment_id"]]} for e in entries if e["comment_id"] in bodies
        ]

    groups = [
        {**g, "representative": with_text(g["representative"])} for g in payload.get("groups", [])
    ]
    return {
        "event_id": event_id,
        "status": payload.get("status", GroupingStatus.PENDING),
        "message": payload.get("message", ""),
        "version": result.version if result else 0,
        "computed_at": result.computed_at if result else None,
        "voters": payload.get("voters", 0),
        "included": payload.get("included", 0),
        "comments": payload.get("comments", 0),
        "groups": groups,
        "lists": {name: with_text(payload.get("lists", {}).get(name, [])) for name in LIST_NAMES},
        # Group regions and sizes only: no position of any individual is stored or drawn.
        "map": [asdict(r) for r in _regions(payload.get("groups", []))] if groups else [],
    }


def opinion_groups_view(session: Session, event_id: int) -> dict[str, Any]:
    """The stored result of an event, described: for pages, partials and the API."""
    result = current_result(session, event_id)
    bodies = published_bodies(session, comment_ids(result.payload)) if result else {}
    return describe(result, bodies, event_id=event_id)


LIST_TITLES = {
    "agree": "Everyone agrees",
    "disagree": "Everyone disagrees",
    "divided": "Divided",
    "uncertain": "Uncertain",
}


def _regions(groups: list[dict[str, Any]]) -> list[Any]:
    # numpy loads with the first map drawn, not with every web process.
    from app.services.opinion_groups.opinion_map import regions

    return regions(groups)


def _by_group(entry: dict[str, Any]) -> str:
    return "; ".join(
        f"{s['group']}: {round(s['agree'] * 100)}% agree, {round(s['disagree'] * 100)}% disagree"
        f" ({s['votes']} votes)"
        for s in entry.get("by_group", [])
    )


def export_rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    """The described result as flat rows, for the summary's CSV and spreadsheet exports."""
    rows: list[dict[str, Any]] = []
    for g in view["groups"]:
        for r in g["representative"]:
            rows.append(
                {
                    "section": f"Group {g['label']}",
                    "group_size": g["size"],
                    "comment": r["body"],
                    "direction": r["direction"],
                    "agree_share": r["agree"],
                    "by_group": _by_group(r),
                }
            )
    for name in LIST_NAMES:
        for e in view["lists"][name]:
            rows.append(
                {
                    "section": LIST_TITLES[name],
                    "group_size": "",
                    "comment": e["body"],
                    "direction": "",
                    "agree_share": "",
                    "by_group": _by_group(e),
                }
            )
    return rows
