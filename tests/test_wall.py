"""The projector wall's join line: the short address a resident can type, and the code."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import get_settings
from app.routers.night_pages import join_address
from tests.support import factories


@pytest.mark.parametrize(
    ("base", "short"),
    [
        ("https://www.commonground.example/", "commonground.example/j"),
        ("https://meet.example.org", "meet.example.org/j"),
        ("http://127.0.0.1:8731", "127.0.0.1:8731/j"),
        ("https://council.example/engage/", "council.example/engage/j"),
    ],
)
def test_join_address_is_the_public_host_and_j(
    monkeypatch: pytest.MonkeyPatch, base: str, short: str
) -> None:
    monkeypatch.setattr(get_settings(), "public_base_url", base)
    assert join_address() == short


def test_wall_shows_the_short_address_and_the_code(
    monkeypatch: pytest.MonkeyPatch, client: TestClient, db: Session
) -> None:
    monkeypatch.setattr(get_settings(), "public_base_url", "https://meet.example.org")
    w = factories.world(db)
    factories.login(client, w.facilitator)
    wall = client.get(f"/events/{w.event.id}/screen").text
    assert '<p class="cg-wall-address">meet.example.org/j</p>' in wall
    assert f'<p class="cg-wall-code">{w.event.join_code}</p>' in wall
    # The QR code still carries the whole join link.
    assert f"https://meet.example.org/j/{w.event.join_code}" in wall
