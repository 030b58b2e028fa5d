"""Small counts: "<5" for 1 to 4, and secondary suppression so no hidden count can be derived.

Worked tables are checked by hand in the comments; the properties check every result against a
brute-force reader who knows the totals and tries every table that fits what is shown.
"""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session
from starlette.testclient import TestClient

from app.services.small_counts import SUPPRESSED, UNDER, suppress_breakdown, suppress_table
from tests.support import factories


def test_large_counts_and_zeros_are_shown_as_they_are() -> None:
    assert suppress_breakdown({"African": 12, "Caribbean": 9, "Irish": 0}) == {
        "African": "12",
        "Caribbean": "9",
        "Irish": "0",
    }


def test_one_small_count_takes_the_next_smallest_with_it() -> None:
    # Total 22 is published. Showing 12 and 7 would give 22 - 19 = 3.
    # Hiding 7 too: hidden sum 10 = small (1..4) + other (5..): small is anywhere in 1..4.
    assert suppress_breakdown({"A": 12, "B": 7, "C": 3, "D": 0}) == {
        "A": "12",
        "B": SUPPRESSED,
        "C": UNDER,
        "D": "0",
    }


def test_a_second_cell_of_exactly_five_is_not_enough() -> None:
    # Hiding 5 and 1: hidden sum 6 = small + (at least 5), so small = 1. Hide 10 as well.
    assert suppress_breakdown({"A": 10, "B": 5, "C": 1}) == {
        "A": SUPPRESSED,
        "B": SUPPRESSED,
        "C": UNDER,
    }


def test_two_small_counts_protect_each_other_when_their_sum_allows() -> None:
    # 4 + 1 = 5 hidden: (1,4), (2,3), (3,2), (4,1) all fit.
    assert suppress_breakdown({"A": 4, "B": 1, "C": 30}) == {"A": UNDER, "B": UNDER, "C": "30"}
    # 1 + 1 = 2 hidden: only (1,1) fits, so 30 is hidden too.
    assert suppress_breakdown({"A": 1, "B": 1, "C": 30}) == {
        "A": UNDER,
        "B": UNDER,
        "C": SUPPRESSED,
    }


def test_a_breakdown_too_small_to_show_hides_everything() -> None:
    assert suppress_breakdown({"A": 1, "B": 1}) == {"A": SUPPRESSED, "B": SUPPRESSED}
    assert suppress_breakdown({"A": 2, "B": 0}) == {"A": SUPPRESSED, "B": SUPPRESSED}


def test_a_two_by_two_table_with_one_small_cell_hides_all_four() -> None:
    # Row totals 13, 20; column totals 11, 22. Any one shown cell gives the 3 away.
    table = {"Black": {"16-24": 3, "25-34": 10}, "White": {"16-24": 8, "25-34": 12}}
    assert suppress_table(table) == {
        "Black": {"16-24": UNDER, "25-34": SUPPRESSED},
        "White": {"16-24": SUPPRESSED, "25-34": SUPPRESSED},
    }


def test_a_three_by_three_table() -> None:
    table = {
        "R1": {"A": 2, "B": 10, "C": 15},
        "R2": {"A": 12, "B": 20, "C": 9},
        "R3": {"A": 7, "B": 6, "C": 30},
    }
    shown = suppress_table(table)
    assert shown["R1"]["A"] == UNDER
    # By hand: with R1A = x, rows and columns give R1B = 12 - x, R3A = 9 - x, R3B = 4 + x,
    # and x anywhere from 1 to 4 keeps every hidden large cell at 5 or more.
    assert shown == {
        "R1": {"A": UNDER, "B": SUPPRESSED, "C": SUPPRESSED},
        "R2": {"A": SUPPRESSED, "B": "20", "C": "9"},
        "R3": {"A": SUPPRESSED, "B": SUPPRESSED, "C": "30"},
    }
    assert not _derivable_table(table, shown)


def test_missing_cells_count_as_zero() -> None:
    shown = suppress_table({"A": {"x": 20, "y": 30}, "B": {"x": 40}})
    assert shown == {"A": {"x": "20", "y": "30"}, "B": {"x": "40", "y": "0"}}


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        suppress_breakdown({"A": -1})


# A brute-force reader: every table of whole numbers that fits what is shown and the totals.


def _options(cell: str, total: int, everything_hidden: bool) -> range:
    if cell == UNDER:
        return range(1, 5)
    if cell == SUPPRESSED:
        return range(0 if everything_hidden else 5, total + 1)
    return range(int(cell), int(cell) + 1)


def _derivable_breakdown(counts: dict[str, int], shown: dict[str, str]) -> list[str]:
    total = sum(counts.values())
    all_hidden = all(v == SUPPRESSED for v in shown.values())
    keys = list(counts)
    seen: dict[str, set[int]] = {k: set() for k in keys}
    for combo in itertools.product(*(_options(shown[k], total, all_hidden) for k in keys)):
        if sum(combo) == total:
            for k, v in zip(keys, combo, strict=True):
                seen[k].add(v)
    return [k for k in keys if shown[k] in (UNDER, SUPPRESSED) and len(seen[k]) < 2]


def _derivable_table(counts: dict[str, dict[str, int]], shown: dict[str, dict[str, str]]) -> list:
    rows = list(counts)
    cols = list(dict.fromkeys(c for r in counts.values() for c in r))
    value = {(r, c): counts[r].get(c, 0) for r in rows for c in cols}
    total = sum(value.values())
    all_hidden = all(v == SUPPRESSED for row in shown.values() for v in row.values())
    row_options = []
    for r in rows:
        ranges = [_options(shown[r][c], total, all_hidden) for c in cols]
        row_total = sum(value[r, c] for c in cols)
        row_options.append([p for p in itertools.product(*ranges) if sum(p) == row_total])
    seen: dict[tuple[str, str], set[int]] = {key: set() for key in value}
    for table in itertools.product(*row_options):
        if all(
            sum(row[j] for row in table) == sum(value[r, c] for r in rows)
            for j, c in enumerate(cols)
        ):
            for i, r in enumerate(rows):
                for j, c in enumerate(cols):
                    seen[r, c].add(table[i][j])
    return [key for key in value if shown[key[0]][key[1]] == UNDER and len(seen[key]) < 2]


SMALL = st.integers(min_value=0, max_value=9)


@settings(max_examples=300, deadline=None)
@given(st.lists(SMALL, min_size=2, max_size=5))
def test_no_small_count_in_a_breakdown_can_be_worked_out(values: list[int]) -> None:
    counts = {f"k{i}": v for i, v in enumerate(values)}
    shown = suppress_breakdown(counts)
    for k, v in counts.items():
        if 0 < v < 5:
            assert shown[k] in (UNDER, SUPPRESSED)
        elif shown[k] not in (UNDER, SUPPRESSED):
            assert shown[k] == str(v)
    assert not _derivable_breakdown(counts, shown), shown


@settings(max_examples=120, deadline=None)
@given(
    st.integers(min_value=2, max_value=3).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(min_value=0, max_value=7), min_size=width, max_size=width),
            min_size=2,
            max_size=2,
        )
    )
)
def test_no_small_count_in_a_table_can_be_worked_out(grid: list[list[int]]) -> None:
    counts = {f"r{i}": {f"c{j}": v for j, v in enumerate(row)} for i, row in enumerate(grid)}
    shown = suppress_table(counts)
    for r, row in counts.items():
        for c, v in row.items():
            if 0 < v < 5:
                assert shown[r][c] in (UNDER, SUPPRESSED)
    assert not _derivable_table(counts, shown), shown


def test_the_equality_breakdown_never_shows_a_count_under_5(
    client: TestClient, db: Session
) -> None:
    w = factories.world(db)
    path = f"/api/v1/join/{w.event.join_code}/equality"
    caribbean = "Black, Black British, Black Welsh, Caribbean or African: Caribbean"
    african = "Black, Black British, Black Welsh, Caribbean or African: African"
    for _ in range(9):
        assert (
            client.post(path, json={"ethnic_group": caribbean, "age_band": "25-34"}).status_code
            == 201
        )
    for _ in range(6):
        client.post(path, json={"ethnic_group": african, "age_band": "16-24"})
    client.post(path, json={"ethnic_group": "White: Irish", "borough": "Wandsworth"})
    headers = factories.token(db, w.organiser)
    data = client.get(f"/api/v1/events/{w.event.id}/equality", headers=headers).json()
    assert data["responses"] == 16
    groups = data["ethnic_group"]
    assert groups["White: Irish"] == UNDER
    # 16 = 9 + 6 + 1: showing 9 and 6 would give the Irish answer away.
    assert SUPPRESSED in (groups[caribbean], groups[african])
    for breakdown in (data["ethnic_group"], data["age_band"], data["borough"]):
        for cell in breakdown.values():
            assert cell in (UNDER, SUPPRESSED) or cell == "0" or int(cell) >= 5
