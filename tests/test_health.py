from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from app.db import database_ok


def test_healthz_is_ok_with_the_database_reachable(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_dead(client: TestClient, monkeypatch) -> None:
    dead = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    monkeypatch.setattr("app.routers.health.database_ok", lambda: database_ok(dead))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "database unreachable"
