"""The set-up form's rows for tables and roles, as a plain form: add and remove rows without
saving, facilitators chosen from the organisation's members, refusals by their row's field."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import AttendanceRole, Comment, Event, Group, GroupFacilitator
from app.services import events
from tests.support import factories


def _form(csrf: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "title": "Spring meeting",
        "starts_at": "2027-04-01T18:30",
        "ends_at": "2027-04-01T20:30",
        "roles-0-name": "Resident",
        "roles-0-side": "community",
        "roles-0-expected": "on",
        "roles-1-name": "Councillor",
        "roles-1-side": "services",
        "roles-1-expected": "on",
        **extra,
    }


def test_the_new_event_form_has_rows_and_facilitators_to_choose(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    db.commit()
    factories.login(client, w.organiser)
    page = client.get("/events/new").text
    assert 'name="groups-0-name"' in page and 'name="groups-1-name"' in page
    assert f'name="groups-0-facilitators" type="checkbox" value="{w.facilitator.id}"' in page
    assert 'name="roles-0-name" type="text" value="Resident"' in page
    assert "textarea" not in page.split('id="table-rows"')[1].split('id="role-rows"')[0]
    # The other organisation's staff are not offered.
    assert w.other_organiser.email not in page


def test_add_and_remove_rows_without_javascript_keep_what_was_typed_and_save_nothing(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    db.commit()
    csrf = factories.login(client, w.organiser)
    before = len(db.exec(select(Event)).all())
    added = client.post(
        "/events/new", data=_form(csrf, **{"groups-0-name": "Table A", "row_action": "add-table"})
    )
    assert added.status_code == 200
    assert 'name="groups-1-name"' in added.text and 'value="Table A"' in added.text
    assert re.search(r'id="groups-1-name"[^>]*\n?[^>]*autofocus', added.text)
    removed = client.post("/events/new", data=_form(csrf, row_action="remove-role-0"))
    assert removed.status_code == 200
    assert 'name="roles-0-name" type="text" value="Councillor"' in removed.text
    assert 'value="Resident"' not in removed.text
    assert len(db.exec(select(Event)).all()) == before


def test_tables_and_facilitators_saved_from_rows(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    db.commit()
    csrf = factories.login(client, w.organiser)
    saved = client.post(
        "/events/new",
        data=_form(
            csrf,
            **{
                "groups-0-name": "Table A",
                "groups-0-facilitators": str(w.facilitator.id),
                "groups-1-name": "",
                "groups-2-name": "Table B",
            },
        ),
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    event = db.exec(select(Event).where(Event.title == "Spring meeting")).one()
    tables = events.list_groups(db, event.id)
    assert [t.name for t in tables] == ["Table A", "Table B"]
    fac = db.exec(select(GroupFacilitator).where(GroupFacilitator.group_id == tables[0].id)).all()
    assert [f.user_id for f in fac] == [w.facilitator.id]
    roles = db.exec(select(AttendanceRole).where(AttendanceRole.event_id == event.id)).all()
    assert sorted((r.name, r.side) for r in roles) == [
        ("Councillor", "services"),
        ("Resident", "community"),
    ]


def test_refusals_show_by_their_rows_field(client: TestClient, db: Session) -> None:
    w = factories.world(db)
    db.commit()
    csrf = factories.login(client, w.organiser)
    refused = client.post(
        "/events/new",
        data=_form(
            csrf,
            **{
                "groups-0-name": "Table A",
                "groups-1-name": "table a",
                "groups-2-name": "Table C",
                "groups-2-facilitators": str(w.other_organiser.id),
                "roles-2-name": "",
                "roles-2-side": "services",
                "roles-3-name": "Youth worker",
                "roles-3-side": "",
            },
        ),
    )
    assert refused.status_code == 422
    text = refused.text
    assert re.search(
        r'id="groups-1-name-error"[^>]*>.*There is already a table called table a', text
    )
    assert 'id="groups-2-facilitators"' in text and "Choose facilitators from the list" in text
    assert re.search(r'id="roles-2-name-error"[^>]*>.*Give this role a name', text)
    assert re.search(r'id="roles-3-side-error"[^>]*>.*Choose community or services', text)
    assert 'href="#groups-1-name"' in text  # the summary links to the field
    assert 'value="Youth worker"' in text  # what was typed is kept


def test_the_setup_form_edits_tables_by_row_and_keeps_a_table_with_comments(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    first, second = events.list_groups(db, w.event.id)
    db.add(Comment(event_id=w.event.id, body="Said at table 2", group_id=second.id))
    db.commit()
    csrf = factories.login(client, w.organiser)
    page = client.get(f"/events/{w.event.id}").text
    assert f'name="groups-0-id" value="{first.id}"' in page
    # Remove the first table: the second keeps its id (and its comments), only renamed.
    saved = client.post(
        f"/events/{w.event.id}",
        data=_form(
            csrf,
            questions="Q1?",
            **{"groups-0-id": str(second.id), "groups-0-name": "Table Two"},
        ),
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    tables = events.list_groups(db, w.event.id)
    assert [(t.id, t.name) for t in tables] == [(second.id, "Table Two")]
    assert db.get(Group, first.id) is None
