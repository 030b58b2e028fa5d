"""Staff moderation: every status, publish, hide, star, tag, each change logged with who."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Comment, ModerationLog, PanelQuestion
from app.services import comments, events, panel
from tests.support import factories


def _setup(db: Session) -> tuple[factories.World, list[Comment], dict[str, str]]:
    w = factories.world(db)
    e = w.event
    table_1, table_2 = events.list_groups(db, e.id)
    made = [
        comments.submit_comment(db, event=e, body=f"Comment {i}", group_id=table_1.id)
        for i in range(3)
    ]
    made.append(comments.submit_comment(db, event=e, body="you f*cking pigs", group_id=table_2.id))
    headers = factories.token(db, w.organiser)
    db.commit()
    return w, made, headers


def test_staff_see_every_status_and_can_filter_and_page(client: TestClient, db: Session) -> None:
    w, made, headers = _setup(db)
    path = f"/api/v1/events/{w.event.id}/comments"
    page = client.get(path, headers=headers).json()
    assert page["total"] == 4 and {c["status"] for c in page["items"]} == {"published", "pending"}
    pending = client.get(path, params={"status": "pending"}, headers=headers).json()
    assert [c["id"] for c in pending["items"]] == [made[3].id]
    assert pending["items"][0]["flagged"] is True
    first = client.get(path, params={"limit": 2}, headers=headers).json()
    rest = client.get(path, params={"limit": 2, "offset": 2}, headers=headers).json()
    assert len(first["items"]) == 2 and len(rest["items"]) == 2
    assert {c["id"] for c in first["items"] + rest["items"]} == {c.id for c in made}
    assert client.get(path, params={"status": "gone"}, headers=headers).status_code == 422


def test_publish_hide_star_and_tag_are_logged_with_who(client: TestClient, db: Session) -> None:
    w, made, headers = _setup(db)
    held = made[3]
    r = client.patch(
        f"/api/v1/comments/{held.id}",
        json={"status": "published", "starred": True, "tags": ["Trust", "stop and search"]},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["status"] == "published" and data["starred"] is True
    assert data["tags"] == ["Trust", "stop and search"]
    assert data["body"] == "you f*cking pigs"  # moderation never touches the text
    shown = client.get(f"/api/v1/join/{w.event.join_code}").json()["comments"]
    assert held.id in [c["id"] for c in shown]
    client.patch(f"/api/v1/comments/{held.id}", json={"status": "hidden"}, headers=headers)
    shown = client.get(f"/api/v1/join/{w.event.join_code}").json()["comments"]
    assert held.id not in [c["id"] for c in shown]
    log = db.exec(select(ModerationLog).where(ModerationLog.comment_id == held.id)).all()
    assert [row.change for row in log] == [
        "status: pending -> published",
        "starred",
        "tags: Trust, stop and search",
        "status: published -> hidden",
    ]
    assert {row.user_id for row in log} == {w.organiser.id}
    assert all(row.created_at is not None for row in log)


def test_an_unchanged_patch_logs_nothing(client: TestClient, db: Session) -> None:
    _, made, headers = _setup(db)
    r = client.patch(
        f"/api/v1/comments/{made[0].id}", json={"status": "published"}, headers=headers
    )
    assert r.status_code == 200
    assert db.exec(select(ModerationLog).where(ModerationLog.comment_id == made[0].id)).all() == []


def test_facilitators_moderate_only_their_own_table(client: TestClient, db: Session) -> None:
    w, made, _ = _setup(db)
    headers = factories.token(db, w.facilitator)
    db.commit()
    own = client.patch(f"/api/v1/comments/{made[0].id}", json={"status": "hidden"}, headers=headers)
    assert own.status_code == 200 and own.json()["status"] == "hidden"
    other = client.patch(
        f"/api/v1/comments/{made[3].id}", json={"status": "published"}, headers=headers
    )
    assert other.status_code == 403
    stored = db.get(Comment, made[3].id)
    assert stored is not None and stored.status == "pending"


def test_bad_moderation_requests(client: TestClient, db: Session) -> None:
    _, made, headers = _setup(db)
    assert client.patch("/api/v1/comments/999999", json={}, headers=headers).status_code == 404
    r = client.patch(f"/api/v1/comments/{made[0].id}", json={"status": "gone"}, headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "status"
    # Staff cannot rewrite what a resident said.
    r = client.patch(f"/api/v1/comments/{made[0].id}", json={"body": "edited"}, headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"
    r = client.patch(f"/api/v1/comments/{made[0].id}", json={"tags": [" "]}, headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "tags.0"


def test_organisers_answer_panel_questions(client: TestClient, db: Session) -> None:
    w, _, headers = _setup(db)
    q = panel.ask_question(db, event=w.event, body="When will the youth centre reopen?")
    db.commit()
    r = client.patch(
        f"/api/v1/panel-questions/{q.id}",
        json={"status": "answered", "answer": "Supt Khan said in March; email a@b.co.uk"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["answer"] == "Supt [name] said in March; email [email]"
    assert r.json()["answered_at"] is not None
    listed = client.get(
        f"/api/v1/events/{w.event.id}/panel-questions",
        params={"status": "answered"},
        headers=headers,
    ).json()
    assert [x["id"] for x in listed["items"]] == [q.id] and listed["total"] == 1
    stored = db.get(PanelQuestion, q.id)
    assert stored is not None and stored.status == "answered"
    shown = client.get(f"/api/v1/join/{w.event.join_code}").json()["panel_questions"]
    assert shown == []  # residents see open questions only
