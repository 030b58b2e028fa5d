"""Opinion groups: the distinct positions in the room and the common ground between them.

The method is in OPINION_GROUPS.md. `pipeline.compute` is the pure run on a vote matrix;
`store` loads votes and keeps the versioned result; `scheduler` reruns it in the background;
`service.opinion_groups_view` is what pages and the API read (stored results only).
Importing the package loads numpy only: scipy and scikit-learn load with the first run.
"""

from app.services.opinion_groups.matrix import VoteMatrix
from app.services.opinion_groups.pipeline import NOT_ENOUGH, READY, Outcome, State, compute
from app.services.opinion_groups.service import (
    PENDING,
    current_result,
    describe,
    export_rows,
    opinion_groups_view,
)

__all__ = [
    "NOT_ENOUGH",
    "PENDING",
    "READY",
    "Outcome",
    "State",
    "VoteMatrix",
    "compute",
    "current_result",
    "describe",
    "export_rows",
    "opinion_groups_view",
]
