"""What changed in a transaction, announced only once it is committed.

Services call `record()` as they change things; after the session commits, every subscriber
(the live broker, the opinion-group scheduler) hears about each change. A rolled-back change is
never announced, so a live view can't show what was not saved.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

Kind = Literal[
    "comment", "vote", "attendance", "question", "panel", "event", "action", "opinion_groups"
]
Listener = Callable[["Change"], None]

_KEY = "pending_changes"
_listeners: list[Listener] = []


@dataclass(frozen=True)
class Change:
    kind: Kind
    event_id: int
    ids: dict[str, int] = field(default_factory=dict, hash=False)

    @classmethod
    def of(cls, kind: Kind, event_id: int, **ids: int | None) -> "Change":
        return cls(
            kind=kind, event_id=event_id, ids={k: v for k, v in ids.items() if v is not None}
        )


def record(session: Session, kind: Kind, event_id: int | None, **ids: int | None) -> None:
    """Note a change, to be announced when the session commits."""
    assert event_id is not None
    record_change(session, Change.of(kind, event_id, **ids))


def record_change(session: Session, change: Change) -> None:
    session.info.setdefault(_KEY, []).append(change)


def announce(pending: list[Change]) -> None:
    """Tell every listener about changes just committed."""
    for change in pending:
        for listener in list(_listeners):
            listener(change)


def subscribe(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    # A savepoint released (a form's attempt) is not yet on disk: wait for the transaction.
    if session.in_nested_transaction():
        return
    announce(session.info.pop(_KEY, []))


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction: SessionTransaction) -> None:
    # A savepoint rolled back keeps what was recorded before it: announcing a change that was
    # undone only renders a view again, while forgetting one would leave a view stale.
    if not previous_transaction.nested:
        session.info.pop(_KEY, None)
