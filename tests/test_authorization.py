"""The authorisation matrix: every staff page and API route against every kind of caller.

A route added without an entry here fails `test_every_route_is_in_the_matrix`, so a new route
cannot ship without its permission check being tested.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.main import app as fastapi_app
from app.models import Group, Membership
from app.services import accounts, actions, comments, events, invitations, panel, programmes
from tests.support import factories, mentoring_factories

ACTORS = ("anonymous", "other_facilitator", "facilitator", "other_organiser", "organiser", "owner")
OK = "ok"  # any success: 2xx, or a redirect that is not to the sign-in page

# Who may do what, as the status each caller gets.
VIEW_EVENT = {
    "anonymous": 401,
    "other_facilitator": 404,
    "facilitator": OK,
    "other_organiser": 404,
    "organiser": OK,
    "owner": OK,
}
MANAGE_EVENT = {**VIEW_EVENT, "facilitator": 403}
SIGNED_IN = {"anonymous": 401, **{a: OK for a in ACTORS if a != "anonymous"}}
MANAGE_ORG = {
    "anonymous": 401,
    "other_facilitator": 403,
    "facilitator": 403,
    "other_organiser": 404,
    "organiser": OK,
    "owner": OK,
}
OWN_ORG = {**MANAGE_ORG, "organiser": 403}
CREATE_IN_ORG = {
    "anonymous": 401,
    "other_facilitator": 403,
    "facilitator": 403,
    "other_organiser": OK,
    "organiser": OK,
    "owner": OK,
}
# API tokens: owners only (SPEC §1).
OWNERS = {**SIGNED_IN, **{a: 403 for a in ACTORS if "organiser" in a or "facilitator" in a}}
PUBLIC = {a: OK for a in ACTORS}
# A mentoring cohort: the matrix's facilitator is a participant in it, paired (so sees it).
VIEW_COHORT = {**VIEW_EVENT}
MANAGE_COHORT = {**VIEW_COHORT, "facilitator": 403}
PAIR_ONLY = {**VIEW_COHORT, "organiser": 403, "owner": 403}


@dataclass
class Case:
    method: str
    path: str
    expect: dict[str, Any]
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    api: bool = True
    notes: str = field(default="")


CASES: list[Case] = [
    # JSON API
    Case("GET", "/api/v1/events", SIGNED_IN),
    Case(
        "POST",
        "/api/v1/events",
        CREATE_IN_ORG,
        json={
            "title": "New",
            "starts_at": "2027-02-01T18:00:00Z",
            "ends_at": "2027-02-01T20:00:00Z",
        },
    ),
    Case("GET", "/api/v1/events/{event}", VIEW_EVENT),
    Case("PATCH", "/api/v1/events/{event}", MANAGE_EVENT, json={"title": "Renamed"}),
    Case("POST", "/api/v1/events/{event}/questions/move", MANAGE_EVENT, json={"direction": "next"}),
    Case("GET", "/api/v1/events/{event}/attendance", VIEW_EVENT),
    Case(
        "POST",
        "/api/v1/events/{event}/attendance",
        VIEW_EVENT,
        json={"role": "Resident", "delta": 1},
    ),
    Case("GET", "/api/v1/events/{event}/opinion-groups", VIEW_EVENT),
    # Moderation (issue 4): facilitators moderate only their own table's comments.
    Case("GET", "/api/v1/events/{event}/comments", VIEW_EVENT),
    Case("PATCH", "/api/v1/comments/{comment}", VIEW_EVENT, json={"starred": True}),
    Case(
        "PATCH", "/api/v1/comments/{other_table_comment}", MANAGE_EVENT, json={"status": "hidden"}
    ),
    Case("GET", "/api/v1/events/{event}/panel-questions", VIEW_EVENT),
    Case("GET", "/api/v1/events/{event}/equality", VIEW_EVENT),
    Case(
        "PATCH",
        "/api/v1/panel-questions/{panel_question}",
        MANAGE_EVENT,
        json={"status": "answered", "answer": "We will report back in March"},
    ),
    Case("GET", "/api/v1/organisations", SIGNED_IN),
    Case("GET", "/api/v1/organisations/{org}/members", MANAGE_ORG),
    Case(
        "POST",
        "/api/v1/organisations/{org}/members",
        OWN_ORG,
        json={"email": "new.member@example.org", "role": "facilitator"},
    ),
    Case(
        "PATCH",
        "/api/v1/organisations/{org}/members/{membership}",
        OWN_ORG,
        json={"role": "organiser"},
    ),
    Case("DELETE", "/api/v1/organisations/{org}/members/{membership}", OWN_ORG),
    Case("GET", "/api/v1/programmes", SIGNED_IN),
    Case("POST", "/api/v1/programmes", CREATE_IN_ORG, json={"name": "P", "slug": "new-programme"}),
    Case(
        "GET",
        "/api/v1/programmes/{programme}",
        {**MANAGE_ORG, "other_facilitator": OK, "facilitator": OK},
    ),
    Case("PATCH", "/api/v1/programmes/{programme}", MANAGE_ORG, json={"name": "Renamed"}),
    # Staff pages (anonymous callers are sent to sign in)
    Case("GET", "/events", SIGNED_IN, api=False),
    Case("GET", "/events/new", CREATE_IN_ORG, api=False),
    Case(
        "POST",
        "/events/new",
        CREATE_IN_ORG,
        api=False,
        form={
            "title": "From the form",
            "starts_at": "2027-02-01T18:00",
            "ends_at": "2027-02-01T20:00",
            "roles": "Resident, community",
        },
    ),
    Case("GET", "/events/{event}", VIEW_EVENT, api=False),
    Case(
        "POST",
        "/events/{event}",
        MANAGE_EVENT,
        api=False,
        form={
            "title": "Renamed",
            "starts_at": "2027-02-01T18:00",
            "ends_at": "2027-02-01T20:00",
            "roles": "Resident, community",
            "questions": "Q1?\nQ2?\nQ3?",
            "groups": "Table 1\nTable 2",
        },
    ),
    Case("POST", "/events/{event}/status", MANAGE_EVENT, api=False, form={"status": "closed"}),
    Case("GET", "/events/{event}/opinion-groups", VIEW_EVENT, api=False),
    Case("GET", "/events/{event}/close", MANAGE_EVENT, api=False),
    Case("GET", "/events/{event}/summary/preview", MANAGE_EVENT, api=False),
    Case("GET", "/tonight", SIGNED_IN, api=False),
    Case("GET", "/orgs/{org}/members", OWN_ORG, api=False),
    Case(
        "POST",
        "/orgs/{org}/members",
        OWN_ORG,
        api=False,
        form={"email": "x.y@example.org", "role": "facilitator"},
    ),
    Case(
        "POST",
        "/orgs/{org}/members/{membership}/role",
        OWN_ORG,
        api=False,
        form={"role": "organiser"},
    ),
    Case("POST", "/orgs/{org}/members/{membership}/remove", OWN_ORG, api=False),
    Case("GET", "/orgs/{org}/contact", OWN_ORG, api=False),
    Case(
        "POST",
        "/orgs/{org}/contact",
        OWN_ORG,
        api=False,
        form={"contact_email": "privacy@example.org"},
    ),
    Case("GET", "/tokens", OWNERS, api=False),
    Case("POST", "/tokens", OWNERS, api=False, form={"name": "script"}),
    Case(
        "POST",
        "/tokens/{token}/revoke",
        {
            "anonymous": 401,
            "other_facilitator": 404,
            "facilitator": 404,
            "other_organiser": 404,
            "organiser": 404,
            "owner": OK,
        },
        api=False,
    ),
    # Summary, exports and publishing (issue 6); the matrix's event is open, so publishing is
    # refused with 409 once the caller is allowed to try.
    Case("GET", "/api/v1/events/{event}/summary", MANAGE_EVENT),
    Case("PATCH", "/api/v1/events/{event}/summary", MANAGE_EVENT, json={"intro": "Thanks"}),
    Case(
        "POST",
        "/api/v1/events/{event}/summary/publish",
        {**MANAGE_EVENT, "organiser": 409, "owner": 409},
    ),
    Case("DELETE", "/api/v1/events/{event}/summary/publish", MANAGE_EVENT),
    Case("GET", "/api/v1/events/{event}/export/{fmt}", MANAGE_EVENT),
    Case("GET", "/events/{event}/summary", MANAGE_EVENT, api=False),
    Case("POST", "/events/{event}/summary", MANAGE_EVENT, api=False, form={"intro": "Thanks"}),
    Case(
        "POST",
        "/events/{event}/summary/featured",
        {**MANAGE_EVENT, "organiser": 422, "owner": 422},
        api=False,
        form={"comment_id": "0", "featured": "1"},
    ),
    Case(
        "POST",
        "/events/{event}/summary/publish",
        {**MANAGE_EVENT, "organiser": 409, "owner": 409},
        api=False,
        form={"publish": "1"},
    ),
    # Actions (issue 6)
    Case("GET", "/api/v1/events/{event}/actions", MANAGE_EVENT),
    Case("POST", "/api/v1/events/{event}/actions", MANAGE_EVENT, json={"text": "Do it"}),
    Case("GET", "/api/v1/actions", CREATE_IN_ORG),
    Case("GET", "/api/v1/actions/{action}", MANAGE_EVENT),
    Case("PATCH", "/api/v1/actions/{action}", MANAGE_EVENT, json={"owner": "Council"}),
    Case("POST", "/api/v1/actions/{action}/updates", MANAGE_EVENT, json={"body": "Progress"}),
    Case("GET", "/events/{event}/actions", MANAGE_EVENT, api=False),
    Case("GET", "/events/{event}/actions/new", MANAGE_EVENT, api=False),
    Case(
        "POST",
        "/events/{event}/actions",
        MANAGE_EVENT,
        api=False,
        form={"text": "Do it", "status": "proposed"},
    ),
    Case("GET", "/actions/overdue", CREATE_IN_ORG, api=False),
    Case("GET", "/actions/{action}", MANAGE_EVENT, api=False),
    Case(
        "POST",
        "/actions/{action}",
        MANAGE_EVENT,
        api=False,
        form={"text": "Do it", "status": "agreed"},
    ),
    Case("POST", "/actions/{action}/updates", MANAGE_EVENT, api=False, form={"body": "Progress"}),
    # Mentoring: the matrix's facilitator takes part in the cohort and is paired (see
    # tests/mentoring_factories.py); organisers of the cohort's organisations manage it.
    Case("GET", "/api/v1/cohorts", SIGNED_IN),
    Case(
        "POST",
        "/api/v1/cohorts",
        CREATE_IN_ORG,
        json={
            "name": "Next",
            "slug": "next-cohort",
            "organisations": ["mentoring-partner"],
            "starts_on": "2027-09-01",
            "ends_on": "2028-03-01",
        },
    ),
    Case("GET", "/api/v1/cohorts/{cohort}", VIEW_COHORT),
    Case("PATCH", "/api/v1/cohorts/{cohort}", MANAGE_COHORT, json={"stale_weeks": 3}),
    Case("GET", "/api/v1/cohorts/{cohort}/participants", MANAGE_COHORT),
    Case(
        "POST",
        "/api/v1/cohorts/{cohort}/participants",
        MANAGE_COHORT,
        json={"name": "New", "email": "new.p@example.org", "organisation": "mentoring-partner"},
    ),
    Case(
        "PATCH",
        "/api/v1/cohorts/{cohort}/participants/{participant}",
        MANAGE_COHORT,
        json={"seniority": 4},
    ),
    Case("GET", "/api/v1/cohorts/{cohort}/interests", MANAGE_COHORT),
    Case(
        "PATCH",
        "/api/v1/cohorts/{cohort}/interests/{interest}",
        MANAGE_COHORT,
        json={"status": "approved"},
    ),
    Case("GET", "/api/v1/cohorts/{cohort}/pairings/suggestions", MANAGE_COHORT),
    Case("POST", "/api/v1/cohorts/{cohort}/pairings/suggestions", MANAGE_COHORT),
    Case(
        "POST",
        "/api/v1/cohorts/{cohort}/pairings",
        MANAGE_COHORT,
        json={"first_id": "{spare_lead}", "second_id": "{spare_partner}"},
    ),
    Case(
        "PATCH",
        "/api/v1/cohorts/{cohort}/pairings/{pairing}",
        MANAGE_COHORT,
        json={"status": "ended"},
    ),
    Case("GET", "/api/v1/cohorts/{cohort}/pairings/{pairing}/meetings", PAIR_ONLY),
    Case(
        "POST",
        "/api/v1/cohorts/{cohort}/pairings/{pairing}/meetings",
        PAIR_ONLY,
        json={"met_on": "{yesterday}", "minutes": 60},
    ),
    Case(
        "PATCH",
        "/api/v1/cohorts/{cohort}/pairings/{pairing}/meetings/{meeting}",
        PAIR_ONLY,
        json={"minutes": 75},
    ),
    Case("GET", "/api/v1/cohorts/{cohort}/nominations", VIEW_COHORT),
    Case(
        "POST",
        "/api/v1/cohorts/{cohort}/nominations",
        VIEW_COHORT,
        json={
            "nominee_name": "A Colleague",
            "nominee_email": "a.colleague@example.org",
            "organisation": "mentoring-partner",
            "reason": "Knows the area",
            "nominator_id": "{me}",
        },
    ),
    Case(
        "POST",
        "/api/v1/cohorts/{cohort}/handover",
        MANAGE_COHORT,
        json={"next_cohort_id": "{next_cohort}"},
    ),
    Case("GET", "/api/v1/cohorts/{cohort}/alumni", MANAGE_COHORT),
    Case(
        "POST",
        "/api/v1/cohorts/{cohort}/sessions",
        MANAGE_COHORT,
        json={
            "title": "Reflection",
            "starts_at": "2027-02-01T16:00:00Z",
            "ends_at": "2027-02-01T18:00:00Z",
        },
    ),
    Case(
        "POST",
        "/api/v1/cohorts/{cohort}/actions",
        MANAGE_COHORT,
        json={"event_id": "{group_session}", "text": "Police represented at round tables"},
    ),
    Case("GET", "/api/v1/cohorts/{cohort}/export/{fmt}", MANAGE_COHORT),
    Case("GET", "/mentoring", SIGNED_IN, api=False),
    Case("GET", "/mentoring/new", CREATE_IN_ORG, api=False),
    Case(
        "POST",
        "/mentoring/new",
        CREATE_IN_ORG,
        api=False,
        form={
            "name": "From the form",
            "slug": "from-the-form",
            "organisations": "{partner_org}",
            "starts_on": "2027-09-01",
            "ends_on": "2028-03-01",
            "stale_weeks": "4",
        },
    ),
    Case("GET", "/mentoring/{cohort}", VIEW_COHORT, api=False),
    Case("POST", "/mentoring/{cohort}/close", MANAGE_COHORT, api=False),
    Case(
        "POST",
        "/mentoring/{cohort}/settings",
        MANAGE_COHORT,
        api=False,
        form={"starts_on": "2027-09-01", "ends_on": "2028-03-01", "stale_weeks": "5"},
    ),
    Case(
        "POST",
        "/mentoring/{cohort}/sessions",
        MANAGE_COHORT,
        api=False,
        form={
            "title": "Reflection",
            "starts_at": "2027-02-01T16:00",
            "ends_at": "2027-02-01T18:00",
        },
    ),
    Case(
        "POST",
        "/mentoring/{cohort}/actions",
        MANAGE_COHORT,
        api=False,
        form={"event_id": "{group_session}", "text": "Youth project in schools run jointly"},
    ),
    Case("GET", "/mentoring/{cohort}/alumni", MANAGE_COHORT, api=False),
    Case("GET", "/mentoring/{cohort}/participants", MANAGE_COHORT, api=False),
    Case(
        "POST",
        "/mentoring/{cohort}/participants",
        MANAGE_COHORT,
        api=False,
        form={
            "name": "New",
            "email": "new.p@example.org",
            "organisation": "{org}",
            "seniority": "3",
        },
    ),
    Case("GET", "/mentoring/{cohort}/interests", MANAGE_COHORT, api=False),
    Case(
        "POST",
        "/mentoring/{cohort}/interests/{interest}",
        MANAGE_COHORT,
        api=False,
        form={"status": "declined"},
    ),
    Case("GET", "/mentoring/{cohort}/pairing", MANAGE_COHORT, api=False),
    Case(
        "POST",
        "/mentoring/{cohort}/pairing",
        MANAGE_COHORT,
        api=False,
        form={"first_id": "{spare_lead}", "second_id": "{spare_partner}"},
    ),
    Case("POST", "/mentoring/{cohort}/pairing/suggested", MANAGE_COHORT, api=False),
    Case("POST", "/mentoring/{cohort}/pairing/{pairing}/end", MANAGE_COHORT, api=False),
    Case("GET", "/mentoring/{cohort}/nominations", MANAGE_COHORT, api=False),
    Case(
        "POST",
        "/mentoring/{cohort}/handover",
        MANAGE_COHORT,
        api=False,
        form={"next_cohort_id": "{next_cohort}"},
    ),
    Case(
        "POST",
        "/mentoring/{cohort}/meetings",
        PAIR_ONLY,
        api=False,
        form={"met_on": "{yesterday}", "minutes": "45"},
    ),
    Case(
        "POST",
        "/mentoring/{cohort}/nominations",
        PAIR_ONLY,
        api=False,
        form={
            "nominee_name": "A Colleague",
            "nominee_email": "a.colleague@example.org",
            "organisation": "{org}",
            "reason": "Knows the area",
        },
    ),
]

# The night: table, door, control room, wall, QR sheets and their live streams (issue 5).
CASES += [
    Case("GET", "/events/{event}/tables/{group}", VIEW_EVENT, api=False),
    Case("GET", "/events/{event}/tables/{group}/stream", VIEW_EVENT, api=False),
    Case(
        "POST",
        "/events/{event}/tables/{group}/attendance",
        VIEW_EVENT,
        api=False,
        form={"role": "Resident", "delta": "1"},
    ),
    Case("POST", "/events/{event}/tables/{group}/attendance/undo", VIEW_EVENT, api=False),
    Case(
        "POST",
        "/events/{event}/tables/{group}/keypoint",
        VIEW_EVENT,
        api=False,
        form={"body": "Consistency matters more than crisis meetings"},
    ),
    Case(
        "POST",
        "/events/{event}/comments/{comment}/moderate",
        VIEW_EVENT,
        api=False,
        form={"status": "hidden", "view": "table"},
    ),
    Case("GET", "/events/{event}/door", VIEW_EVENT, api=False),
    Case("GET", "/events/{event}/door/stream", VIEW_EVENT, api=False),
    Case(
        "POST",
        "/events/{event}/door/count",
        VIEW_EVENT,
        api=False,
        form={"role": "Resident", "delta": "1"},
    ),
    Case("POST", "/events/{event}/door/undo", VIEW_EVENT, api=False),
    Case("GET", "/events/{event}/room", MANAGE_EVENT, api=False),
    Case("GET", "/events/{event}/room/stream", MANAGE_EVENT, api=False),
    Case("GET", "/events/{event}/room/moderation", MANAGE_EVENT, api=False),
    Case("POST", "/events/{event}/room/timer", MANAGE_EVENT, api=False, form={"action": "add"}),
    Case(
        "POST", "/events/{event}/room/question", MANAGE_EVENT, api=False, form={"direction": "next"}
    ),
    Case("POST", "/events/{event}/room/status", MANAGE_EVENT, api=False, form={"status": "closed"}),
    Case(
        "POST",
        "/events/{event}/panel/{panel_question}",
        MANAGE_EVENT,
        api=False,
        form={"status": "answered", "answer": "The superintendent will report back"},
    ),
    Case("GET", "/events/{event}/screen", VIEW_EVENT, api=False),
    Case("GET", "/events/{event}/screen/stream", VIEW_EVENT, api=False),
    Case("GET", "/events/{event}/qr", VIEW_EVENT, api=False),
]

# Invitations (issue 14): what an organisation is asked is answered by its own managers only;
# a personal invitation only by its addressee (tests/test_invitations.py covers the link pages).
ANSWER_INVITATION = {**MANAGE_ORG, "other_facilitator": 404, "facilitator": 404}
ADDRESSEE_ONLY = {"anonymous": 401, **{a: 403 for a in ACTORS if a != "anonymous"}}
CASES += [
    Case("GET", "/api/v1/invitations", SIGNED_IN),
    Case("POST", "/api/v1/invitations/{invitation}/accept", ANSWER_INVITATION),
    Case("POST", "/api/v1/invitations/{invitation}/decline", ANSWER_INVITATION),
    Case("POST", "/api/v1/invitations/link/accept", ADDRESSEE_ONLY, json={"token": "{secret}"}),
    Case("POST", "/api/v1/invitations/link/decline", ADDRESSEE_ONLY, json={"token": "{secret}"}),
    Case("GET", "/invitations", SIGNED_IN, api=False),
    Case("POST", "/invitations/{invitation}/accept", ANSWER_INVITATION, api=False),
    Case("POST", "/invitations/{invitation}/decline", ANSWER_INVITATION, api=False),
    Case(
        "POST",
        "/api/v1/cohorts/{cohort}/participants/{participant}/invitation",
        MANAGE_COHORT,
    ),
    Case(
        "POST",
        "/mentoring/{cohort}/participants/{participant}/invite",
        MANAGE_COHORT,
        api=False,
    ),
]

# Routes anyone may call: sign-in, health, API docs, and residents' routes (tested on their own).
UNCHECKED = {
    # A one-time invitation link: its holder, signed in or not (tests/test_invitations.py).
    ("GET", "/invitations/t/{token}"),
    ("POST", "/invitations/t/{token}"),
    ("GET", "/healthz"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/"),
    ("GET", "/j"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
}
RESIDENT_PREFIXES = ("/j/", "/api/v1/join/", "/p/", "/static")


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    # FastAPI keeps included routers as wrappers around the router's own routes.
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _walk(included.routes, prefix + route.include_context.prefix)
        else:
            yield prefix, route


def _routes() -> set[tuple[str, str]]:
    found = set()
    for prefix, route in _walk(list(fastapi_app.routes)):
        methods = getattr(route, "methods", None) or set()
        for method in methods - {"HEAD"}:
            found.add((method, prefix + getattr(route, "path", "")))
    return found


def test_the_route_walk_sees_included_routers() -> None:
    assert ("GET", "/api/v1/events") in _routes()


def test_every_route_is_in_the_matrix() -> None:
    listed = {(c.method, c.path.replace("{event}", "{event_id}")) for c in CASES}
    normalised = set()
    for method, path in _routes():
        if (method, path) in UNCHECKED or path.startswith(RESIDENT_PREFIXES):
            continue
        normalised.add((method, path))
    templated = {
        (m, p.replace("{event}", "{event_id}").replace("{org}", "{org_id}")) for m, p in listed
    }

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", path)

    missing = sorted(
        (m, p)
        for m, p in normalised
        if (m, shape(p)) not in {(m2, shape(p2)) for m2, p2 in templated}
    )
    assert not missing, f"routes with no row in the authorisation matrix: {missing}"


def _ids(session: Session, w: factories.World) -> dict[str, int | str]:
    members = session.exec(
        select(Membership).where(
            Membership.organisation_id == w.org.id, Membership.user_id == w.organiser.id
        )
    ).one()
    assert w.org.id is not None
    programme = programmes.create_programme(
        session, organisation_id=w.org.id, name="Series", slug="series-x"
    )
    owner_token, _ = accounts.create_token(session, user=w.owner, name="owner's")
    table_1, table_2 = events.list_groups(session, w.event.id)  # the facilitator has table 1
    comment = comments.submit_comment(session, event=w.event, body="Hi", group_id=table_1.id)
    elsewhere = comments.submit_comment(session, event=w.event, body="Hi", group_id=table_2.id)
    question = panel.ask_question(session, event=w.event, body="When?")
    return {
        **mentoring_factories.matrix_ids(session, w.org, w.facilitator),
        "comment": comment.id or 0,
        "other_table_comment": elsewhere.id or 0,
        "panel_question": question.id or 0,
        "event": w.event.id or 0,
        "org": w.org.id,
        "membership": members.id or 0,
        "programme": programme.id or 0,
        "token": owner_token.id or 0,
        **_night_ids(session, w),
        "action": actions.create(session, event=w.event, text="Matrix action").id or 0,
        **_invitation_ids(session, w),
    }


def _invitation_ids(session: Session, w: factories.World) -> dict[str, int | str]:
    """The other organisation asks the world's organisation to co-host; someone new is invited."""
    theirs = factories.event(session, w.other_org, title="Theirs")
    asked = invitations.invite_organisation(
        session,
        kind="cohost",
        organisation_id=w.org.id or 0,
        invited_by=w.other_organiser,
        event_id=theirs.id,
    )
    _, secret = invitations.invite_person(
        session,
        kind="membership",
        organisation_id=w.org.id or 0,
        email="someone.new@example.org",
        role="facilitator",
        invited_by=w.owner,
    )
    return {"invitation": asked.id or 0, "secret": secret}


def _fill(value: Any, ids: dict[str, int | str]) -> Any:
    """A body value "{name}" stands for the id `name` of the test's world."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _night_ids(session: Session, w: factories.World) -> dict[str, int]:
    """Table 1 of the event: the facilitator's."""
    group = session.exec(select(Group).where(Group.event_id == w.event.id, Group.position == 0))
    return {"group": group.one().id or 0}


def _actor_user(w: factories.World, actor: str):  # type: ignore[no-untyped-def]
    return {
        "other_facilitator": w.other_facilitator,
        "facilitator": w.facilitator,
        "other_organiser": w.other_organiser,
        "organiser": w.organiser,
        "owner": w.owner,
    }[actor]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_matrix(case: Case, actor: str, db: Session, client: TestClient) -> None:
    w = factories.world(db)
    ids = _ids(db, w)
    path = case.path.format(**ids)
    headers: dict[str, str] = {}
    form = {k: str(_fill(v, ids)) for k, v in (case.form or {}).items()}
    if actor != "anonymous":
        user = _actor_user(w, actor)
        if case.api:
            headers = factories.token(db, user)
        else:
            form["csrf_token"] = factories.login(client, user)
    db.commit()
    response = client.request(
        case.method,
        path,
        json={k: _fill(v, ids) for k, v in case.json.items()} if case.json else None,
        data=form if not case.api else None,
        headers=headers,
        follow_redirects=False,
    )
    expected = case.expect[actor]
    got = response.status_code
    if expected == OK:
        to_login = got in (302, 303) and response.headers.get("location", "").startswith("/login")
        assert got < 400 and not to_login, f"{actor} got {got}: {response.text[:300]}"
    elif expected == 401 and not case.api:
        # A browser is shown the sign-in form (GET, 401) or refused (other methods).
        if case.method == "GET":
            assert got == 401 and 'action="/login"' in response.text
        else:
            assert got in (401, 403), f"{actor} got {got}"
    else:
        assert got == expected, f"{actor} got {got}, expected {expected}: {response.text[:300]}"
