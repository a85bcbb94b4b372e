"""The radar chart's geometry: one axis per competency, 0–5 from the centre, labelled rings.

The chart is drawn in a small view box so that it scales down to a phone without its
labels becoming unreadable: long competency names are wrapped onto two lines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ...assessment.results import Result

WIDTH, HEIGHT = 520, 400
RADIUS = 124
LINE_CHARS = 16  # wrap axis labels longer than this


@dataclass(frozen=True)
class Axis:
    label: str
    lines: list[str]
    x: float
    y: float
    lx: float
    ly: float
    anchor: str
    score: float | None
    target: float


@dataclass(frozen=True)
class Ring:
    value: int
    points: str
    #: where its number is written (just right of the first, upward axis)
    lx: float
    ly: float


@dataclass(frozen=True)
class Radar:
    width: int
    height: int
    cx: float
    cy: float
    radius: float
    axes: list[Axis]
    rings: list[Ring]
    score_points: str
    target_points: str
    self_points: str | None


def wrap(label: str, width: int = LINE_CHARS) -> list[str]:
    """At most two lines, broken at the space nearest the middle when the label is long."""
    if len(label) <= width or " " not in label:
        return [label]
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return [label[:cut], label[cut + 1:]]


def _polygon(cx: float, cy: float, radius: float, values: Sequence[float | None]) -> str:
    n = len(values)
    pts = []
    for i, v in enumerate(values):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = (v or 0) / 5 * radius
        pts.append(f"{cx + r * math.cos(angle):.1f},{cy + r * math.sin(angle):.1f}")
    return " ".join(pts)


def radar(result: Result, self_scores: Sequence[float | None] | None = None) -> Radar:
    """Geometry for `result`'s competencies; `self_scores` (360°) adds the person's own view."""
    comps = result.competencies
    n = len(comps)
    cx, cy = WIDTH / 2, HEIGHT / 2
    axes = []
    for i, c in enumerate(comps):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        dx, dy = math.cos(angle), math.sin(angle)
        lines = wrap(c.label)
        lx, ly = cx + (RADIUS + 12) * dx, cy + (RADIUS + 12) * dy
        # labels above the chart grow upwards, below it downwards, at the sides around the axis
        if dy < -0.3:
            ly -= (len(lines) - 1) * 14
        elif abs(dy) <= 0.3:
            ly -= (len(lines) - 1) * 7
        else:
            ly += 10
        anchor = "middle" if abs(dx) < 0.3 else ("start" if dx > 0 else "end")
        axes.append(Axis(c.label, lines, round(cx + RADIUS * dx, 1), round(cy + RADIUS * dy, 1),
                         round(lx, 1), round(ly + 4, 1), anchor, c.score, c.target))
    rings = []
    for v in range(1, 6):
        r = v / 5 * RADIUS
        rings.append(Ring(v, _polygon(cx, cy, RADIUS, [v] * n), round(cx + 4, 1), round(cy - r + 11, 1)))
    return Radar(
        WIDTH, HEIGHT, cx, cy, RADIUS, axes, rings,
        _polygon(cx, cy, RADIUS, [c.score for c in comps]),
        _polygon(cx, cy, RADIUS, [c.target for c in comps]),
        _polygon(cx, cy, RADIUS, list(self_scores)) if self_scores is not None else None,
    )
