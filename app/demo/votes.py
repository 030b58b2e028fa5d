"""The demo night's residents: their comments at the tables and the agree / disagree / pass
votes of sixty anonymous voters, so the control room and the summary show opinion groups and
common ground from the first start.

Three positions, as residents described them at Battersea: those who want stop and search cut
back and the police held to account, those who want more visible policing, and those who want
money and attention on young people. All of them want officers to explain stops, the youth
club back and to hear what was done. Seeded from a fixed number: the same votes every time.
"""

import random

from sqlmodel import Session

from app.models import Comment, Event, Vote
from app.models.base import id_of
from app.models.comments import VOTE_VALUES, VoteValue
from app.services import comments, events, voters
from app.services.opinion_groups import store

SEED = 2024
# How many residents hold each position: accountability first, visible policing, youth first.
CAMPS = (24, 20, 16)
# Each comment: its text, then (question, table, chance of agreeing in the accountability,
# policing and youth camps, chance of passing).
SAID: tuple[tuple[str, tuple[int, int, float, float, float, float]], ...] = (
    (
        "Stop and search should be cut back until the disproportion is explained",
        (1, 1, 0.92, 0.1, 0.5, 0.08),
    ),
    (
        "Every stop should be filmed on body-worn video and the footage reviewed by residents",
        (1, 2, 0.92, 0.3, 0.25, 0.08),
    ),
    (
        "Stop and search keeps knives off our streets; I want it used more, not less",
        (1, 3, 0.08, 0.9, 0.4, 0.08),
    ),
    ("Officers should explain why they stop someone, every time", (1, 4, 0.95, 0.85, 0.92, 0.04)),
    ("I do not trust the Met to investigate its own officers", (1, 5, 0.94, 0.2, 0.3, 0.1)),
    (
        "We need officers on foot patrol on the Winstanley and York Road estates",
        (2, 1, 0.15, 0.92, 0.6, 0.08),
    ),
    (
        "Seeing officers walk the streets makes me feel safer coming home at night",
        (2, 2, 0.25, 0.92, 0.6, 0.08),
    ),
    ("Bring back the youth club that closed on Battersea Park Road", (2, 3, 0.85, 0.8, 0.97, 0.04)),
    (
        "Youth workers, not police, should be the first contact for teenagers",
        (2, 4, 0.45, 0.1, 0.95, 0.06),
    ),
    (
        "Money should go to mentoring and apprenticeships, not more officers",
        (2, 5, 0.4, 0.08, 0.95, 0.06),
    ),
    (
        "A residents' panel should see the stop and search figures for Battersea every quarter",
        (2, 6, 0.95, 0.45, 0.3, 0.08),
    ),
    (
        "Recruit officers who live in Battersea and know its young people",
        (3, 1, 0.85, 0.88, 0.85, 0.06),
    ),
    ("Meet us when nothing has gone wrong, not only after a crisis", (3, 2, 0.9, 0.82, 0.88, 0.05)),
    (
        "Police officers should be based in schools to build relationships early",
        (3, 3, 0.1, 0.85, 0.15, 0.08),
    ),
    ("Dispersal orders push young people out of their own estates", (3, 4, 0.6, 0.12, 0.95, 0.08)),
    ("The Met has changed since the Casey review", (3, 5, 0.1, 0.55, 0.3, 0.35)),
    (
        "I would report a crime if I could do it without going to a station",
        (3, 6, 0.6, 0.6, 0.6, 0.45),
    ),
    (
        "Holiday schemes and sports coaching would keep teenagers off the streets",
        (3, 1, 0.45, 0.35, 0.97, 0.06),
    ),
    ("These meetings are a waste of time and nothing will change", (3, 1, 0.12, 0.1, 0.1, 0.08)),
    (
        "The council and the police should publish what they did after each meeting",
        (3, 2, 0.96, 0.9, 0.93, 0.03),
    ),
)


def seed_votes(session: Session, *, event: Event) -> list[Comment]:
    """The night's comments and votes, then its opinion groups stored as the first result."""
    event_id = id_of(event)
    rng = random.Random(SEED)
    questions = [q.id for q in events.list_questions(session, event_id)]
    tables = [g.id for g in events.list_groups(session, event_id)]
    stored = [
        comments.submit_comment(
            session,
            event=event,
            body=body,
            question_id=questions[q - 1],
            group_id=tables[(t - 1) % len(tables)],
        )
        for body, (q, t, *_) in SAID
    ]
    said = [session.get_one(Comment, c.id) for c in stored]
    camps = [camp for camp, size in enumerate(CAMPS) for _ in range(size)]
    rng.shuffle(camps)  # residents of each position sat all over the room
    # Written in one go rather than through cast_vote, a query each: the demo starts quickly.
    for camp in camps:
        key = f"{rng.getrandbits(128):032x}"  # the random key a resident's phone would make
        voter = voters.voter_hash(event_id, key)
        for c, (_, (_, _, *agree, passing)) in zip(said, SAID, strict=True):
            if rng.random() < 0.2:
                continue  # nobody votes on everything
            if rng.random() < passing:
                vote = VoteValue.PASS
            elif rng.random() < agree[camp]:
                vote = VoteValue.AGREE
            else:
                vote = VoteValue.DISAGREE
            session.add(
                Vote(event_id=event_id, comment_id=id_of(c), voter=voter, value=VOTE_VALUES[vote])
            )
            c.agree_count += vote == VoteValue.AGREE
            c.disagree_count += vote == VoteValue.DISAGREE
            c.pass_count += vote == VoteValue.PASS
    session.add_all(said)
    session.flush()
    store.refresh(session, event_id=event_id)
    return said
