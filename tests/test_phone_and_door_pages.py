"""The phone's votes, the privacy notice and its contact, a closed meeting, and the door, as
plain HTML (the browser tests drive the same pages with JavaScript on and off)."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Comment, Event, EventCohost, Group, Organisation
from app.services import attendance, events, programmes
from tests.support import factories


def _open_event(db: Session) -> Event:
    e = factories.event(db, factories.org(db), status="open")
    db.commit()
    return e


def _published(db: Session, e: Event, body: str, group_id: int | None = None) -> Comment:
    c = Comment(event_id=e.id, body=body, status="published", group_id=group_id)
    db.add(c)
    db.commit()
    return c


def _table(db: Session, e: Event) -> Group:
    return db.exec(select(Group).where(Group.event_id == e.id).order_by(Group.position)).first()  # type: ignore[arg-type]


def test_counts_are_hidden_until_you_vote_then_shown_and_your_vote_marked(
    client: TestClient, db: Session
) -> None:
    e = _open_event(db)
    table = _table(db, e)
    c = _published(db, e, "Youth clubs", table.id)
    home = f"/j/{e.join_code}/t/{table.id}"
    csrf = factories.csrf_from(client, home)
    before = client.get(home).text
    assert re.search(r'class="cg-count" hidden>0<', before)
    assert 'aria-pressed="true"' not in before
    voted = client.post(
        f"/j/{e.join_code}/comments/{c.id}/vote",
        data={"vote": "agree", "group_id": str(table.id), "csrf_token": csrf},
        follow_redirects=False,
    )
    assert voted.status_code == 303
    assert voted.headers["location"] == f"{home}#c{c.id}"  # the table is kept
    after = client.get(home).text
    assert re.search(r'value="agree" class="cg-vote__button" aria-pressed="true">Agree', after)
    assert (
        re.search(r'class="cg-count">1<', after)
        and "hidden>" not in after.split(f'id="c{c.id}"')[1].split("</li>")[0]
    )
    # Another browser has not voted: it still sees no counts.
    other = TestClient(client.app)
    assert re.search(r'class="cg-count" hidden>1<', other.get(home).text)


def test_a_me_too_on_a_panel_question_keeps_the_table(client: TestClient, db: Session) -> None:
    e = _open_event(db)
    table = _table(db, e)
    home = f"/j/{e.join_code}/t/{table.id}"
    csrf = factories.csrf_from(client, home)
    asked = client.post(
        f"/j/{e.join_code}/questions",
        data={
            "body": "When is the next ward panel?",
            "group_id": str(table.id),
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert asked.headers["location"].startswith(home)
    page = client.get(home).text
    question_id = re.search(r'id="pq(\d+)"', page).group(1)  # type: ignore[union-attr]
    upped = client.post(
        f"/j/{e.join_code}/questions/{question_id}/upvote",
        data={"group_id": str(table.id), "csrf_token": csrf},
        follow_redirects=False,
    )
    assert upped.headers["location"] == f"{home}#pq{question_id}"
    assert 'data-mine="up" aria-pressed="true"' in client.get(home).text


def test_a_closed_meeting_says_so_offers_the_public_page_and_has_no_forms(
    client: TestClient, db: Session
) -> None:
    o = factories.org(db)
    programme = programmes.create_programme(
        db, organisation_id=o.id or 0, name="LRAP Wandsworth", slug="lrap-wandsworth"
    )
    e = factories.event(db, o, status="open")
    e.programme_id = programme.id
    events.set_status(db, event=e, status="closed")
    db.commit()
    page = client.get(f"/j/{e.join_code}").text
    assert "This meeting has closed" in page
    assert 'href="/p/lrap-wandsworth"' in page
    assert 'id="comment-form"' not in page and 'action="/j/' not in page


def test_the_privacy_notice_names_the_lead_and_accepted_cohosts_with_their_contacts(
    client: TestClient, db: Session
) -> None:
    e = _open_event(db)
    lead = db.get(Organisation, e.organisation_id)
    assert lead is not None
    lead.contact_email = "dpo@council.example.org"
    cohost = factories.org(db, name="Met SW")
    db.add(EventCohost(event_id=e.id, organisation_id=cohost.id))
    factories.org(db, name="Not a host")
    db.commit()
    page = client.get(f"/j/{e.join_code}/privacy?t=5").text
    assert "data controllers" in page
    assert lead.name in page and "Met SW" in page and "Not a host" not in page
    assert 'href="mailto:dpo@council.example.org"' in page
    assert f'href="/j/{e.join_code}/t/5"' in page


def test_an_owner_sets_the_privacy_contact_and_a_bad_address_is_refused_by_the_field(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    db.commit()
    csrf = factories.login(client, w.owner)
    bad = client.post(
        f"/orgs/{w.org.id}/contact", data={"contact_email": "not an address", "csrf_token": csrf}
    )
    assert bad.status_code == 422 and 'id="contact_email-error"' in bad.text
    good = client.post(
        f"/orgs/{w.org.id}/contact",
        data={"contact_email": "DPO@Example.org", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert good.status_code == 303
    db.refresh(w.org)
    assert w.org.contact_email == "dpo@example.org"
    assert "dpo@example.org" in client.get(f"/j/{w.event.join_code}/privacy").text


def test_the_door_shows_door_counts_only_a_total_the_sides_and_who_is_absent(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    table = _table(db, w.event)
    attendance.record(db, event=w.event, role="Resident", delta=3, group_id=table.id)
    db.commit()
    csrf = factories.login(client, w.organiser)
    page = client.get(f"/events/{w.event.id}/door").text
    assert 'data-total="all">0<' in page  # the table's three are not the door's
    for role, delta in (("Resident", 1), ("Police officer", 1), ("Police officer", 1)):
        client.post(
            f"/events/{w.event.id}/door/count",
            data={"role": role, "delta": str(delta), "csrf_token": csrf},
        )
    page = client.get(f"/events/{w.event.id}/door").text
    assert 'data-total="all">3<' in page
    assert 'data-total="community">1<' in page and 'data-total="services">2<' in page
    assert "More people from services than from the community" in page
    community = page.split('data-side="community"')[1].split('data-side="services"')[0]
    assert "+ Resident" in community and "Councillor" not in community
    assert "+ Councillor" in page.split('data-side="services"')[1]
    absent = page.split("Not here yet:")[1].split("</p>")[0]
    assert "Councillor" in absent and "Resident" not in absent
