"""Time `commonground import-polis` on the largest shipped Pol.is conversation.

The import (reading the export, the event, its comments and votes, committed) and the first
opinion-group computation (the replay of the votes through the pipeline, stored, the event
closed, committed) are timed apart. Target (issue 17): the import at >= 50,000 votes/s.
Baseline in the same run: the votes added as one ORM object each, as the import did before.
Each figure is the best of REPEAT imports, each a new event; the target is judged on CPU time
(one core's work, steady when the machine is shared), wall time printed beside it. Scratch
SQLite database, or BENCH_DATABASE_URL's (for PostgreSQL).

    .venv/bin/python bench/polis_import.py [EXPORT_DIR]
"""

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

SCRATCH = Path(tempfile.mkdtemp(prefix="cg-bench-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.db'}"
)
os.environ.setdefault("SECRET_KEY", "bench-secret-key")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.cli import alembic_config  # noqa: E402
from app.db import get_engine  # noqa: E402
from app.models import Comment, Vote, to_minute  # noqa: E402
from app.services import accounts, events, polis_import  # noqa: E402
from app.services.polis_import import PolisConversation, PolisVote  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polis-open-data"
LARGEST = "brexit-consensus"  # 5,312 votes, the most of the shipped conversations
TARGET = 50_000
REPEAT = 5


def timed_import(directory: Path, organisation_id: int, *, orm: bool) -> tuple[float, float, int]:
    """Wall and CPU seconds of one import (read, insert, commit) and the votes it stored."""
    engine = get_engine()
    start, start_cpu = time.perf_counter(), time.process_time()
    conversation = polis_import.read_conversation(directory)
    with Session(engine) as session:
        if orm:
            _orm_import(session, organisation_id, conversation)
        else:
            polis_import.insert_conversation(
                session, organisation_id=organisation_id, conversation=conversation
            )
        session.commit()
    latest = {(v.voter_id, v.comment_id) for v in conversation.votes}
    return time.perf_counter() - start, time.process_time() - start_cpu, len(latest)


def _orm_import(session: Session, organisation_id: int, conversation: PolisConversation) -> None:
    """The import as it was: an ORM object per vote, flushed together."""
    saved = polis_import._insert_votes
    added: list[Vote] = []

    def one_by_one(
        session: Session, event_id: int, rows: dict[int, Comment], votes: list[PolisVote]
    ) -> None:
        for v in votes:
            key = f"polis:{event_id}:{v.voter_id}".encode()
            added.append(
                Vote(
                    event_id=event_id,
                    comment_id=rows[v.comment_id].id or 0,
                    voter=hashlib.sha256(key).hexdigest(),
                    value=v.value,
                    created_at=to_minute(polis_import._time(v.at)),
                )
            )
        session.add_all(added)
        session.flush()

    polis_import._insert_votes = one_by_one  # type: ignore[assignment]
    try:
        polis_import.insert_conversation(
            session, organisation_id=organisation_id, conversation=conversation
        )
    finally:
        polis_import._insert_votes = saved  # type: ignore[assignment]


def timed_groups(directory: Path, organisation_id: int) -> float:
    """The first opinion-group computation of a freshly imported conversation."""
    conversation = polis_import.read_conversation(directory)
    with Session(get_engine()) as session:
        event, rows = polis_import.insert_conversation(
            session, organisation_id=organisation_id, conversation=conversation
        )
        session.commit()
        start = time.perf_counter()
        polis_import.store_groups(session, event.id or 0, conversation, rows)
        events.set_status(session, event=event, status="open")
        events.set_status(session, event=event, status="closed")
        session.commit()
        return time.perf_counter() - start


def main() -> int:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA / LARGEST
    engine = get_engine()
    config = alembic_config()
    config.attributes["configure_logging"] = False
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with Session(engine) as session:
        org = accounts.create_organisation(session, name="Bench", slug="bench-polis")
        session.commit()
        org_id = org.id or 0
    print(f"{directory.name} on {engine.dialect.name}, best of {REPEAT}")
    results = {}
    for name, orm in (("baseline (ORM, a Vote object each)", True), ("import", False)):
        runs = [timed_import(directory, org_id, orm=orm) for _ in range(REPEAT)]
        wall, cpu, votes = min(r[0] for r in runs), min(r[1] for r in runs), runs[0][2]
        results[name] = votes / cpu
        line = (
            f"  {name:36s} {votes:>6,} votes: {wall:6.3f} s wall = {votes / wall:>7,.0f}/s,"
            f" {cpu:6.3f} s cpu = {votes / cpu:>7,.0f}/s"
        )
        if not orm:
            ok = votes / cpu >= TARGET
            line += f"  (target >= {TARGET:,}/s on one core: {'met' if ok else 'MISSED'})"
        print(line)
    groups = min(timed_groups(directory, org_id) for _ in range(2))
    print(f"  first opinion groups (replay, store, close) {groups:6.3f} s")
    return 0 if results["import"] >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
