"""A programme's before and after for a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from ..console import Page
from ..fit import fitted, hanging
from ..numbers import number
from . import words as w
from .words import at_target_text, change_cells, ci_text, counts_sentence, method_lines, p_text, reliable_text

if TYPE_CHECKING:
    from rich.console import Console

    from ...cohort.compare_results import ChangeRow, CohortComparison
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: CohortComparison, profiles: Profiles, layout: Layout) -> str:
    con = Page(layout)
    if doc.privacy.not_for_sharing:
        con.print(Text(doc.privacy.not_for_sharing, style="bold red"))
    con.print(Text("Programme: before and after", style="bold"))
    con.print(Text(counts_sentence(doc)))
    con.print(Text(doc.privacy.rule, style="dim"))
    for note in doc.notes:
        con.print(Text("Note: " + note, style="yellow"))
    if doc.shown:
        _shown(con, doc)
    con.print(Text("What this design cannot show", style="bold"))
    for text in doc.limitations:
        con.print(hanging("  • ", text))
    return con.text()


def _shown(con: Console, doc: CohortComparison) -> None:
    _change_table(con, "Change per competency: mean, 95% CI (paired t), effect sizes d_z "
                  "and d_av, Holm-adjusted p", doc.competencies, doc.min_group)
    for line in method_lines(doc):
        con.print(Text(line, style="italic"))
    con.print(Text(f"Targets: the {doc.standard.label}, {doc.standard.basis} "
                   f"{doc.standard.within_error}", style="italic"))
    con.print(Text(f"Needs and barriers resolved, share at target: {doc.selection_caution}",
                   style="yellow"))
    t = _counts_table("Training needs (people)", "Training")
    for n in doc.training_needs:
        t.add_row(Text(f"{n.title} ({n.id})"), *change_cells(n, doc.min_group))
    con.print(fitted(con, t))
    t = _counts_table("Organisational barriers (people)", "Barrier")
    for b in doc.barriers:
        t.add_row(Text(b.title), *change_cells(b, doc.min_group))
    con.print(fitted(con, t))
    for o in doc.organisations:
        if o.suppressed:
            con.print(Text(w.organisation_withheld(o, doc.min_group)))
            continue
        t = _counts_table(f"{w.organisation_title(o)}: organisational barriers (people)", "Barrier")
        for b in o.barriers:
            t.add_row(Text(b.title), *change_cells(b, doc.min_group))
        con.print(fitted(con, t))
    for g in doc.groups:
        _change_table(con, f"{g.label} ({g.n} paired)", g.competencies, doc.min_group)


def _counts_table(title: str, first: str) -> Table:
    t = Table(title=title, title_justify="left")
    t.add_column(first)
    for name in ("Before", "After", "Resolved", "New"):
        t.add_column(name, justify="right")
    return t


def _change_table(con: Console, title: str, rows: list[ChangeRow], min_group: int) -> None:
    t = Table(title=title, title_justify="left")
    t.add_column("Competency")
    for name in ("n", "Before", "After", "Change", "95% CI", "d_z", "d_av", "p (Holm)",
                 "Beyond error", "At target before → after"):
        t.add_column(name, justify="right")
    for r in rows:
        if r.suppressed:
            t.add_row(Text(r.label), "withheld", "", "", "", "", "", "", "", "", "")
            continue
        style = "green" if r.ci_low is not None and r.ci_low > 0 else \
            "red" if r.ci_high is not None and r.ci_high < 0 else ""
        t.add_row(Text(r.label), str(r.n), number(r.before_mean), number(r.after_mean),
                  Text(number(r.change_mean, signed=True), style=style), ci_text(r),
                  number(r.d_z), number(r.d_av), p_text(r.p_holm), reliable_text(r, min_group),
                  at_target_text(r))
    con.print(fitted(con, t))
