"""The opinion-group pipeline on synthetic rooms: planted groups, a unanimous room, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from app.schemas.opinion_groups import GroupingStatus
from app.services.opinion_groups import clustering
from app.services.opinion_groups.matrix import VoteMatrix, included_rows, project
from app.services.opinion_groups.pipeline import compute
from tests.support.opinion_rooms import planted_room


@pytest.mark.parametrize("sizes", [[60, 60], [50, 40, 30], [12, 10]])
def test_planted_groups_are_recovered(sizes: list[int]) -> None:
    matrix, planted = planted_room(sizes)
    outcome, _ = compute(matrix)
    assert outcome.payload["status"] == GroupingStatus.READY
    assert sorted(g["size"] for g in outcome.payload["groups"]) == sorted(sizes)
    assert adjusted_rand_score(planted, outcome.labels) == pytest.approx(1.0)


def test_each_group_is_represented_by_what_it_agrees_on() -> None:
    odds = np.full((2, 30), 0.5)
    odds[0, 0], odds[1, 0] = 0.95, 0.05  # comment 1: group 0 agrees, group 1 disagrees
    odds[:, 1:] = np.where(np.random.default_rng(1).random((2, 29)) < 0.5, 0.85, 0.15)
    matrix, planted = planted_room([40, 40], comments=30, agree_odds=odds, seed=2)
    outcome, _ = compute(matrix)
    groups = outcome.payload["groups"]
    assert len(groups) == 2
    first_group = outcome.labels[planted == 0][0]
    reps = {r["comment_id"]: r for r in groups[first_group]["representative"]}
    assert 1 in reps and reps[1]["direction"] == "agree" and reps[1]["agree"] > 0.8
    others = {r["comment_id"]: r for r in groups[1 - first_group]["representative"]}
    assert all(len(g["representative"]) <= 5 for g in groups)
    assert others.get(1, {"direction": "disagree"})["direction"] == "disagree"


@pytest.mark.parametrize("people", [20, 60, 200])
def test_a_unanimous_room_is_one_group_with_common_ground(people: int) -> None:
    matrix, _ = planted_room([people], agree_odds=np.full((1, 40), 0.85), seed=people)
    outcome, _ = compute(matrix)
    payload = outcome.payload
    assert [g["size"] for g in payload["groups"]] == [people]
    assert len(payload["lists"]["agree"]) == 5
    assert payload["lists"]["divided"] == []
    assert payload["lists"]["disagree"] == []


def test_the_two_sides_agree_on_shared_ground_and_are_divided_elsewhere() -> None:
    odds = np.tile(np.array([[0.9, 0.1, 0.9, 0.1]]).T, (1, 10)).T.reshape(-1)[:20]
    odds = np.vstack([odds, 1 - odds])
    odds[:, :3] = 0.95  # comments 1-3: everybody agrees
    odds[:, 3] = 0.05  # comment 4: everybody disagrees
    matrix, _ = planted_room([50, 50], comments=20, agree_odds=odds, votes_each=(18, 20))
    outcome, _ = compute(matrix)
    lists = outcome.payload["lists"]
    assert len(outcome.payload["groups"]) == 2
    assert {e["comment_id"] for e in lists["agree"]} == {1, 2, 3}
    assert [e["comment_id"] for e in lists["disagree"]] == [4]
    assert lists["divided"] and all(e["comment_id"] > 4 for e in lists["divided"])
    bars = lists["agree"][0]["by_group"]
    assert [b["group"] for b in bars] == ["A", "B"] and all(b["agree"] > 0.8 for b in bars)


def test_groups_under_five_are_merged_into_their_nearest() -> None:
    matrix, _ = planted_room([30, 30, 3], seed=4)
    outcome, _ = compute(matrix)
    sizes = [g["size"] for g in outcome.payload["groups"]]
    assert sum(sizes) == 63 and min(sizes) >= 5


def test_passes_are_uncertain() -> None:
    matrix, _ = planted_room([40, 40], pass_rate=0.0)
    extra = VoteMatrix.from_triples(
        [*[matrix.voters[r] for r in matrix.rows], *matrix.voters[:30]],
        [*[matrix.comment_ids[c] for c in matrix.cols], *[999] * 30],
        [*matrix.values, *[0] * 25, *[1] * 5],
    )
    outcome, _ = compute(extra)
    uncertain = outcome.payload["lists"]["uncertain"]
    assert uncertain[0]["comment_id"] == 999
    assert uncertain[0]["score"] == pytest.approx(25 / 30, abs=1e-3)


def _matrix(rows: list[tuple[str, int, int]]) -> VoteMatrix:
    voters, comment_ids, values = zip(*rows, strict=True) if rows else ((), (), ())
    return VoteMatrix.from_triples(list(voters), list(comment_ids), list(values))


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [("a", 1, 1), ("a", 2, -1), ("a", 3, 0)],
        [("a", 1, 1), ("b", 1, -1), ("c", 1, 1)],
        [(v, c, 0) for v in "abcdef" for c in range(5)],
        [(v, c, 1) for v in "abcdef" for c in range(5)],
    ],
    ids=["no votes", "one participant", "one comment", "all passes", "all identical"],
)
def test_thin_input_answers_not_enough_votes(rows: list[tuple[str, int, int]]) -> None:
    outcome, state = compute(_matrix(rows))
    assert outcome.payload["status"] == GroupingStatus.NOT_ENOUGH_VOTES
    assert outcome.payload["message"].startswith("Not enough votes yet")
    assert outcome.payload["groups"] == []
    assert state.runs == 0


def test_a_later_vote_replaces_an_earlier_one_and_unknown_comments_are_dropped() -> None:
    matrix = VoteMatrix.from_triples(
        ["a", "a", "b", "b"], [1, 1, 2, 7], [1, -1, 1, 1], all_comment_ids=[1, 2]
    )
    assert matrix.comment_ids == [1, 2]
    columns = (matrix.rows.tolist(), matrix.cols.tolist(), matrix.values.tolist())
    cells = sorted(zip(*columns, strict=True))
    assert cells == [(0, 0, -1.0), (1, 1, 1.0)]


def test_inclusion_needs_seven_votes_topped_up_to_fifteen() -> None:
    rows = [(f"p{i}", c, 1 if (i + c) % 2 else -1) for i in range(20) for c in range(i % 9)]
    matrix = _matrix(rows)
    chosen = included_rows(matrix)
    counts = matrix.votes_per_row()[chosen]
    assert len(chosen) == 15
    assert counts.min() >= np.sort(matrix.votes_per_row())[-15]


def test_axis_signs_follow_the_previous_run() -> None:
    matrix, _ = planted_room([30, 30])
    first = project(matrix)
    flipped = {cid: -first.components[:, j] for j, cid in enumerate(matrix.comment_ids)}
    second = project(matrix, flipped)
    assert np.allclose(second.components, -first.components)
    assert np.allclose(second.positions, -first.positions)


def test_the_shown_number_of_groups_changes_after_four_runs_in_a_row() -> None:
    state = clustering.ClusterState()
    options = {k: np.zeros(3, dtype=np.int64) for k in (1, 2, 3)}
    shown = [clustering.steady_k(best, options, state) for best in [2, 3, 3, 2, 3, 3, 3, 3, 2]]
    assert shown == [2, 2, 2, 2, 2, 2, 2, 3, 3]


def test_warm_started_reruns_keep_group_letters() -> None:
    matrix, _ = planted_room([50, 30, 20], seed=7)
    outcome, state = compute(matrix)
    again, state = compute(matrix, state)
    assert state.runs == 2
    assert np.array_equal(outcome.labels, again.labels)
    assert [g["size"] for g in again.payload["groups"]] == [
        g["size"] for g in outcome.payload["groups"]
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 12), st.sampled_from([-1, 0, 1])),
        max_size=300,
    )
)
def test_any_votes_give_a_result_and_never_an_exception(
    votes: list[tuple[int, int, int]],
) -> None:
    matrix = _matrix([(f"v{v}", c, x) for v, c, x in votes])
    outcome, _ = compute(matrix)
    payload = outcome.payload
    assert payload["status"] in (GroupingStatus.READY, GroupingStatus.NOT_ENOUGH_VOTES)
    if payload["status"] == GroupingStatus.READY:
        sizes = [g["size"] for g in payload["groups"]]
        assert sum(sizes) == payload["included"] == int((outcome.labels >= 0).sum())
        assert len(sizes) == 1 or min(sizes) >= 5
        assert all(np.isfinite(g["centre"]).all() for g in payload["groups"])


def test_voters_are_sorted_and_each_vote_kept_under_its_voter() -> None:
    rng = np.random.default_rng(3)
    voters = [f"{int(rng.integers(0, 50)):x}-key" for _ in range(400)]
    cids, values = rng.integers(0, 9, 400).tolist(), rng.integers(-1, 2, 400).tolist()
    matrix = VoteMatrix.from_triples(voters, cids, values)
    assert matrix.voters == sorted(set(voters))
    last = {(v, c): x for v, c, x in zip(voters, cids, values, strict=True)}
    stored = {
        (matrix.voters[r], matrix.comment_ids[c]): int(x)
        for r, c, x in zip(matrix.rows, matrix.cols, matrix.values, strict=True)
    }
    assert stored == last


def test_the_chance_level_is_reused_only_while_the_room_barely_grows() -> None:
    matrix, _ = planted_room([60, 60], seed=4)
    _, state = compute(matrix)
    assert state.null is not None
    first = state.null
    # The same votes again: reused as it was.
    _, state = compute(matrix, state)
    assert state.null is first
    # Half the votes more (new people): taken afresh.
    bigger, _ = planted_room([90, 90], seed=4)
    _, state = compute(bigger, state)
    assert state.null is not None and state.null[1] > first[1]
