"""What pages and the API read: the cached result with the comments' text joined in."""

from typing import Any

from sqlmodel import Session, col, select

from app.models import Comment, OpinionGroupResult
from app.services.opinion_groups import scheduler, store
from app.services.opinion_groups.opinion_map import regions

LIST_NAMES = ("agree", "disagree", "divided", "uncertain")


def current_result(session: Session, event_id: int) -> OpinionGroupResult:
    """The stored result; if none yet, one computed now (version 0) while the worker stores one."""
    row = store.cached(session, event_id)
    if row is not None:
        return row
    scheduler.request(event_id)
    return store.compute_now(session, event_id=event_id)


def _comment_ids(payload: dict[str, Any]) -> set[int]:
    ids = {r["comment_id"] for g in payload.get("groups", []) for r in g["representative"]}
    for name in LIST_NAMES:
        ids |= {e["comment_id"] for e in payload.get("lists", {}).get(name, [])}
    return ids


def describe(session: Session, result: OpinionGroupResult) -> dict[str, Any]:
    """The result as pages and the API show it: comment text joined in, and any comment
    hidden since the run left out."""
    payload = result.payload
    ids = _comment_ids(payload)
    bodies = {
        c.id: c.body
        for c in session.exec(
            select(Comment).where(col(Comment.id).in_(ids), Comment.status == "published")
        ).all()
    }

    def with_text(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**e, "body": bodies[e["comment_id"]]} for e in entries if e["comment_id"] in bodies
        ]

    groups = [
        {**g, "representative": with_text(g["representative"])} for g in payload.get("groups", [])
    ]
    return {
        "event_id": result.event_id,
        "status": payload.get("status", "not_enough_votes"),
        "message": payload.get("message", ""),
        "version": result.version,
        "computed_at": result.computed_at,
        "voters": payload.get("voters", 0),
        "included": payload.get("included", 0),
        "comments": payload.get("comments", 0),
        "groups": groups,
        "lists": {name: with_text(payload.get("lists", {}).get(name, [])) for name in LIST_NAMES},
        "map": regions(payload.get("groups", [])) if len(groups) > 0 else [],
    }


def opinion_groups_view(session: Session, event_id: int) -> dict[str, Any]:
    """The current result of an event, described: for pages, partials and the API."""
    return describe(session, current_result(session, event_id))


LIST_TITLES = {
    "agree": "Everyone agrees",
    "disagree": "Everyone disagrees",
    "divided": "Divided",
    "uncertain": "Uncertain",
}


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
