"""The blocklist holds abuse for a moderator without silencing people talking about policing."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import get_settings
from app.models import Comment
from app.services.blocklist import is_abusive
from tests.support import factories


@pytest.mark.parametrize(
    "text",
    [
        "you fucking pigs",
        "f*cking useless",
        "FUUUUCK the lot of you",
        "sh1t service as usual",
        "BASTARDS the lot of them",
        "what a load of bull shit",
        "you absolute c**t",
    ],
)
def test_abuse_is_caught(text: str) -> None:
    assert is_abusive(text)


@pytest.mark.parametrize(
    "text",
    [
        "My daughter was raped and the investigation took three years",
        "They stopped him for a bit of weed, again",
        "A gay couple were attacked on the Common and nobody came",
        "Officers called my son stupid and ugly",
        "The sexual offences team never called back",
        "Knife crime killed two boys on our estate this year",
        "The assessment of the class was fair",
        "Scunthorpe, Essex and Sussex police do this better",
    ],
)
def test_people_talking_about_harm_are_not_held(text: str) -> None:
    assert not is_abusive(text)


def test_organisers_add_words(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not is_abusive("he is a snitch")
    monkeypatch.setattr(get_settings(), "blocklist_extra", "snitch, grass")
    assert is_abusive("he is a snitch") and is_abusive("GRASS")


def test_held_comments_wait_even_in_post_moderated_events(client: TestClient, db: Session) -> None:
    e = factories.event(db, factories.org(db), status="open", moderation="post")
    db.commit()
    r = client.post(f"/api/v1/join/{e.join_code}/comments", json={"body": "f*ck the met"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    stored = db.get(Comment, r.json()["id"])
    assert stored is not None and stored.flagged and stored.status == "pending"
