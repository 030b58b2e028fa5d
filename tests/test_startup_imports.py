"""A web process does not load the opinion-group maths (numpy, scikit-learn, scipy) or the
export libraries at start-up: they add about 50 MB to every worker, and load when first used."""

import subprocess
import sys

PROBE = """
import sys
import app.main
heavy = {"numpy", "sklearn", "scipy", "weasyprint", "openpyxl"}
print(sorted({m.split(".")[0] for m in sys.modules} & heavy))
from app.services.opinion_groups.pipeline import compute
from tests.support.opinion_rooms import planted_room

heavy = {"sklearn", "scipy", "weasyprint"}
print(sorted({m.split(".")[0] for m in sys.modules} & heavy))
outcome, _ = compute(planted_room([20, 20], comments=20)[0])
print(len(outcome.payload["groups"]), "sklearn" in sys.modules)
"""


def test_the_app_starts_without_the_maths_and_loads_it_for_a_run() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    at_start, with_numpy, after_a_run = done.stdout.strip().splitlines()
    assert at_start == "[]"
    assert with_numpy == "[]"
    assert after_a_run == "2 True"
