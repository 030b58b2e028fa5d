"""The pairing suggestion: simple enough to explain in a sentence per pair.

Rules, in order: a pair spans two organisations; two mentors or two mentees are not paired;
the person with the fewest possible partners is paired first (so nobody is left out when that
can be avoided); among their possible partners the closest in seniority wins, a mentor not
junior to their mentee. A last pass (Edmonds' matching) changes partners where that brings
in anyone left over.
"""

from collections import deque
from dataclasses import dataclass

from sqlmodel import Session

from app.models import Cohort, Pairing, Participant
from app.models.base import id_of
from app.models.mentoring import SchemeRole
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
    return {a.scheme_role, b.scheme_role} not in ({SchemeRole.MENTOR}, {SchemeRole.MENTEE})


def _cost(a: Participant, b: Participant) -> int:
    mentor, mentee = _ordered(a, b)
    # A mentor more junior than their mentee is possible, but a last resort.
    return abs(a.seniority - b.seniority) + (3 if mentor.seniority < mentee.seniority else 0)


def _ordered(a: Participant, b: Participant) -> tuple[Participant, Participant]:
    """Mentor first: by declared role, else the more senior."""
    if a.scheme_role == SchemeRole.MENTEE or b.scheme_role == SchemeRole.MENTOR:
        return b, a
    if a.scheme_role == SchemeRole.MENTOR or b.scheme_role == SchemeRole.MENTEE:
        return a, b
    return (a, b) if (a.seniority, -(id_of(a))) >= (b.seniority, -(id_of(b))) else (b, a)


def _reason(a: Participant, b: Participant, orgs: dict[int, str], first: str | None) -> str:
    mentor, mentee = _ordered(a, b)
    gap = abs(a.seniority - b.seniority)
    text = (
        f"{orgs[mentor.organisation_id]} with {orgs[mentee.organisation_id]}; "
        f"{mentor.name} ({mentor.scheme_role}, seniority {mentor.seniority}) and "
        f"{mentee.name} ({mentee.scheme_role}, seniority {mentee.seniority}): "
        + ("same seniority" if gap == 0 else f"seniority gap {gap}")
    )
    if first:
        text += f"; {first} had the fewest possible partners"
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
        p = min(open_people, key=lambda x: (len(choices(x)), -x.seniority, id_of(x)))
        constrained = len(choices(p)) < min(len(choices(x)) for x in open_people if x is not p)
        q = min(choices(p), key=lambda x: (_cost(p, x), len(choices(x)), id_of(x)))
        chosen.append((p, q, constrained))
        del remaining[p.id], remaining[q.id]
    index = {p.id: i for i, p in enumerate(pool)}
    match = [-1] * len(pool)
    for a, b, _ in chosen:
        match[index[a.id]], match[index[b.id]] = index[b.id], index[a.id]
    _augment(pool, match)
    # Who was paired first because they had the fewest options, by greedy pair.
    greedy = {(a.id, b.id): a.name if c else None for a, b, c in chosen}
    greedy |= {(b, a): name for (a, b), name in greedy.items()}
    pairs = []
    for i, j in enumerate(match):
        if i < j:
            a, b = pool[i], pool[j]
            reason = _reason(a, b, orgs, greedy.get((a.id, b.id)))
            if (a.id, b.id) not in greedy:
                reason += "; paired this way so that nobody is left out"
            pairs.append(Suggestion(*_ordered(a, b), reason))
    left_over = [
        (p, "Nobody from another organisation with a compatible role")
        if not options[p.id]
        else (p, "Everyone they could be paired with is in a pair already (odd numbers)")
        for i, p in enumerate(pool)
        if match[i] == -1
    ]
    return Plan(pairs=pairs, left_over=left_over)


def _augment(pool: list[Participant], match: list[int]) -> None:
    """Grow a matching to the largest one possible (Edmonds' blossom algorithm), changing as
    few of the greedy pairs as it can: each augmenting path adds one pair."""
    n = len(pool)
    adj = [[j for j in range(n) if j != i and compatible(pool[i], pool[j])] for i in range(n)]
    for root in range(n):
        if match[root] != -1:
            continue
        end, parent = _find_path(root, adj, match)
        while end != -1:
            before = parent[end]
            after = match[before]
            match[end], match[before] = before, end
            end = after


def _find_path(root: int, adj: list[list[int]], match: list[int]) -> tuple[int, list[int]]:
    n = len(adj)
    used, parent, base = [False] * n, [-1] * n, list(range(n))
    used[root] = True
    queue = deque([root])

    def common_base(a: int, b: int) -> int:
        seen = [False] * n
        while True:
            a = base[a]
            seen[a] = True
            if match[a] == -1:
                break
            a = parent[match[a]]
        while True:
            b = base[b]
            if seen[b]:
                return b
            b = parent[match[b]]

    def mark(v: int, b: int, child: int, blossom: list[bool]) -> None:
        while base[v] != b:
            blossom[base[v]] = blossom[base[match[v]]] = True
            parent[v] = child
            child = match[v]
            v = parent[match[v]]

    while queue:
        v = queue.popleft()
        for to in adj[v]:
            if base[v] == base[to] or match[v] == to:
                continue
            if to == root or (match[to] != -1 and parent[match[to]] != -1):
                b = common_base(v, to)
                blossom = [False] * n
                mark(v, b, to, blossom)
                mark(to, b, v, blossom)
                for i in range(n):
                    if blossom[base[i]]:
                        base[i] = b
                        if not used[i]:
                            used[i] = True
                            queue.append(i)
            elif parent[to] == -1:
                parent[to] = v
                if match[to] == -1:
                    return to, parent
                used[match[to]] = True
                queue.append(match[to])
    return -1, parent


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
            first_id=id_of(s.first),
            second_id=id_of(s.second),
            reason=s.reason,
        )
        for s in plan.pairs
    ]
