"""The control room's one moderation list: every comment whatever its source, filtered by table
and status, with Approve, Hide/Unhide and Star (plain forms and htmx alike)."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Comment
from app.services import events
from tests.support import factories

HTMX = {"HX-Request": "true"}


def _comment(db: Session, event_id: int | None, body: str, **kw: object) -> Comment:
    assert event_id is not None
    c = Comment(event_id=event_id, body=body, **kw)  # type: ignore[arg-type]
    db.add(c)
    db.flush()
    return c


def test_room_lists_every_comment_newest_first_with_its_source(client: TestClient, db: Session):
    w = factories.world(db)
    t1, _t2 = events.list_groups(db, w.event.id)
    _comment(db, w.event.id, "Said at table one", group_id=t1.id)
    _comment(db, w.event.id, "Key point of table one", group_id=t1.id, source="facilitator")
    _comment(db, w.event.id, "Sent from the main QR code")  # no table
    factories.login(client, w.organiser)
    page = client.get(f"/events/{w.event.id}/room").text
    room = page[page.index('id="live-moderation"') :]
    main = room.index("Sent from the main QR code")
    assert main < room.index("Key point of table one") < room.index("Said at table one")
    assert "Main QR code (no table)" in room and "facilitator" in room


def test_filters_by_table_and_status(client: TestClient, db: Session):
    w = factories.world(db)
    t1, t2 = events.list_groups(db, w.event.id)
    _comment(db, w.event.id, "Table one, shown", group_id=t1.id)
    _comment(db, w.event.id, "Table two, hidden", group_id=t2.id, status="hidden")
    _comment(db, w.event.id, "Main, starred", starred=True)
    factories.login(client, w.organiser)
    url = f"/events/{w.event.id}/room/moderation"
    only_main = client.get(url, params={"table": "main"}).text
    assert "Main, starred" in only_main and "Table one" not in only_main
    hidden = client.get(url, params={"status": "hidden"}).text
    assert "Table two, hidden" in hidden and "Table one" not in hidden and "Unhide" in hidden
    page = client.get(f"/events/{w.event.id}/room", params={"status": "starred"}).text
    starred = page[page.index('id="live-moderation"') : page.index('id="panel"')]
    assert "Main, starred" in starred and "Table one, shown" not in starred
    by_table = client.get(url, params={"table": str(t1.id), "status": "published"}).text
    assert "Table one, shown" in by_table and "Main" not in by_table
    # A table of another event, or an unknown status, is refused naming the field.
    other = events.list_groups(db, w.other_event.id)[0]
    bad = client.get(url, params={"table": str(other.id)})
    assert bad.status_code == 422 and "Choose a table of this event" in bad.text
    assert client.get(url, params={"status": "lost"}).status_code == 422


def test_hide_unhide_star_and_approve_a_main_qr_comment(client: TestClient, db: Session):
    w = factories.world(db)
    c = _comment(db, w.event.id, "Needs approval", status="pending")
    csrf = factories.login(client, w.organiser)
    url = f"/events/{w.event.id}/comments/{c.id}/moderate"
    # Plain form: back to the room with the same filters.
    plain = client.post(
        url,
        data={"csrf_token": csrf, "status": "published", "filter_table": "main"},
        follow_redirects=False,
    )
    assert plain.status_code == 303
    assert plain.headers["location"] == f"/events/{w.event.id}/room?table=main#moderation"
    db.refresh(c)
    assert c.status == "published"
    headers = {**HTMX, "X-CSRF-Token": csrf}
    hid = client.post(url, data={"status": "hidden", "filter_status": "hidden"}, headers=headers)
    assert "Needs approval" in hid.text and "Unhide" in hid.text
    db.refresh(c)
    assert c.status == "hidden"
    assert "Needs approval" not in client.get(f"/events/{w.event.id}/screen").text
    client.post(url, data={"starred": "true"}, headers=headers)
    db.refresh(c)
    assert c.starred
    # A facilitator cannot touch a comment that came from no table.
    fcsrf = factories.login(client, w.facilitator)
    refused = client.post(url, data={"csrf_token": fcsrf, "status": "published", "view": "table"})
    assert refused.status_code == 403
