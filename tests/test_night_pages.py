"""Staff pages of the night: a table's tablet, the door, the control room, the wall, QR sheets."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Comment, Group, PanelQuestion, Question
from app.services import attendance, events
from tests.support import factories

HTMX = {"HX-Request": "true"}


def _tables(db: Session, w: factories.World) -> list[Group]:
    return events.list_groups(db, w.event.id)


def _comment(db: Session, w: factories.World, body: str, **kw: object) -> Comment:
    assert w.event.id is not None
    c = Comment(event_id=w.event.id, body=body, **kw)  # type: ignore[arg-type]
    db.add(c)
    db.flush()
    return c


def test_table_page_shows_question_people_and_every_comment_of_the_table(
    client: TestClient, db: Session
):
    w = factories.world(db)
    t1, t2 = _tables(db, w)
    _comment(db, w, "Published at one", group_id=t1.id)
    _comment(db, w, "Pending at one", group_id=t1.id, status="pending")
    _comment(db, w, "Said at two", group_id=t2.id)
    factories.login(client, w.facilitator)
    page = client.get(f"/events/{w.event.id}/tables/{t1.id}")
    assert page.status_code == 200
    assert "Question 1?" in page.text and "Councillor" in page.text
    assert "Published at one" in page.text and "Pending at one" in page.text
    assert "Said at two" not in page.text
    assert f'sse-connect="/events/{w.event.id}/tables/{t1.id}/stream"' in page.text
    # Another table's page is not this facilitator's.
    assert client.get(f"/events/{w.event.id}/tables/{t2.id}").status_code == 403


def test_table_counts_people_by_role(client: TestClient, db: Session):
    w = factories.world(db)
    t1 = _tables(db, w)[0]
    csrf = factories.login(client, w.facilitator)
    url = f"/events/{w.event.id}/tables/{t1.id}/attendance"
    fragment = client.post(
        url, data={"role": "Resident", "delta": "1"}, headers={**HTMX, "X-CSRF-Token": csrf}
    )
    assert fragment.status_code == 200
    assert 'data-role="Resident">1</td>' in fragment.text and "<html" not in fragment.text
    plain = client.post(
        url, data={"csrf_token": csrf, "role": "Resident", "delta": "-1"}, follow_redirects=False
    )
    assert plain.status_code == 303
    b = attendance.balance(db, w.event.id)
    assert next(rc for rc in b.roles if rc.role.name == "Resident").tables == {t1.id: 0}
    below = client.post(url, data={"csrf_token": csrf, "role": "Resident", "delta": "-1"})
    assert below.status_code == 409


def test_table_undo_takes_back_only_my_last_tap_at_this_table(
    client: TestClient, make_client, db: Session
):
    w = factories.world(db)
    t1, t2 = _tables(db, w)
    csrf = factories.login(client, w.facilitator)
    tap = f"/events/{w.event.id}/tables/{t1.id}/attendance"
    for role in ("Resident", "Resident", "Police officer"):
        client.post(tap, data={"role": role, "delta": "1"}, headers={**HTMX, "X-CSRF-Token": csrf})
    # The organiser taps at the door meanwhile: not the facilitator's to undo.
    organiser = make_client()
    org_csrf = factories.login(organiser, w.organiser)
    organiser.post(
        f"/events/{w.event.id}/door/count",
        data={"csrf_token": org_csrf, "role": "Resident", "delta": "1"},
    )
    undo = f"/events/{w.event.id}/tables/{t1.id}/attendance/undo"
    fragment = client.post(undo, headers={**HTMX, "X-CSRF-Token": csrf})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'data-role="Police officer">0</td>' in fragment.text
    assert 'data-role="Resident">2</td>' in fragment.text
    assert "Undo my last tap" in fragment.text
    # Without JavaScript the form posts and comes back to the table page.
    plain = client.post(undo, data={"csrf_token": csrf}, follow_redirects=False)
    assert plain.status_code == 303
    roles = {rc.role.name: rc for rc in attendance.balance(db, w.event.id).roles}
    assert roles["Resident"].tables == {t1.id: 1} and roles["Resident"].door == 1
    assert roles["Police officer"].tables == {t1.id: 0}
    # Another table's page is not this facilitator's to correct.
    other = client.post(
        f"/events/{w.event.id}/tables/{t2.id}/attendance/undo", headers={"X-CSRF-Token": csrf}
    )
    assert other.status_code == 403


def test_key_point_is_stored_as_the_table_facilitators_comment(client: TestClient, db: Session):
    w = factories.world(db)
    t1 = _tables(db, w)[0]
    csrf = factories.login(client, w.facilitator)
    url = f"/events/{w.event.id}/tables/{t1.id}/keypoint"
    saved = client.post(url, data={"csrf_token": csrf, "body": "Engagement must be consistent"})
    assert saved.status_code == 200 and "Saved." in saved.text
    c = db.exec(select(Comment).where(Comment.event_id == w.event.id)).one()
    assert (c.source, c.group_id, c.status) == ("facilitator", t1.id, "published")
    empty = client.post(url, data={"csrf_token": csrf, "body": ""})
    assert empty.status_code == 422 and 'id="keypoint-error"' in empty.text


def test_facilitator_stars_and_hides_at_their_own_table_only(client: TestClient, db: Session):
    w = factories.world(db)
    t1, t2 = _tables(db, w)
    mine = _comment(db, w, "Abuse", group_id=t1.id)
    theirs = _comment(db, w, "Elsewhere", group_id=t2.id)
    csrf = factories.login(client, w.facilitator)
    base = f"/events/{w.event.id}/comments"
    headers = {**HTMX, "X-CSRF-Token": csrf}
    starred = client.post(
        f"{base}/{mine.id}/moderate", data={"starred": "true", "view": "table"}, headers=headers
    )
    assert starred.status_code == 200 and "Unstar" in starred.text
    hidden = client.post(
        f"{base}/{mine.id}/moderate", data={"status": "hidden", "view": "table"}, headers=headers
    )
    assert "Show again" in hidden.text
    db.refresh(mine)
    assert (mine.starred, mine.status) == (True, "hidden")
    refused = client.post(
        f"{base}/{theirs.id}/moderate", data={"status": "hidden", "view": "table"}, headers=headers
    )
    assert refused.status_code == 403


def test_door_counts_undo_and_the_room_balance(client: TestClient, db: Session):
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    url = f"/events/{w.event.id}/door/count"
    for role in ("Police officer", "Police officer", "Resident"):
        client.post(url, data={"csrf_token": csrf, "role": role, "delta": "1"})
    room = client.get(f"/events/{w.event.id}/room")
    assert '<strong data-total="community">1</strong>' in room.text
    assert '<strong data-total="services">2</strong>' in room.text
    assert "More people from services than from the community" in room.text
    assert "no Councillor yet" in room.text
    undo = client.post(f"/events/{w.event.id}/door/undo", headers={**HTMX, "X-CSRF-Token": csrf})
    assert '<strong data-total="community">0</strong>' in undo.text
    assert attendance.balance(db, w.event.id).community == 0


def test_room_moves_the_question_and_closes_the_event(client: TestClient, db: Session):
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    moved = client.post(
        f"/events/{w.event.id}/room/question",
        data={"direction": "next"},
        headers={**HTMX, "X-CSRF-Token": csrf},
    )
    assert moved.status_code == 200 and "Question 2 of 3" in moved.text
    active = db.exec(select(Question).where(Question.event_id == w.event.id)).all()
    assert [q.status for q in sorted(active, key=lambda q: q.position)] == [
        "done",
        "active",
        "upcoming",
    ]
    closed = client.post(
        f"/events/{w.event.id}/room/status",
        data={"csrf_token": csrf, "status": "closed"},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    db.refresh(w.event)
    assert w.event.status == "closed"


def test_room_moderates_and_answers_the_panel(client: TestClient, db: Session):
    w = factories.world(db)
    waiting = _comment(db, w, "Needs a look", status="pending", flagged=True)
    assert w.event.id is not None
    pq = PanelQuestion(event_id=w.event.id, body="Why no councillor?", upvotes=4)
    db.add(pq)
    db.flush()
    csrf = factories.login(client, w.organiser)
    room = client.get(f"/events/{w.event.id}/room")
    assert "Needs a look" in room.text and "held back" in room.text
    assert "Why no councillor?" in room.text
    headers = {**HTMX, "X-CSRF-Token": csrf}
    queue = client.post(
        f"/events/{w.event.id}/comments/{waiting.id}/moderate",
        data={"status": "published", "view": "room"},
        headers=headers,
    )
    # The list keeps every comment: the approved one now shows as published, with no Approve.
    assert "cg-comment--published" in queue.text and ">Approve<" not in queue.text
    panel = client.post(
        f"/events/{w.event.id}/panel/{pq.id}",
        data={"status": "answered", "answer": "The councillor will attend in March"},
        headers=headers,
    )
    assert "No open questions for the panel." in panel.text
    db.refresh(pq)
    assert (pq.status, pq.answer) == ("answered", "The councillor will attend in March")


def test_wall_shows_qr_code_join_code_and_published_comments_only(client: TestClient, db: Session):
    w = factories.world(db)
    _comment(db, w, "For everyone to see")
    _comment(db, w, "Not yet approved", status="pending")
    _comment(db, w, "Removed", status="hidden")
    factories.login(client, w.facilitator)
    wall = client.get(f"/events/{w.event.id}/screen")
    assert wall.status_code == 200
    assert "<svg" in wall.text and w.event.join_code in wall.text
    assert "For everyone to see" in wall.text
    assert "Not yet approved" not in wall.text and "Removed" not in wall.text


def test_qr_sheets_one_per_table(client: TestClient, db: Session):
    w = factories.world(db)
    factories.login(client, w.organiser)
    sheets = client.get(f"/events/{w.event.id}/qr")
    assert sheets.status_code == 200
    assert sheets.text.count('class="cg-sheet"') == 1 + len(_tables(db, w))
    assert sheets.text.count("<svg") == 1 + len(_tables(db, w))
    for t in _tables(db, w):
        assert f"/j/{w.event.join_code}/t/{t.id}" in sheets.text


def test_stream_snapshot_for_a_plain_client(client: TestClient, db: Session):
    w = factories.world(db)
    factories.login(client, w.organiser)
    snap = client.get(f"/events/{w.event.id}/door/stream")
    assert snap.status_code == 200
    assert snap.headers["content-type"].startswith("text/event-stream")
    assert snap.text.startswith("retry: 2000")
