"""The one lifespan: a worker's background work runs while it serves, and stops with it."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.services.opinion_groups import scheduler


def test_the_broker_and_the_opinion_group_worker_run_while_the_app_serves(app: FastAPI) -> None:
    with TestClient(app) as client:
        assert app.state.broker is not None
        assert scheduler._scheduler is not None and scheduler._scheduler.running
        assert client.get("/healthz").status_code == 200
    assert app.state.broker is None
    assert not scheduler._scheduler.running
