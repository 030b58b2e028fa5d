"""Small counts (SPEC §3.3): breakdowns of self-reported characteristics made safe to show.

Every page, export and API that shows equality data goes through these two functions.

- A count from 1 to 4 is shown as "<5" (primary suppression). Zero is shown: it describes nobody.
- Then further cells are hidden as "*" (secondary suppression) until no "<5" cell can be worked
  out exactly from what is shown, assuming the worst: that the total (for a breakdown), or every
  row total, column total and the grand total (for a table), are published exactly.
- Secondary cells are chosen among counts of 5 or more, smallest first, next to the cell they
  protect. When no choice protects every small cell (a table too small to break down), every
  cell is hidden as "*", zeros included, so nothing is shown but the totals.

The check is exact: the bounds a reader can derive for a hidden cell are the minimum and maximum
of a linear programme over the hidden cells (a transportation problem, whose optimal vertices
are whole numbers), with "<5" cells between 1 and 4 and "*" cells at least 5.
"""

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
UNDER = "<5"
SUPPRESSED = "*"
NOTE = (
    "<5: fewer than five people. *: hidden so that small numbers cannot be worked out from "
    "the totals."
)

Constraint = Sequence[int]  # the indices of the cells a published total adds up


@dataclass
class _Plan:
    values: list[int]
    constraints: list[Constraint]
    primary: set[int]
    secondary: set[int]
    # Hiding more cells only widens what a reader can derive, so a protected cell stays so.
    protected: set[int]

    def bounds(self, i: int) -> tuple[int, int]:
        if i in self.primary:
            return 1, THRESHOLD - 1
        return THRESHOLD, sum(self.values)

    def hidden(self) -> list[int]:
        return sorted(self.primary | self.secondary)


def _exposed(plan: _Plan) -> int | None:
    """A small cell whose exact count can be worked out from what is shown, if there is one."""
    # numpy and scipy load with the first audit that needs them, not with every web process.
    import numpy as np
    from scipy.optimize import linprog

    hidden = plan.hidden()
    position = {cell: k for k, cell in enumerate(hidden)}
    rows, targets = [], []
    for cells in plan.constraints:
        inside = [c for c in cells if c in position]
        if not inside:
            continue
        if len(inside) == 1 and inside[0] in plan.primary:
            return inside[0]  # the only hidden cell of a published total: no sum needed
        row = np.zeros(len(hidden))
        row[[position[c] for c in inside]] = 1
        rows.append(row)
        targets.append(sum(plan.values[c] for c in inside))
    if not rows:
        return None
    a_eq, b_eq = np.array(rows), np.array(targets)
    bounds = [plan.bounds(c) for c in hidden]
    for cell in sorted(plan.primary - plan.protected):
        objective = np.zeros(len(hidden))
        objective[position[cell]] = 1
        # Protected as soon as either bound differs from the true count.
        for sign in (1, -1):
            result = linprog(sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if result.status == 0 and abs(sign * result.fun - plan.values[cell]) >= 0.5:
                plan.protected.add(cell)
                break
        else:
            return cell
    return None


def _protector(plan: _Plan, cell: int) -> int | None:
    """The smallest shown count of 5 or more, next to the cell if possible."""
    shown = [
        c
        for c, v in enumerate(plan.values)
        if v >= THRESHOLD and c not in plan.primary | plan.secondary
    ]
    near = {c for cells in plan.constraints if cell in cells for c in cells}
    ranked = sorted(shown, key=lambda c: (c not in near, plan.values[c], c))
    return ranked[0] if ranked else None


def _suppress(values: list[int], constraints: list[Constraint]) -> list[str]:
    plan = _Plan(
        values=values,
        constraints=constraints,
        primary={i for i, v in enumerate(values) if 0 < v < THRESHOLD},
        secondary=set(),
        protected=set(),
    )
    while (cell := _exposed(plan)) is not None:
        protector = _protector(plan, cell)
        if protector is None:
            return [SUPPRESSED] * len(values)
        plan.secondary.add(protector)
    return [
        UNDER if i in plan.primary else SUPPRESSED if i in plan.secondary else str(v)
        for i, v in enumerate(values)
    ]


def _check(counts: dict[str, int]) -> None:
    for key, value in counts.items():
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"count for {key!r} must be a whole number of 0 or more")


def suppress_breakdown(counts: dict[str, int]) -> dict[str, str]:
    """Display cells for a breakdown (category -> count), safe to show with its total."""
    _check(counts)
    keys = list(counts)
    cells = _suppress([counts[k] for k in keys], [list(range(len(keys)))])
    return dict(zip(keys, cells, strict=True))


def suppress_table(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """Display cells for a cross-tabulation (row -> column -> count), safe to show with its
    row, column and grand totals. Missing cells count as 0."""
    rows = list(counts)
    columns = list(dict.fromkeys(c for row in counts.values() for c in row))
    for row in counts.values():
        _check(row)
    width = len(columns)
    values = [counts[r].get(c, 0) for r in rows for c in columns]
    constraints: list[Constraint] = [
        [i * width + j for j in range(width)] for i in range(len(rows))
    ]
    constraints += [[i * width + j for i in range(len(rows))] for j in range(width)]
    cells = _suppress(values, constraints)
    return {r: {c: cells[i * width + j] for j, c in enumerate(columns)} for i, r in enumerate(rows)}
