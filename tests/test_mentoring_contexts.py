"""What the mentoring pages read: organisers every pair, a participant only their own."""

from sqlmodel import Session

from app.services.access import load_cohort, principal_for
from app.services.mentoring import contexts
from tests.support import mentoring_factories as mf


def test_organisers_read_every_pair_and_who_is_not_paired(db: Session) -> None:
    s = mf.scheme(db)
    access = load_cohort(db, principal_for(db, s.organiser), s.cohort.id or 0, "manage")
    shown = contexts.manager(db, access)
    assert {v.pairing.id for v in shown["pairs"]} == {s.pair.id, s.other_pair.id}
    assert {p.id for p in shown["unpaired"]} == {s.spare_lead.id, s.spare_partner.id}
    assert len(shown["flagged"]) == 2 and shown["access"] is access
    relaxed = contexts.manager(db, access, stale_weeks=10)
    assert relaxed["stale_weeks"] == 10 and relaxed["flagged"] == []


def test_a_participant_reads_their_own_pair_only(db: Session) -> None:
    s = mf.scheme(db)
    access = load_cohort(db, principal_for(db, s.member), s.cohort.id or 0, "view")
    shown = contexts.participant(db, access)
    assert shown["me"] == s.me and shown["partner"] == s.partner_person
    assert shown["pair"].pairing.id == s.pair.id
    assert "pairs" not in shown and shown["meetings"] == []


def test_the_pairing_page_reads_a_suggestion_for_those_not_paired(db: Session) -> None:
    s = mf.scheme(db)
    access = load_cohort(db, principal_for(db, s.organiser), s.cohort.id or 0, "manage")
    plan = contexts.pairing(db, access)["plan"]
    suggested = {p.id for pair in plan.pairs for p in (pair.first, pair.second)}
    assert suggested == {s.spare_lead.id, s.spare_partner.id}
