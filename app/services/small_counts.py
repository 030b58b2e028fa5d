"""Small-count suppression for breakdowns of personal characteristics (SPEC §3.3).

Interim version written for the summary (issue 6); issue 4 owns this module and its version
replaces this one at merge.
"""

SMALL = "<5"
SUPPRESSED = "*"
NOTE = (
    "<5: fewer than five people. *: hidden so that small numbers cannot be worked out from "
    "the totals."
)


def suppress_breakdown(counts: dict[str, int]) -> dict[str, str]:
    """Show counts of 1-4 as "<5" and hide the next smallest cell when only one would be hidden,
    so no hidden count can be worked out from the total."""
    out = {key: (SMALL if 0 < n < 5 else str(n)) for key, n in counts.items()}
    hidden = [key for key, n in counts.items() if 0 < n < 5]
    if len(hidden) == 1:
        others = sorted((n, key) for key, n in counts.items() if n >= 5 and key not in hidden)
        if others:
            out[others[0][1]] = SUPPRESSED
    return out
