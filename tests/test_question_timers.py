"""Question timers: minutes per question in set-up, kept on save; start, pause, add five minutes."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import utcnow
from app.services import events, questions
from tests.support import factories

FORM = {
    "title": "Community meeting",
    "starts_at": "2027-02-01T18:00",
    "ends_at": "2027-02-01T20:00",
    "questions": "Question 1?\nQuestion 2?\nQuestion 3?",
    "groups": "Table 1\nTable 2",
    "roles": "Resident, community",
}


def test_setup_form_sets_and_keeps_each_questions_minutes(client: TestClient, db: Session):
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    url = f"/events/{w.event.id}"
    page = client.get(url)
    assert 'name="minutes_1"' in page.text and 'name="minutes_3"' in page.text
    saved = client.post(url, data={**FORM, "csrf_token": csrf, "minutes_1": "10", "minutes_3": "5"})
    assert saved.status_code == 200  # followed the redirect
    boxes = [q.time_box_minutes for q in events.list_questions(db, w.event.id)]
    assert boxes == [10, None, 5]
    # Saving again with what the page shows keeps them (it used to erase every time box).
    again = client.get(url).text
    assert 'name="minutes_1" type="text" value="10"' in again
    client.post(
        url, data={**FORM, "csrf_token": csrf, "minutes_1": "10", "minutes_3": "5", "venue": "Hall"}
    )
    db.expire_all()
    assert [q.time_box_minutes for q in events.list_questions(db, w.event.id)] == [10, None, 5]


def test_setup_form_refuses_bad_minutes_by_the_field(client: TestClient, db: Session):
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    answer = client.post(
        f"/events/{w.event.id}", data={**FORM, "csrf_token": csrf, "minutes_2": "ten"}
    )
    assert answer.status_code == 422
    assert 'id="minutes_2-error"' in answer.text
    assert "Enter the minutes for question 2 as a whole number from 1 to 240" in answer.text


def test_timer_starts_pauses_and_takes_five_more_minutes(client: TestClient, db: Session):
    w = factories.world(db)
    q = events.list_questions(db, w.event.id)[0]
    q.time_box_minutes = 10
    db.add(q)
    db.flush()
    csrf = factories.login(client, w.organiser)
    room = client.get(f"/events/{w.event.id}/room").text
    assert "10:00 left" in room and "not started" in room
    url = f"/events/{w.event.id}/room/timer"
    started = client.post(
        url, data={"action": "start"}, headers={"HX-Request": "true", "X-CSRF-Token": csrf}
    )
    assert (
        started.status_code == 200
        and "data-ends=" in started.text
        and "Pause timer" in started.text
    )
    db.refresh(q)
    # Four minutes later the wall, reloaded, shows six left.
    assert q.timer_started_at is not None
    q.timer_started_at -= timedelta(minutes=4)
    db.add(q)
    db.flush()
    assert "6:00 left" in client.get(f"/events/{w.event.id}/screen").text
    client.post(url, data={"action": "pause", "csrf_token": csrf})
    db.refresh(q)
    assert q.timer_started_at is None and q.timer_remaining_seconds in (359, 360)
    client.post(url, data={"action": "add", "csrf_token": csrf})
    db.refresh(q)
    assert q.timer_remaining_seconds in (659, 660)
    assert "paused" in client.get(f"/events/{w.event.id}/screen").text
    # Over time: the clock says by how much, in the over-time style.
    q.timer_started_at, q.timer_remaining_seconds = utcnow() - timedelta(seconds=90), 60
    db.add(q)
    db.flush()
    wall = client.get(f"/events/{w.event.id}/screen").text
    assert "over by 0:30" in wall and "cg-timer--over" in wall
    assert questions.seconds_left(q) in (-30, -31)


def test_timer_refusals_are_4xx(client: TestClient, db: Session):
    w = factories.world(db)
    csrf = factories.login(client, w.organiser)
    url = f"/events/{w.event.id}/room/timer"
    no_box = client.post(url, data={"action": "start", "csrf_token": csrf})
    assert no_box.status_code == 409 and "no time box" in no_box.text
    assert client.post(url, data={"action": "explode", "csrf_token": csrf}).status_code == 422
    fcsrf = factories.login(client, w.facilitator)
    assert client.post(url, data={"action": "add", "csrf_token": fcsrf}).status_code == 403
