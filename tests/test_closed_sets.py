"""The closed sets (StrEnums next to their tables), `id_of`, `is_value` and `errors.one_of`."""

import pytest
from sqlalchemy import String

from app.models import Comment, Event
from app.models.base import id_of, is_value
from app.models.comments import CommentStatus
from app.models.events import EventStatus, Side
from app.services.errors import DomainError, one_of


def test_enum_columns_stay_plain_varchars() -> None:
    column = Event.__table__.c.status  # type: ignore[attr-defined]
    assert type(column.type) is String
    assert column.type.length == 10
    assert Comment.__table__.c.status.type.length == 10  # type: ignore[attr-defined]


def test_a_row_serialises_its_status_as_text_whether_member_or_loaded_text() -> None:
    assert Comment(event_id=1, body="x").model_dump()["status"] == "published"
    loaded = Comment(event_id=1, body="x", status="hidden")  # as a VARCHAR comes back
    dumped = loaded.model_dump()["status"]
    assert dumped == CommentStatus.HIDDEN
    assert type(dumped) is str


def test_id_of_refuses_a_row_never_flushed() -> None:
    assert id_of(Comment(id=7, event_id=1, body="x")) == 7
    with pytest.raises(ValueError, match="Comment has no id yet"):
        id_of(Comment(event_id=1, body="x"))


def test_is_value() -> None:
    assert is_value(Side, "community")
    assert is_value(Side, Side.SERVICES)
    assert not is_value(Side, "Community")
    assert not is_value(Side, None)


def test_one_of_gives_the_member_or_the_domain_error() -> None:
    assert one_of(EventStatus, "open", "no", field="status") is EventStatus.OPEN
    with pytest.raises(DomainError) as refused:
        one_of(EventStatus, "opened", "Status must be draft, open or closed", field="status")
    assert refused.value.message == "Status must be draft, open or closed"
    assert refused.value.field == "status"
