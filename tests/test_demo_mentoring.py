"""The demo seeds a mentoring scheme like the case study, alongside the Battersea meeting."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import demo
from app.services import accounts
from app.services.mentoring import people
from tests.support import factories


def test_the_demo_seeds_the_westminster_and_met_scheme(db: Session, client: TestClient) -> None:
    demo.seed(db)
    organiser = accounts.get_user_by_email(db, demo.ORGANISER_EMAIL)
    assert organiser is not None
    headers = factories.token(db, organiser)
    db.commit()
    [cohort] = client.get("/api/v1/cohorts", headers=headers).json()["items"]
    assert {o["slug"] for o in cohort["organisations"]} == {"westminster-council", "met-sw-bcu"}
    assert (cohort["starts_on"], cohort["ends_on"]) == ("2020-09-01", "2021-02-28")
    assert len(cohort["pairs"]) == 11
    assert all(
        p["first"]["organisation_id"] != p["second"]["organisation_id"] for p in cohort["pairs"]
    )
    assert sum(p["flagged"] for p in cohort["pairs"]) == 2
    assert cohort["support"]["role"] == "Systemic therapist"
    sessions = cohort["group_sessions"]
    assert len(sessions) == 3
    assert {(e["status"], e["recording"]) for e in sessions} == {("closed", "not_recorded")}
    assert len(cohort["actions"]) == 8
    assert "Police represented at round tables" in {a["text"] for a in cohort["actions"]}
    assert len(people.list_nominations(db, cohort["id"])) == 5
    first = client.get("/api/v1/events", headers=headers).json()["items"][0]
    assert first["status"] == "open" and first["title"] == "Community meeting: rebuilding trust"


def test_seeding_twice_changes_nothing(db: Session) -> None:
    first = demo.seed(db)
    again = demo.seed(db)
    assert again.event.id == first.event.id and again.password is None
