"""`commonground import-polis DIR [--org SLUG]`: a new event from a Pol.is export."""

import csv
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.cli import app as cli
from app.models import Comment, Event, Organisation, Vote
from app.services import polis_import
from app.services.errors import DomainError
from app.services.opinion_groups import store
from tests.support import factories
from tests.support.opinion_rooms import DATA

LONDON = DATA / "london.youth.policing"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"no Pol.is data at {DATA}")


def test_an_import_holds_the_comments_votes_and_groups(db: Session) -> None:
    o = factories.org(db)
    assert o.id is not None
    conversation = polis_import.read_conversation(LONDON)
    event = polis_import.import_conversation(db, organisation_id=o.id, conversation=conversation)
    assert event.status == "closed" and event.title.endswith("(Pol.is)")
    comments = db.exec(select(Comment).where(Comment.event_id == event.id)).all()
    with (LONDON / "comments.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(comments) == len(rows)
    assert sum(c.status == "hidden" for c in comments) == sum(r["moderated"] == "-1" for r in rows)
    # The counts agree with Pol.is's own (agree is +1); a re-vote may differ by one.
    for ours, theirs in (("agree_count", "agrees"), ("disagree_count", "disagrees")):
        total = sum(int(r[theirs]) for r in rows)
        assert abs(sum(getattr(c, ours) for c in comments) - total) <= 0.01 * total
    votes = db.exec(select(func.count()).select_from(Vote).where(Vote.event_id == event.id)).one()
    with (LONDON / "votes.csv").open(newline="") as handle:
        cells = {(r["voter-id"], r["comment-id"]) for r in csv.DictReader(handle)}
    assert votes == len(cells)
    stored = store.cached(db, event.id or 0)
    assert stored is not None and stored.version == 1
    assert stored.payload["status"] == "ready"


def test_a_folder_without_the_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as caught:
        polis_import.read_conversation(tmp_path)
    assert caught.value.field == "DIR" and "comments.csv" in caught.value.message


def test_the_command_prints_the_new_event_id(engine: Engine) -> None:
    with Session(engine) as session:
        o = factories.org(session)
        session.commit()
        slug, org_id = o.slug, o.id
    result = CliRunner().invoke(cli, ["import-polis", str(LONDON), "--org", slug])
    try:
        assert result.exit_code == 0, result.output
        event_id = int(result.stdout.strip())
        with Session(engine) as session:
            event = session.get(Event, event_id)
            assert event is not None and event.organisation_id == org_id
    finally:
        with Session(engine) as session:
            for e in session.exec(select(Event).where(Event.organisation_id == org_id)).all():
                session.delete(e)
            session.flush()
            session.delete(session.get(Organisation, org_id))
            session.commit()
    bad = CliRunner().invoke(cli, ["import-polis", str(LONDON), "--org", "no-such-org"])
    assert bad.exit_code == 1 and "no-such-org" in bad.output


def test_bulk_inserted_votes_carry_the_hashed_voter_and_the_minute(db: Session) -> None:
    o = factories.org(db)
    assert o.id is not None
    conversation = polis_import.read_conversation(LONDON)
    event = polis_import.import_conversation(db, organisation_id=o.id, conversation=conversation)
    last = conversation.votes[-1]
    voter = hashlib.sha256(f"polis:{event.id}:{last.voter_id}".encode()).hexdigest()
    stored = db.exec(select(Vote).where(Vote.event_id == event.id, Vote.voter == voter)).all()
    latest = {v.comment_id: v for v in conversation.votes if v.voter_id == last.voter_id}
    assert len(stored) == len(latest)
    when = datetime.fromtimestamp(last.at / 1000, UTC).replace(second=0, microsecond=0)
    assert when in {v.created_at for v in stored}
    assert all(v.created_at.second == 0 and v.created_at.tzinfo is not None for v in stored)
    assert sorted(v.value for v in stored) == sorted(v.value for v in latest.values())
