"""The pairing suggestion: simple enough to explain in a sentence per pair.

Rules, in order: a pair spans two organisations; two mentors or two mentees are not paired;
the person with the fewest possible partners is paired first (so nobody is left out when that
can be avoided); among their possible partners the closest in seniority wins, a mentor not
junior to their mentee. A last pass swaps partners to bring in anyone still left over.
"""

from dataclasses import dataclass

from sqlmodel import Session

from app.models import Cohort, Pairing, Participant
from app.services.mentoring.pairs import make_pair, org_names, unpaired


@dataclass
class Suggestion:
    first: Participant
    second: Participant
    reason: str


@dataclass
class Plan:
    pairs: list[Suggestion]
    left_over: list[tuple[Participant, str]]  # who stays unpaired, and why


def compatible(a: Participant, b: Participant) -> bool:
    if a.organisation_id == b.organisation_id:
        return False
    return {a.scheme_role, b.scheme_role} not in ({"mentor"}, {"mentee"})


def _cost(a: Participant, b: Participant) -> int:
    mentor, mentee = _ordered(a, b)
    # A mentor more junior than their mentee is possible, but a last resort.
    return abs(a.seniority - b.seniority) + (3 if mentor.seniority < mentee.seniority else 0)


def _ordered(a: Participant, b: Participant) -> tuple[Participant, Participant]:
    """Mentor first: by declared role, else the more senior."""
    if a.scheme_role == "mentee" or b.scheme_role == "mentor":
        return b, a
    if a.scheme_role == "mentor" or b.scheme_role == "mentee":
        return a, b
    return (a, b) if (a.seniority, -(a.id or 0)) >= (b.seniority, -(b.id or 0)) else (b, a)


def _reason(a: Participant, b: Participant, orgs: dict[int, str], constrained: bool) -> str:
    mentor, mentee = _ordered(a, b)
    gap = abs(a.seniority - b.seniority)
    text = (
        f"{orgs[mentor.organisation_id]} with {orgs[mentee.organisation_id]}; "
        f"{mentor.name} ({mentor.scheme_role}, seniority {mentor.seniority}) and "
        f"{mentee.name} ({mentee.scheme_role}, seniority {mentee.seniority}): "
        + ("same seniority" if gap == 0 else f"seniority gap {gap}")
    )
    if constrained:
        text += f"; {a.name} had the fewest possible partners"
    return text


def plan_pairs(pool: list[Participant], orgs: dict[int, str]) -> Plan:
    """Pair everyone in `pool` that can be paired; pure, so it is easy to test."""
    remaining = {p.id: p for p in pool}
    options = {p.id: [q for q in pool if q.id != p.id and compatible(p, q)] for p in pool}

    def choices(p: Participant) -> list[Participant]:
        return [q for q in options[p.id] if q.id in remaining]

    chosen: list[tuple[Participant, Participant, bool]] = []
    while True:
        open_people = [p for p in remaining.values() if choices(p)]
        if not open_people:
            break
        p = min(open_people, key=lambda x: (len(choices(x)), -x.seniority, x.id or 0))
        constrained = len(choices(p)) < min(len(choices(x)) for x in open_people if x is not p)
        q = min(choices(p), key=lambda x: (_cost(p, x), len(choices(x)), x.id or 0))
        chosen.append((p, q, constrained))
        del remaining[p.id], remaining[q.id]
    _bring_in_left_over(chosen, remaining)
    left_over = [
        (p, "Nobody unpaired from another organisation with a compatible role")
        if not options[p.id]
        else (p, "Everyone they could be paired with is in a pair already (odd numbers)")
        for p in remaining.values()
    ]
    pairs = [Suggestion(*_ordered(a, b), _reason(a, b, orgs, c)) for a, b, c in chosen]
    return Plan(pairs=pairs, left_over=left_over)


def _bring_in_left_over(
    chosen: list[tuple[Participant, Participant, bool]], remaining: dict[int | None, Participant]
) -> None:
    """Swap partners so two people left over both get a pair: (a,b),u,v -> (u,a),(b,v)."""
    changed = True
    while changed and len(remaining) >= 2:
        changed = False
        for i, (a, b, _) in enumerate(chosen):
            for x, y in ((a, b), (b, a)):
                for u in remaining.values():
                    v = next(
                        (v for v in remaining.values() if v is not u and compatible(v, y)), None
                    )
                    if v is not None and compatible(u, x):
                        chosen[i] = (u, x, False)
                        chosen.append((y, v, False))
                        del remaining[u.id], remaining[v.id]
                        changed = True
                        break
                if changed:
                    break
            if changed:
                break


def suggest(session: Session, *, cohort: Cohort) -> Plan:
    """A suggestion for everyone of the cohort not yet in an active pair."""
    pool = unpaired(session, cohort.id)
    return plan_pairs(pool, org_names(session, {p.organisation_id for p in pool}))


def accept_suggestions(session: Session, *, cohort: Cohort) -> list[Pairing]:
    """Make every suggested pair, each keeping its explanation."""
    plan = suggest(session, cohort=cohort)
    return [
        make_pair(
            session,
            cohort=cohort,
            first_id=s.first.id or 0,
            second_id=s.second.id or 0,
            reason=s.reason,
        )
        for s in plan.pairs
    ]
