"""HTTP only: parse, call a service, render or serialise.

`ROUTERS` is every router, in the order the application includes them. Routes are matched in
order, router by router: the busiest ones (residents' phones and the live streams) come
first, so their requests do not try every staff route before.
"""

from app.routers import (
    action_pages,
    admin_pages,
    api_actions,
    api_comments,
    api_equality,
    api_events,
    api_invitations,
    api_join,
    api_orgs,
    api_summary,
    auth,
    event_pages,
    health,
    home_pages,
    invitation_pages,
    live_streams,
    night_actions,
    night_pages,
    opinion_groups,
    privacy_pages,
    public_pages,
    resident_pages,
    summary_pages,
)
from app.routers.mentoring import cohorts, export, flows, pairs, people

ROUTERS = (
    api_join.router,
    resident_pages.router,
    privacy_pages.router,
    live_streams.router,
    health.router,
    auth.router,
    home_pages.router,
    event_pages.router,
    admin_pages.router,
    invitation_pages.router,
    api_invitations.router,
    api_events.router,
    api_orgs.router,
    api_comments.router,
    api_equality.router,
    summary_pages.router,
    api_summary.router,
    public_pages.router,
    api_actions.router,
    action_pages.router,
    opinion_groups.router,
    cohorts.api,
    people.api,
    pairs.api,
    flows.api,
    export.api,
    cohorts.pages,
    people.pages,
    pairs.pages,
    flows.pages,
    night_pages.router,
    night_actions.router,
)
