"""The opinion map: one shaded region per group, sized by its spread, and no individual dots."""

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

WIDTH, HEIGHT, MARGIN = 480, 320, 36
COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#912b88", "#f47738", "#28a197"]
# Regions cover the middle of each group (1.5 standard deviations each way).
SPREAD = 1.5


@dataclass(frozen=True)
class Region:
    label: str
    size: int
    colour: str
    cx: float
    cy: float
    rx: float
    ry: float
    angle: float


def regions(groups: list[dict[str, Any]]) -> list[Region]:
    """Ellipses in SVG coordinates for groups carrying "centre" and "cov" (2x2)."""
    shapes = []
    for g in groups:
        centre = np.asarray(g.get("centre") or [0.0, 0.0], dtype=float)
        cov = np.asarray(g.get("cov") or [[0.0, 0.0], [0.0, 0.0]], dtype=float).reshape(2, 2)
        values, vectors = np.linalg.eigh((cov + cov.T) / 2)
        radii = SPREAD * np.sqrt(np.clip(values[::-1], 0, None))
        major = vectors[:, 1]
        angle = math.degrees(math.atan2(major[1], major[0]))
        shapes.append((g, centre, radii, angle))
    if not shapes:
        return []
    reach = max(max(abs(c[0]) + r[0], abs(c[1]) + r[0]) for _, c, r, _ in shapes) or 1.0
    scale = min(WIDTH, HEIGHT) / 2 - MARGIN
    out = []
    for i, (g, centre, radii, angle) in enumerate(shapes):
        rx, ry = (max(float(v) / reach * scale, 14.0) for v in radii)
        out.append(
            Region(
                label=str(g["label"]),
                size=int(g["size"]),
                colour=COLOURS[i % len(COLOURS)],
                cx=round(WIDTH / 2 + float(centre[0]) / reach * scale, 1),
                # SVG's y axis points down; flip so "up" on the map is the positive axis.
                cy=round(HEIGHT / 2 - float(centre[1]) / reach * scale, 1),
                rx=round(rx, 1),
                ry=round(ry, 1),
                angle=round(-angle, 1),
            )
        )
    return out
