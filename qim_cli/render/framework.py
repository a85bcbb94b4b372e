"""The profile set as terminal tables (`qim framework`)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..framework.profiles import Profiles
from .common import no_trailing_spaces


@no_trailing_spaces
def render_framework(prof: Profiles, *, color: bool = False, width: int = 120) -> str:
    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                  highlight=False, emoji=False)
    fw = prof.framework
    con.print(Text(f"Framework {fw.framework_version} ({prof.directory})", style="bold"))
    con.print(Text(f"Items are answered on: {fw.scales.performance.name} "
                   + " / ".join(fw.scales.performance.labels) + ' / "na"', style="dim"))
    for theme in fw.themes:
        t = Table(title=f"{theme.label}", title_justify="left", expand=False)
        t.add_column("Item", no_wrap=True)
        t.add_column("Competency")
        t.add_column("Text")
        t.add_column("R", justify="center")
        t.add_column("Codes")
        for comp in (c for c in fw.competencies if c.theme == theme.id):
            for item in comp.items:
                t.add_row(item.id, comp.label, Text(item.text), "R" if item.reverse else "",
                          ", ".join(item.codes))
        con.print(t)
    con.print(Text("R = reverse-keyed: agreeing more means less of the competency.", style="dim"))

    t = Table(title="Organisational context (feeds barrier rules, not scores)", title_justify="left")
    t.add_column("Id", no_wrap=True)
    t.add_column("Level")
    t.add_column("Statement")
    t.add_column("QUASER")
    for c in fw.context:
        t.add_row(c.id, c.level.replace("_", " "), Text(c.text), ", ".join(c.quaser))
    con.print(t)

    t = Table(title="Backgrounds: targets by career stage", title_justify="left")
    t.add_column("Competency")
    for b in prof.backgrounds.values():
        t.add_column(f"{b.label}\n" + " / ".join(prof.stages), justify="center")
    for cid, comp in prof.competencies.items():
        cells = []
        for b in prof.backgrounds.values():
            mark = " ◆" if cid in prof.blind_spots[b.id] else ""
            cells.append(" / ".join(f"{b.targets[cid][s]:.1f}" for s in prof.stages) + mark)
        t.add_row(comp.label, *cells)
    con.print(t)
    con.print(Text("◆ documented blind spot of that background", style="dim"))

    t = Table(title=f"Trainings ({len(prof.trainings)})", title_justify="left")
    t.add_column("Id", no_wrap=True)
    t.add_column("Title")
    t.add_column("Kind")
    t.add_column("Tier")
    t.add_column("Effort")
    t.add_column("Weeks", justify="right")
    t.add_column("Sources")
    for tr in prof.trainings.values():
        t.add_row(tr.id, Text(tr.title), tr.kind.replace("_", " "), tr.tier, tr.effort,
                  str(tr.weeks), ", ".join(tr.sources))
    con.print(t)

    t = Table(title=f"Rules ({len(prof.rules)})", title_justify="left")
    t.add_column("Id", no_wrap=True)
    t.add_column("Kind")
    t.add_column("Competency")
    t.add_column("Title")
    t.add_column("Trainings")
    for r in prof.rules:
        t.add_row(r.id, r.kind, r.competency or "–", Text(r.title), ", ".join(r.trainings))
    con.print(t)
    return buf.getvalue()
