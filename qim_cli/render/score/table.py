"""`qim score` for a terminal: one row per respondent; a score below the target of the
person's career stage (qim's role standard, the same for every background) beyond
measurement error is marked with * (a smaller gap is at target within measurement error,
as the person's report says)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from ...cohort.results import WITHIN_ERROR_COUNTED
from ..console import Page
from ..fit import fitted
from ..text import terminal_text

if TYPE_CHECKING:
    from ...cohort.records import Record
    from ...framework.profiles import Profiles
    from ..formats import Layout, TextOut


def write(records: Iterable[Record], out: TextOut, profiles: Profiles, layout: Layout) -> None:
    """One row per respondent; a score below the target of the person's career stage (qim's
    role standard, the same for every background) beyond measurement error is marked with *."""
    con = Page(layout)
    codes = short_codes(profiles)
    t = Table(title="Scores (* below the target of the person's career stage, beyond "
                    "measurement error)", title_justify="left")
    t.add_column("File", overflow="fold")
    t.add_column("Id", overflow="fold")
    t.add_column("Background")
    t.add_column("Stage")
    for cid in profiles.competencies:
        t.add_column(codes[cid], justify="right")
    t.add_column("Recs", justify="right")
    t.add_column("Top trainings")
    rows = 0
    for rec in records:
        rows += 1
        cells: list[str | Text] = [Text(terminal_text(rec.file)), Text(terminal_text(rec.id)), rec.background,
                                   rec.career_stage]
        for cid in profiles.competencies:
            score = rec.scores.get(cid)
            if score is None:
                cells.append(Text("–", style="dim"))
            elif cid in rec.below_target:
                cells.append(Text(f"{score:.2f}*", style="yellow"))
            else:
                cells.append(f"{score:.2f}")
        cells.append(str(len(rec.recommendations)))
        cells.append(", ".join(rec.recommendations[:3]))
        t.add_row(*cells)
    if rows:
        con.print(fitted(con, t))
        legend = " · ".join(f"{codes[c]} {comp.label}" for c, comp in profiles.competencies.items())
        con.print(Text(legend, style="dim"))
        con.print(Text(f"Targets: the {profiles.standard.label}, {profiles.standard.basis} "
                       f"{WITHIN_ERROR_COUNTED}", style="dim"))
    else:
        con.print("No answer sheets were scored.")
    out.write(con.text())


def short_codes(profiles: Profiles) -> dict[str, str]:
    """A short column heading per competency: its items' common prefix (hc_01.. -> hc)."""
    out: dict[str, str] = {}
    for cid, comp in profiles.competencies.items():
        prefixes = {it.id.split("_", 1)[0] for it in comp.items}
        code = prefixes.pop() if len(prefixes) == 1 else cid
        out[cid] = code if code not in out.values() else cid
    return out
