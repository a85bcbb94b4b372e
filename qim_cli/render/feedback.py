"""The 360° view in every format: a self-versus-others section, then the usual report."""

from __future__ import annotations

import io
import json

from ..assessment.results import FeedbackResult
from ..framework.profiles import Profiles

AGREEMENT_LABEL = {
    "blind_spot": "blind spot (self above others)",
    "hidden_strength": "hidden strength (others above self)",
    "agree": "agree",
    None: "–",
}


def _n(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def shown_groups(fb: FeedbackResult) -> list[tuple[str, str]]:
    return [(g.group, g.label) for g in fb.groups if g.shown]


def render_feedback_json(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    return json.dumps(fb.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render_feedback_table(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .table import render_table

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=120,
                  highlight=False, emoji=False)
    t = Table(title=f"360° feedback: {fb.subject} and {fb.raters} colleagues", title_justify="left")
    t.add_column("Competency", no_wrap=True)
    t.add_column("Self", justify="right")
    t.add_column("Others (n)", justify="right")
    groups = shown_groups(fb)
    for _, label in groups:
        t.add_column(label, justify="right")
    t.add_column("Others − self", justify="right")
    t.add_column("Agreement")
    for c in fb.competencies:
        style = {"blind_spot": "bold red", "hidden_strength": "bold green"}.get(c.agreement or "", "")
        t.add_row(
            c.label,
            _n(c.self_score),
            f"{_n(c.others_score)} ({c.others_raters})",
            *[_n(c.by_group.get(g)) for g, _ in groups],
            _n(c.difference, True),
            Text(AGREEMENT_LABEL[c.agreement], style=style),
        )
    con.print(t)
    for notice in fb.notices:
        con.print(Text(notice, style="yellow"))
    con.print(Text("The report below uses the others' view wherever enough colleagues scored a "
                   "competency, and the self view elsewhere.", style="dim"))
    return buf.getvalue() + render_table(fb.result, profiles, color=color)


def feedback_markdown_section(fb: FeedbackResult) -> str:
    from .markdown import md

    groups = shown_groups(fb)
    out = [f"## 360° feedback: self and {fb.raters} colleagues", ""]
    head = ["Competency", "Self", "Others (n)", *[label for _, label in groups], "Others − self", "Agreement"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|---|" + "---:|" * (3 + len(groups)) + "---|")
    for c in fb.competencies:
        cells = [md(c.label), _n(c.self_score), f"{_n(c.others_score)} ({c.others_raters})",
                 *[_n(c.by_group.get(g)) for g, _ in groups], _n(c.difference, True),
                 AGREEMENT_LABEL[c.agreement]]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    for notice in fb.notices:
        out.append(f"- {md(notice)}")
    out.append("- The plan below uses the others' view wherever enough colleagues scored a "
               "competency, and the self view elsewhere.")
    out.append("")
    return "\n".join(out)


def render_feedback_markdown(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    from .markdown import render_markdown

    body = render_markdown(fb.result, profiles)
    first, _, rest = body.partition("\n## Competency profile")
    return first + "\n" + feedback_markdown_section(fb) + "\n## Competency profile" + rest


def render_feedback_html(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    from .html import render_html

    return render_html(fb.result, profiles, feedback=fb)
