"""`qim compare-cohort BEFORE AFTER --format html`: a self-contained page for a funder or a board,
with a before/after chart (inline SVG, no script)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..templates import environment
from . import words as w
from .words import at_target_text, change_cells, ci_text, counts_sentence, method_lines, p_text, reliable_text

if TYPE_CHECKING:
    from ...cohort.compare_results import ChangeRow, CohortComparison
    from ...framework.profiles import Profiles
    from ..formats import Layout

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


def dumbbells(rows: list[ChangeRow]) -> list[Dumbbell]:
    """One row per competency shown: the mean before, the mean after, a line between."""
    out = []
    shown = [r for r in rows if not r.suppressed and r.before_mean is not None
             and r.after_mean is not None and r.change_mean is not None]
    for i, r in enumerate(shown):
        assert r.before_mean is not None and r.after_mean is not None  # (the filter above)
        title = (f"{r.label}: {r.before_mean:.2f} before, {r.after_mean:.2f} after "
                 f"({r.change_mean:+.2f}; 95% CI {ci_text(r)}; n = {r.n})")
        out.append(Dumbbell(r.label, TOP + ROW * i + ROW / 2, x_of(r.before_mean),
                            x_of(r.after_mean), r.ci_low, r.ci_high, title))
    return out


def render(doc: CohortComparison, profiles: Profiles, layout: Layout) -> str:
    """A self-contained page for a funder or a board, with a before/after chart."""
    bells = dumbbells(doc.competencies)
    return environment().get_template("compare_cohort.html.j2").render(
        doc=doc,
        counts=counts_sentence(doc),
        shown=doc.shown,
        ci_text=ci_text,
        organisation_title=w.organisation_title,
        organisation_withheld=lambda o: w.organisation_withheld(o, doc.min_group),
        p_text=p_text,
        reliable_text=reliable_text,
        method_lines=method_lines(doc),
        change_cells=lambda row: change_cells(row, doc.min_group),
        at_target_text=at_target_text,
        bells=bells,
        chart={"width": WIDTH, "height": TOP + ROW * len(bells) + 30, "left": LEFT,
               "right": WIDTH - RIGHT, "top": TOP, "bottom": TOP + ROW * len(bells),
               "ticks": [(v, x_of(v)) for v in range(1, 6)]},
    ).rstrip("\n") + "\n"
