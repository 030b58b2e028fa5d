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
from app.models.comments import VOTE_VALUES
from app.services import comments, events, voters
from app.services.opinion_groups import store

SEED = 2024
# How many residents hold each position: accountability first, visible policing, youth first.
CAMPS = (24, 20, 16)
# (question number, table number, comment, chance of agreeing in each camp, chance of passing)
SAID: tuple[tuple[int, int, str, tuple[float, float, float], float], ...] = (
    (1, 1, "Stop and search should be cut back until the disproportion is explained", (0.92, 0.1, 0.5), 0.08),
    (1, 2, "Every stop should be filmed on body-worn video and the footage reviewed by residents", (0.92, 0.3, 0.25), 0.08),
    (1, 3, "Stop and search keeps knives off our streets; I want it used more, not less", (0.08, 0.9, 0.4), 0.08),
    (1, 4, "Officers should explain why they stop someone, every time", (0.95, 0.85, 0.92), 0.04),
    (1, 5, "I do not trust the Met to investigate its own officers", (0.94, 0.2, 0.3), 0.1),
    (2, 1, "We need officers on foot patrol on the Winstanley and York Road estates", (0.15, 0.92, 0.6), 0.08),
    (2, 2, "Seeing officers walk the streets makes me feel safer coming home at night", (0.25, 0.92, 0.6), 0.08),
    (2, 3, "Bring back the youth club that closed on Battersea Park Road", (0.85, 0.8, 0.97), 0.04),
    (2, 4, "Youth workers, not police, should be the first contact for teenagers", (0.45, 0.1, 0.95), 0.06),
    (2, 5, "Money should go to mentoring and apprenticeships, not more officers", (0.4, 0.08, 0.95), 0.06),
    (2, 6, "A residents' panel should see the stop and search figures for Battersea every quarter", (0.95, 0.45, 0.3), 0.08),
    (3, 1, "Recruit officers who live in Battersea and know its young people", (0.85, 0.88, 0.85), 0.06),
    (3, 2, "Meet us when nothing has gone wrong, not only after a crisis", (0.9, 0.82, 0.88), 0.05),
    (3, 3, "Police officers should be based in schools to build relationships early", (0.1, 0.85, 0.15), 0.08),
    (3, 4, "Dispersal orders push young people out of their own estates", (0.6, 0.12, 0.95), 0.08),
    (3, 5, "The Met has changed since the Casey review", (0.1, 0.55, 0.3), 0.35),
    (3, 6, "I would report a crime if I could do it without going to a station", (0.6, 0.6, 0.6), 0.45),
    (3, 1, "Holiday schemes and sports coaching would keep teenagers off the streets", (0.45, 0.35, 0.97), 0.06),
    (3, 1, "These meetings are a waste of time and nothing will change", (0.12, 0.1, 0.1), 0.08),
    (3, 2, "The council and the police should publish what they did after each meeting", (0.96, 0.9, 0.93), 0.03),
)  # fmt: skip


def seed_votes(session: Session, *, event: Event) -> list[Comment]:
    """The night's comments and votes, then its opinion groups stored as the first result."""
    assert event.id is not None
    rng = random.Random(SEED)
    questions = [q.id for q in events.list_questions(session, event.id)]
    tables = [g.id for g in events.list_groups(session, event.id)]
    said = [
        comments.submit_comment(
            session,
            event=event,
            body=body,
            question_id=questions[q - 1],
            group_id=tables[(t - 1) % len(tables)],
        )
        for q, t, body, _, _ in SAID
    ]
    camps = [camp for camp, size in enumerate(CAMPS) for _ in range(size)]
    rng.shuffle(camps)  # residents of each position sat all over the room
    # Written in one go rather than through cast_vote, a query each: the demo starts quickly.
    for camp in camps:
        key = f"{rng.getrandbits(128):032x}"  # the random key a resident's phone would make
        voter = voters.voter_hash(event.id, key)
        for c, (_, _, _, agree, passing) in zip(said, SAID, strict=True):
            if rng.random() < 0.2:
                continue  # nobody votes on everything
            draw = rng.random()
            vote = (
                "pass" if draw < passing else "agree" if rng.random() < agree[camp] else "disagree"
            )
            session.add(
                Vote(event_id=event.id, comment_id=c.id or 0, voter=voter, value=VOTE_VALUES[vote])
            )
            c.agree_count += vote == "agree"
            c.disagree_count += vote == "disagree"
            c.pass_count += vote == "pass"
    session.add_all(said)
    session.flush()
    store.refresh(session, event_id=event.id)
    return said
