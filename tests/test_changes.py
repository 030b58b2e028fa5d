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
