"""The profile set as terminal tables (`qim framework`)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ...assessment.report import table2_evidence
from ...framework.labels import AUTHORS_SUGGESTION
from ...framework.profiles import Profiles
from ..console import Page
from ..formats import Layout
from ..person.words import FLAG_LEGEND, FLAG_MARK
from ..study import AUTHORS_LEGEND, AUTHORS_MARK, table2_quote


def render(prof: Profiles, profiles: Profiles, layout: Layout) -> str:
    """Themes and items, the context questions, the role standard, the study's Table 2,
    the trainings and the rules (`prof`: the profile set listed)."""
    con = Page(layout)
    _items(con, prof)
    _context(con, prof)
    _standard(con, prof)
    _trainings_and_rules(con, prof)
    return con.text()


def _items(con: Console, prof: Profiles) -> None:
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


def _context(con: Console, prof: Profiles) -> None:
    t = Table(title="Organisational context (feeds barrier rules, not scores)", title_justify="left")
    t.add_column("Id", no_wrap=True)
    t.add_column("Level")
    t.add_column("Statement")
    t.add_column("QUASER")
    for c in prof.framework.context:
        t.add_row(c.id, c.level.replace("_", " "), Text(c.text), ", ".join(c.quaser))
    con.print(t)


def _standard(con: Console, prof: Profiles) -> None:
    """The role standard's targets, what each background overlooks, and Table 2's words."""
    st = prof.standard
    t = Table(title=f"Role standard: targets by career stage ({' / '.join(prof.stages)})",
              title_justify="left")
    t.add_column("Competency")
    t.add_column("Targets", justify="center")
    for b in prof.backgrounds.values():
        t.add_column(b.label, justify="center")
    for cid, comp in prof.competencies.items():
        marks = []
        for b in prof.backgrounds.values():
            flag = prof.background_flag(b.id, cid)
            marks.append(FLAG_MARK[flag] if flag else "")
        label = comp.label + (f" {AUTHORS_MARK}" if comp.origin == "authors" else "")
        t.add_row(label, " / ".join(f"{st.targets[cid][s]:.1f}" for s in prof.stages), *marks)
    con.print(t)
    con.print(Text(f"Targets: {st.basis} ◆ the study's authors say QIMs of that background "
                   f"overlook it. {FLAG_LEGEND['known_gap']} {AUTHORS_LEGEND}.", style="dim"))
    for stage in prof.stages.values():
        if stage.beyond_study:
            con.print(Text(f"{stage.label}: {stage.beyond_study}", style="dim"))
    for role in prof.roles.values():
        if role.beyond_study:
            con.print(Text(f"{role.label}: {role.beyond_study}", style="dim"))
    con.print(Text(f"What the study's Table 2 says of each competency [{prof.table2.source}]",
                   style="bold"))
    for comp in prof.competencies.values():
        evidence = table2_evidence(prof, comp.row)
        said = (table2_quote(evidence) if evidence is not None
                else f"{AUTHORS_SUGGESTION} [A, Limitations of the study].")
        con.print(Text(f"{comp.label}: {said}"))


def _trainings_and_rules(con: Console, prof: Profiles) -> None:
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
