"""The one form type: what it reads, what it refuses, and that a refusal undoes its writes."""

from datetime import date

from sqlmodel import Session, select

from app.forms import FilledForm
from app.models import Organisation
from app.services.errors import Conflict, DomainError
from tests.support import factories


def test_a_refusal_undoes_the_services_writes_and_shows_at_its_field(db: Session) -> None:
    form = FilledForm(raw={"name": "Lambeth"})
    with form.attempt(db, "name"):
        db.add(Organisation(name="Half written", slug="half-written"))
        db.flush()
        raise Conflict("That slug is taken", field="slug")
    assert form.errors == {"slug": "That slug is taken"}
    assert form.status_code == 409
    assert not form.ok
    assert db.exec(select(Organisation).where(Organisation.slug == "half-written")).first() is None


def test_what_went_before_the_attempt_stays(db: Session) -> None:
    org = factories.org(db)
    form = FilledForm()
    with form.attempt(db, "name"):
        org.name = "Renamed then refused"
        db.flush()
        raise DomainError("No")
    assert form.errors == {"name": "No"}  # a refusal naming no field shows at the default
    db.refresh(org)
    assert org.name != "Renamed then refused"
    assert db.get(Organisation, org.id) is not None


def test_an_accepted_attempt_is_kept(db: Session) -> None:
    form = FilledForm()
    with form.attempt(db, "name"):
        db.add(Organisation(name="Kept", slug="kept-org"))
    assert form.ok and form.refusal is None
    assert db.exec(select(Organisation).where(Organisation.slug == "kept-org")).one().name == "Kept"


def test_a_refusal_can_be_shown_where_the_page_shows_it(db: Session) -> None:
    form = FilledForm()
    with form.attempt(db, "status", rename=lambda _: "status"):
        raise DomainError("Closed already", field="event.status")
    assert form.errors == {"status": "Closed already"}
    assert isinstance(form.refusal, DomainError)


def test_texts_dates_and_numbers_are_read_with_a_message_each() -> None:
    form = FilledForm(
        raw={"title": "  ", "long": "x" * 201, "on": "2027-09-01", "bad_on": "1 Sept", "n": "7"}
    )
    assert form.text("title", required="Enter a title") == ""
    form.text("long")
    assert form.day("on") == date(2027, 9, 1)
    assert form.day("bad_on") is None
    assert form.day("missing", required=False) is None
    assert form.number("n", low=1, high=5, message="From 1 to 5") is None
    assert form.moment("when") is None
    assert form.errors == {
        "title": "Enter a title",
        "long": "Use 200 characters or fewer",
        "bad_on": "Enter a date, for example 2027-09-01",
        "n": "From 1 to 5",
        "when": "Enter a date and time, for example 2027-09-15 16:00",
    }
