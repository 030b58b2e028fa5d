"""Every number in an address is bounded to what the databases store: a larger one is a 404
naming the parameter, never the database's "out of range" (a 500, or a 422 naming nothing)."""

from collections.abc import Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.main import app as fastapi_app
from app.schemas.common import MAX_ROW_ID
from tests.support import factories


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _routes() -> list[APIRoute]:
    """The application's routes, those of its included routers among them."""
    routes: list[object] = []
    for route in fastapi_app.routes:
        included = getattr(route, "original_router", None)
        routes += included.routes if included is not None else [route]
    return [route for route in routes if isinstance(route, APIRoute)]


def test_every_numeric_path_parameter_has_the_databases_bound() -> None:
    numeric = unbounded = 0
    for route in _routes():
        for dependant in _dependants(route.dependant):
            for param in dependant.path_params:
                if param.field_info.annotation is not int:
                    continue
                numeric += 1
                bounds = [getattr(m, "le", None) for m in param.field_info.metadata]
                if MAX_ROW_ID not in bounds:
                    unbounded += 1
                    print(f"unbounded: {route.path} {param.name}")
    assert numeric > 50  # the walk found the routes
    assert unbounded == 0


def test_a_too_large_id_is_a_404_naming_it(client: TestClient, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(db, factories.org(db), "owner")
    headers = factories.token(db, user)
    huge = 10**20
    for path, name in (
        (f"/api/v1/events/{huge}", "event_id"),
        (f"/api/v1/cohorts/{huge}", "cohort_id"),
        (f"/api/v1/organisations/{huge}/members", "organisation_id"),
        (f"/api/v1/programmes/{MAX_ROW_ID + 1}", "programme_id"),
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["errors"][0]["field"] == name
        assert name in response.json()["detail"]


def test_a_too_large_number_in_a_form_is_refused_on_a_page(client: TestClient, db) -> None:  # type: ignore[no-untyped-def]
    organisation = factories.org(db)
    organiser = factories.user(db, organisation, "organiser")
    event = factories.event(db, organisation, status="closed")
    csrf = factories.login(client, organiser)
    response = client.post(
        f"/events/{event.id}/summary/featured",
        data={"csrf_token": csrf, "comment_id": str(10**20), "featured": "1"},
    )
    assert response.status_code in (404, 422), response.text
    assert "<h1" in response.text
