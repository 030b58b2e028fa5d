"""Comments redacted per second on the test corpus, on one core (target: over 5,000 a second).

Run: .venv/bin/python bench/redaction.py [seconds]
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.services.redaction import redact
from tests.data.redaction_corpus import CORPUS, WITH_DETAILS

TARGET = 5000


def rate(texts: list[str], seconds: float) -> float:
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for text in texts:
            redact(text)
        done += len(texts)
    return done / elapsed


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    everything = [case.text for case in CORPUS]
    detailed = [case.text for case in WITH_DETAILS]
    rate(everything, 0.2)  # warm up the compiled patterns and phonenumbers' metadata
    overall = rate(everything, seconds)
    worst = rate(detailed, seconds)
    print(f"redaction: {overall:,.0f} comments/s on the corpus ({len(everything)} comments)")
    print(f"redaction: {worst:,.0f} comments/s on the cases with personal details only")
    if overall < TARGET:
        print(f"redaction: below the target of {TARGET:,} comments/s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
