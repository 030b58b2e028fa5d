"""The pipeline on three real Pol.is conversations, against the groups Pol.is assigned.

The data stay outside the repository: ../shared/data/polis-open-data from the project root,
or the folder in POLIS_DATA_DIR. Votes are replayed in time order through the warm-started
pipeline (a run every 2% of the votes), as Pol.is computed its groups while votes arrived.
"""

import csv
from dataclasses import dataclass

import pytest
from sklearn.metrics import adjusted_rand_score

from app.services import polis_import
from app.services.opinion_groups.replay import replay
from tests.support.opinion_rooms import DATA

CONVERSATIONS = ("london.youth.policing", "brexit-consensus", "15-per-hour-seattle")
MIN_ARI = 0.75

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"no Pol.is data at {DATA}")


@dataclass(frozen=True)
class Comparison:
    name: str
    ours: int
    theirs: int
    ari: float
    compared: int
    sizes: list[int]
    runs: int


def compare(name: str) -> Comparison:
    conversation = polis_import.read_conversation(DATA / name)
    published = [
        int(c["comment-id"])
        for c in conversation.comments
        if polis_import.STATUS_BY_MODERATION.get(c["moderated"]) == "published"
    ]
    votes = conversation.votes
    outcome, state, matrix = replay(
        [v.voter_id for v in votes],
        [v.comment_id for v in votes],
        [v.value for v in votes],
        every=max(1, int(len(votes) * polis_import.REPLAY_STEP)),
        all_comment_ids=published,
    )
    with (DATA / name / "participants-votes.csv").open(newline="") as handle:
        polis = {r["participant"]: r["group-id"] for r in csv.DictReader(handle)}
    ours = dict(zip(matrix.voters, outcome.labels.tolist(), strict=True))
    pairs = [(int(g), ours[p]) for p, g in polis.items() if g != "" and ours.get(p, -1) >= 0]
    theirs, mine = zip(*pairs, strict=True)
    return Comparison(
        name=name,
        ours=len(outcome.payload["groups"]),
        theirs=len(set(theirs)),
        ari=float(adjusted_rand_score(theirs, mine)),
        compared=len(pairs),
        sizes=[g["size"] for g in outcome.payload["groups"]],
        runs=state.runs,
    )


@pytest.fixture(scope="module")
def comparisons() -> list[Comparison]:
    found = [compare(name) for name in CONVERSATIONS]
    for c in found:
        print(
            f"\n{c.name}: groups ours {c.ours} {c.sizes}, Pol.is {c.theirs}; "
            f"adjusted Rand index {c.ari:.3f} over {c.compared} participants; {c.runs} runs"
        )
    return found


def test_the_number_of_groups_matches_polis_on_two_of_three(
    comparisons: list[Comparison],
) -> None:
    matches = [c.name for c in comparisons if c.ours == c.theirs]
    assert len(matches) >= 2, [(c.name, c.ours, c.theirs) for c in comparisons]


def test_where_the_number_matches_the_groups_agree_with_polis(
    comparisons: list[Comparison],
) -> None:
    matching = [c for c in comparisons if c.ours == c.theirs]
    assert matching
    for c in matching:
        assert c.ari >= MIN_ARI, f"{c.name}: adjusted Rand index {c.ari:.3f}"


def raw_votes(name: str) -> list[polis_import.PolisVote]:
    with (DATA / name / "votes.csv").open(newline="") as handle:
        return [
            polis_import.PolisVote(
                int(r["timestamp"]), int(r["comment-id"]), r["voter-id"], int(r["vote"])
            )
            for r in csv.DictReader(handle)
        ]


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_votes_csv_writes_agree_as_plus_one(name: str) -> None:
    """Checked against the agree counts of comments.csv, both ways round."""
    with (DATA / name / "comments.csv").open(newline="") as handle:
        comments = list(csv.DictReader(handle))
    votes = raw_votes(name)
    assert polis_import.agree_sign(comments, votes) == 1
    flipped = [polis_import.PolisVote(v.at, v.comment_id, v.voter_id, -v.value) for v in votes]
    assert polis_import.agree_sign(comments, flipped) == -1
