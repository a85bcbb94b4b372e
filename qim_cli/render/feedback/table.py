"""The 360° report for a terminal: who and whose view, the person's report built on
colleagues' view, then self against colleagues, behaviour by behaviour and what colleagues
wrote."""

from __future__ import annotations

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from ...assessment.feedback_results import FeedbackResult
from ...framework.profiles import Profiles
from ...words import and_list, plural
from ..console import Page, unpadded
from ..fit import fit_table, hanging
from ..formats import Layout
from ..numbers import number
from ..person.table import render as person_table
from .view import (
    SECTION_BEHAVIOURS,
    SECTION_COLLEAGUES,
    SECTION_COMMENTS,
    behaviour_lists,
    brief,
    comment_sections,
    item_line,
    shown_groups,
)

SHORT_AGREEMENT = {"self_higher": "self higher", "hidden_strength": "hidden strength", "agree": "agree",
                   None: "–"}


def render(fb: FeedbackResult, profiles: Profiles, layout: Layout) -> str:
    """The 360 report at the layout's width: who and whose view, then the person's report
    (profile, strengths, plan, barriers) as for one sheet, then self against colleagues,
    behaviour by behaviour and what colleagues wrote."""
    layout = Layout(color=layout.color, width=layout.width)  # no --explain trace here
    con = Page(layout)
    con.print(Text(f"360° feedback: {fb.subject} and {plural(fb.raters, 'colleague')}", style="bold"))
    own = [c.label for c in fb.competencies if c.basis == "self"]
    con.print(Text("Whose view the scores below are: colleagues' for "
                   + ("every competency." if not own else f"all but {and_list(own)} (self view).")))
    con.print()
    text = con.buffer.getvalue() + person_table(fb.result, profiles, layout)

    con = Page(layout)
    con.print()
    con.print(Text(SECTION_COLLEAGUES.format(n=plural(fb.raters, "colleague")), style="bold"))
    con.print(_colleagues(fb, con))
    con.print(Text(brief(fb)))
    con.print(Text("Self higher: self at least 1 above colleagues; hidden strength: colleagues at "
                   "least 1 above self. Range and standard deviation of colleagues' scores.",
                   style="dim"))
    labels = {c.id: c.label for c in fb.competencies}
    lists = behaviour_lists(fb)
    if lists:
        con.print()
        con.print(Text(SECTION_BEHAVIOURS, style="bold"))
        for _, title, items in lists:
            con.print(Text(title, style="bold"))
            for it in items:
                con.print(hanging("  • ", item_line(it, labels)))
    comments = comment_sections(fb)
    if comments:
        con.print()
        con.print(Text(SECTION_COMMENTS, style="bold"))
        for _, heading, texts in comments:
            con.print(Text(heading, style="bold"))
            for comment in texts:
                con.print(hanging("  “", comment + "”"))
    for notice in fb.notices:
        con.print(Text(notice, style="yellow"))
    return unpadded(text + con.buffer.getvalue(), color=layout.color)


def _colleagues(fb: FeedbackResult, con: Console) -> RenderableType:
    """Self against colleagues: the table fitted to the terminal (render/fit.py: the
    labels and headings wrap, figures never); else, on a narrow terminal, one block per
    competency. A figure is never cut."""
    groups = shown_groups(fb)
    t = Table(box=box.SIMPLE_HEAD)
    t.add_column("Competency")
    t.add_column("Self", justify="right")
    t.add_column("Others (n)", justify="right")
    for _, label in groups:
        t.add_column(label, justify="right")
    t.add_column("Others − self", justify="right")
    t.add_column("Agreement", no_wrap=True)
    t.add_column("Others' range (SD)", justify="right")
    for c in fb.competencies:
        sp = c.spread
        t.add_row(
            Text(c.label),
            number(c.self_score),
            f"{number(c.others_score)} ({c.others_raters})",
            *[number(c.by_group.get(g)) for g, _ in groups],
            number(c.difference, signed=True),
            Text(SHORT_AGREEMENT[c.agreement], style=_STYLE.get(c.agreement or "", "")),
            f"{sp.lowest:.2f}–{sp.highest:.2f} ({sp.sd:.2f})" if sp else "–",
        )
    if fit_table(con, t):
        return t
    blocks = Table.grid()
    blocks.add_column()
    for c in fb.competencies:
        name = Text(c.label, style="bold")
        name.append(f" · {SHORT_AGREEMENT[c.agreement]}",
                    style=_STYLE.get(c.agreement or "", ""))
        blocks.add_row(name)
        blocks.add_row(hanging("    ", f"self {number(c.self_score)}, others {number(c.others_score)} "
                                        f"({c.others_raters}), others − self "
                                        f"{number(c.difference, signed=True)}"))
        if c.spread:
            blocks.add_row(hanging("    ", f"range {c.spread.lowest:.2f}–{c.spread.highest:.2f} "
                                            f"(SD {c.spread.sd:.2f})"))
        if groups:
            blocks.add_row(hanging("    ", ", ".join(
                f"{label} {number(c.by_group.get(g))}" for g, label in groups)))
    return blocks


_STYLE = {"self_higher": "bold red", "hidden_strength": "bold green"}


