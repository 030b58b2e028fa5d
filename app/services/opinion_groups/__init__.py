"""Opinion groups: the distinct positions in the room and the common ground between them.

The method is in OPINION_GROUPS.md; `pipeline.compute` is the pure run on a vote matrix.
"""

from app.services.opinion_groups.matrix import VoteMatrix
from app.services.opinion_groups.pipeline import NOT_ENOUGH, READY, Outcome, State, compute

__all__ = ["NOT_ENOUGH", "READY", "Outcome", "State", "VoteMatrix", "compute"]
