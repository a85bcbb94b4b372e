"""The scenarios section of a person's report: judgement beside the self-rating, calibration
notes as questions for the appraisal, and the notice that the scenarios are not a validated
test. One helper per format; the renderers of table.py and markdown.py call them, and
templates/_calibration.html.j2 is the HTML partial.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import md_inline

if TYPE_CHECKING:  # annotations only
    from rich.console import Console

    from ..assessment.results import Calibration

HEADING = "Scenarios beside your self-rating"
NOTE_WORDS = {"generous": "may be generous", "modest": "may be modest"}


def _answered(cal: Calibration) -> str:
    return f"{cal.answered} of {cal.offered} answered"


def print_calibration(con: Console, cal: Calibration, indent: int = 4) -> None:
    """The terminal version (Rich): a small table, the notes, the tripwires."""
    from rich import box
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from .fit import fitted, hanging

    con.print()
    con.print(Text(f"{HEADING} ({_answered(cal)})", style="bold underline"))
    con.print(Text(cal.notice, style="dim"))
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    t.add_column("Competency")
    t.add_column("Self", justify="right")
    t.add_column("Scenarios", justify="right")
    t.add_column("Points", justify="right")
    t.add_column("Note")
    for c in cal.competencies:
        self_score = "–" if c.self_score is None else f"{c.self_score:.2f}"
        t.add_row(Text(c.label), self_score, f"{c.judgement:.2f}", f"{c.points:g}/{c.max_points:g}",
                  Text(NOTE_WORDS.get(c.note or "", ""), style="yellow" if c.note else ""))
    con.print(fitted(con, t))
    for c in cal.competencies:
        if c.prompt:
            con.print(hanging(" ? ", Text(c.label, style="bold")))
            con.print(Padding(Text(c.prompt), (0, 0, 0, indent)))
    for s in cal.scenarios:
        if s.tripwire:
            con.print(hanging(" ! ", Text(s.title, style="bold")))
            con.print(Padding(Text(s.tripwire), (0, 0, 0, indent)))


def calibration_markdown(cal: Calibration, labels: dict[str, str]) -> list[str]:
    """The Markdown section, as lines."""
    def md(text: str | None) -> str:
        return md_inline(text, table=True)

    out = [f"## {HEADING} ({_answered(cal)})", "", f"> {md(cal.notice)}", "",
           "| Competency | Self-rating | Scenario judgement | Points | Note |",
           "|---|---:|---:|---:|---|"]
    for c in cal.competencies:
        own = "–" if c.self_score is None else f"{c.self_score:.2f}"
        out.append(f"| {md(c.label)} | {own} | {c.judgement:.2f} | {c.points:g} of "
                   f"{c.max_points:g} | {NOTE_WORDS.get(c.note or '', '')} |")
    out.append("")
    prompts = [c for c in cal.competencies if c.prompt]
    if prompts:
        out += ["### Questions for your appraisal", ""]
        out += [f"- **{md(c.label)}** ({NOTE_WORDS[c.note or '']}): {md(c.prompt)}" for c in prompts]
        out.append("")
    out += ["### Your scenario answers", "",
            "| Scenario | Competency | Your most likely (its rank) | Your least likely (its rank) "
            "| Ranked best | Points |",
            "|---|---|---|---|---|---:|"]
    for s in cal.scenarios:
        out.append(f"| {md(s.title)} | {md(labels.get(s.competency, s.competency))} | "
                   f"{s.best} ({s.best_rank}) | {s.worst} ({s.worst_rank}) | {s.evidence_best} | "
                   f"{s.points:g} |")
    out.append("")
    for s in cal.scenarios:
        line = f"- **{md(s.title)}**: {s.evidence_best} is ranked best. {md(s.evidence_best_rationale)}"
        if s.tripwire:
            line += f" {md(s.tripwire)}"
        out.append(line + f" [{', '.join(s.sources)}]")
    out += ["", f"How the points are counted: {md(cal.method)}", ""]
    return out
