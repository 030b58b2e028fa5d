"""The pairing suggestion: cross-organisation, balanced seniority, nobody left out if avoidable,
and a reason for every pair."""

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.models import Participant
from app.services.mentoring import suggest
from app.services.mentoring.suggest import compatible, plan_pairs
from tests.support import mentoring_factories as mf

ORGS = {1: "Council", 2: "Police", 3: "Youth service"}


def person(pid: int, org: int, role: str = "either", seniority: int = 3) -> Participant:
    return Participant(
        id=pid,
        cohort_id=1,
        name=f"P{pid}",
        email=f"p{pid}@example.org",
        organisation_id=org,
        scheme_role=role,
        seniority=seniority,
    )


def most_pairs(pool: list[Participant]) -> int:
    """The largest number of pairs possible, by brute force (small pools only)."""
    if len(pool) < 2:
        return 0
    first, rest = pool[0], pool[1:]
    best = most_pairs(rest)  # first stays unpaired
    for i, other in enumerate(rest):
        if compatible(first, other):
            best = max(best, 1 + most_pairs(rest[:i] + rest[i + 1 :]))
    return best


def test_the_most_constrained_are_paired_first_so_nobody_is_left_out() -> None:
    # Pairing the two closest in seniority (P1, P4) first would strand both police officers.
    pool = [
        person(1, 1, seniority=3),
        person(2, 2, seniority=5),
        person(3, 2, seniority=5),
        person(4, 3, seniority=3),
    ]
    plan = plan_pairs(pool, ORGS)
    assert len(plan.pairs) == 2 and plan.left_over == []
    assert all(s.first.organisation_id != s.second.organisation_id for s in plan.pairs)


def test_seniority_is_balanced_and_the_mentor_comes_first() -> None:
    pool = [
        person(1, 1, "mentor", 5),
        person(2, 1, "mentor", 3),
        person(3, 2, "mentee", 4),
        person(4, 2, "mentee", 2),
    ]
    plan = plan_pairs(pool, ORGS)
    pairs = {(s.first.id, s.second.id) for s in plan.pairs}
    assert pairs == {(1, 3), (2, 4)}
    reason = next(s.reason for s in plan.pairs if s.first.id == 1)
    assert "Council with Police" in reason and "seniority gap 1" in reason


def test_two_mentors_are_not_paired_and_whoever_is_left_over_is_explained() -> None:
    pool = [person(1, 1, "mentor"), person(2, 2, "mentor"), person(3, 2, "mentee")]
    plan = plan_pairs(pool, ORGS)
    assert [(s.first.id, s.second.id) for s in plan.pairs] == [(1, 3)]
    assert [(p.id, why) for p, why in plan.left_over] == [
        (2, "Nobody from another organisation with a compatible role")
    ]
    odd = plan_pairs([person(1, 1), person(2, 2), person(3, 2)], ORGS)
    assert [why for _, why in odd.left_over] == [
        "Everyone they could be paired with is in a pair already (odd numbers)"
    ]
    alone = plan_pairs([person(1, 1), person(2, 1)], ORGS)
    assert alone.pairs == [] and all("another organisation" in w for _, w in alone.left_over)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 3),
            st.sampled_from(["mentor", "mentee", "either"]),
            st.integers(1, 5),
        ),
        max_size=9,
    )
)
def test_suggestions_are_valid_and_leave_out_nobody_who_could_be_paired(
    people: list[tuple[int, str, int]],
) -> None:
    pool = [person(i + 1, org, role, sen) for i, (org, role, sen) in enumerate(people)]
    plan = plan_pairs(pool, ORGS)
    paired = [p.id for s in plan.pairs for p in (s.first, s.second)]
    assert len(paired) == len(set(paired))  # nobody in two pairs
    assert all(compatible(s.first, s.second) and s.reason for s in plan.pairs)
    assert len(plan.pairs) + len(plan.left_over) * 0.5 == len(pool) / 2
    assert len(plan.pairs) == most_pairs(pool)


def test_accepting_the_suggestion_makes_the_pairs_with_their_reasons(db: Session) -> None:
    s = mf.scheme(db)
    made = suggest.accept_suggestions(db, cohort=s.cohort)
    assert [(p.first_id, p.second_id) for p in made] == [(s.spare_lead.id, s.spare_partner.id)] or [
        (p.second_id, p.first_id) for p in made
    ] == [(s.spare_lead.id, s.spare_partner.id)]
    assert all(p.reason and "with" in p.reason for p in made)
    assert suggest.suggest(db, cohort=s.cohort).pairs == []


def test_only_people_not_yet_paired_are_suggested(db: Session) -> None:
    s = mf.scheme(db)
    plan = suggest.suggest(db, cohort=s.cohort)
    ids = {p.id for sug in plan.pairs for p in (sug.first, sug.second)}
    assert ids == {s.spare_lead.id, s.spare_partner.id}
