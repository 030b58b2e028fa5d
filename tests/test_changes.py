from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.live import changes
from app.models import Event


@pytest.fixture
def heard() -> Iterator[list[changes.Change]]:
    got: list[changes.Change] = []
    changes.subscribe(got.append)
    yield got
    changes.unsubscribe(got.append)


def test_changes_are_announced_after_commit(engine: Engine, heard: list[changes.Change]) -> None:
    with Session(engine) as session:
        changes.record(session, "comment", 7, comment_id=3)
        assert heard == []
        session.commit()
    assert heard == [changes.Change("comment", 7, {"comment_id": 3})]


def test_rolled_back_changes_are_never_announced(
    engine: Engine, heard: list[changes.Change]
) -> None:
    with Session(engine) as session:
        session.exec(select(Event)).all()
        changes.record(session, "vote", 7, comment_id=3)
        session.rollback()
        session.commit()
    assert heard == []


def test_a_change_in_a_released_savepoint_waits_for_the_transactions_commit(
    engine: Engine, heard: list[changes.Change]
) -> None:
    """A form's attempt runs in a savepoint: the views must not read before it is on disk."""
    with Session(engine) as session:
        session.exec(select(Event)).all()
        with session.begin_nested():
            changes.record(session, "vote", 7, comment_id=3)
        assert heard == []
        session.commit()
    assert heard == [changes.Change("vote", 7, {"comment_id": 3})]


def test_a_savepoint_rolled_back_keeps_what_was_recorded_before_it(
    engine: Engine, heard: list[changes.Change]
) -> None:
    with Session(engine) as session:
        session.exec(select(Event)).all()
        changes.record(session, "comment", 7, comment_id=1)
        savepoint = session.begin_nested()
        changes.record(session, "vote", 7, comment_id=3)
        savepoint.rollback()
        session.commit()
    assert changes.Change("comment", 7, {"comment_id": 1}) in heard
