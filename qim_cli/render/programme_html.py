"""`qim compare-cohort BEFORE AFTER --format html`: a self-contained page for a funder or a board,
with a before/after chart (inline SVG, no script)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ROW = 30
LEFT = 250
RIGHT = 40
WIDTH = 700
TOP = 30


@dataclass(frozen=True)
class Dumbbell:
    label: str
    y: float
    x_before: float
    x_after: float
    ci_low: float | None
    ci_high: float | None
    title: str


def x_of(score: float) -> float:
    """Scores 1–5 across the plotting width."""
    return round(LEFT + (score - 1) / 4 * (WIDTH - LEFT - RIGHT), 1)


def dumbbells(rows: list[dict[str, Any]], ci_text: Callable[[dict[str, Any]], str]) -> list[Dumbbell]:
    """One row per competency shown: the mean before, the mean after, a line between."""
    out = []
    for i, r in enumerate(r for r in rows if not r["suppressed"] and r["before_mean"] is not None):
        title = (f"{r['label']}: {r['before_mean']:.2f} before, {r['after_mean']:.2f} after "
                 f"({r['change_mean']:+.2f}; 95% CI {ci_text(r)}; n = {r['n']})")
        out.append(Dumbbell(r["label"], TOP + ROW * i + ROW / 2, x_of(r["before_mean"]),
                            x_of(r["after_mean"]), r["ci_low"], r["ci_high"], title))
    return out


def render_programme_html(doc: dict[str, Any], *, counts: str, shown: bool,
                          ci_text: Callable[[dict[str, Any]], str]) -> str:
    """The page; `counts`, `shown` and `ci_text` come from render/programme.py, so that
    every format words them the same."""
    from .html import _environment

    bells = dumbbells(doc["competencies"], ci_text)
    env = _environment()
    return env.get_template("programme.html.j2").render(
        doc=doc,
        counts=counts,
        shown=shown,
        ci_text=ci_text,
        bells=bells,
        chart={"width": WIDTH, "height": TOP + ROW * len(bells) + 30, "left": LEFT,
               "right": WIDTH - RIGHT, "top": TOP, "bottom": TOP + ROW * len(bells),
               "ticks": [(v, x_of(v)) for v in range(1, 6)]},
    ).rstrip("\n") + "\n"
