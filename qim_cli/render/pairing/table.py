"""`qim pair` for a terminal: a table of the pairs, or (too narrow for it) each pair as a
numbered paragraph; then who is unpaired and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ...words import and_list
from ..console import Page
from ..fit import fitted, hanging
from .words import cover, who

if TYPE_CHECKING:
    from ...cohort.pairing import PairingResult
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: PairingResult, profiles: Profiles, layout: Layout) -> str:
    con = Page(layout)
    con.print(Text(doc.title, style="bold"))
    con.print(Text(doc.intro))
    if not doc.groups and not doc.unpaired:
        con.print(Text("No answer sheets to pair."))
        return con.text()
    t = Table(title=f"Pairs ({len(doc.groups)})", title_justify="left")
    t.add_column("#", justify="right")
    t.add_column("Who", no_wrap=True)
    t.add_column("Why")
    if doc.scores:
        t.add_column("Cover", justify="right")
    for g in doc.groups:
        cells: list[RenderableType] = [str(g.number), Text("\n".join(who(g, doc.scores))),
                                       Text(g.explanation)]
        if doc.scores:
            cells.append(f"{g.weight or 0:g}")
        t.add_row(*cells)
    # too narrow for the table: each pair as a numbered paragraph, as in Markdown
    stacked: list[RenderableType] = [Text(f"Pairs ({len(doc.groups)})", style="bold")]
    for g in doc.groups:
        names = Text(and_list(who(g)), style="bold")
        if doc.scores:
            names.append(f" ({cover(g)})")
        stacked += [hanging(f"{g.number:>2}. ", names, indent=4),
                    Padding(Text(g.explanation), (0, 0, 0, 4))]
    con.print(fitted(con, t, stacked=Group(*stacked)))
    if doc.unpaired:
        con.print(Text("Unpaired", style="bold"))
        for u in doc.unpaired:
            line = Text(u.shown, style="bold")
            line.append(f": {u.reason}", style="")
            con.print(hanging(" ", line, indent=3))
    return con.text()
