"""The 360° view in every format: self against colleagues, behaviour by behaviour, what
colleagues wrote, then the usual report built on colleagues' view."""

from __future__ import annotations

import io
import json

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from ..assessment.results import FeedbackResult
from ..framework.profiles import Profiles
from ..words import and_list, plural
from .feedback_view import (
    AGREEMENT_LABEL,
    BEHAVIOURS_NOTE,
    COMMENT_HEADINGS,
    COMMENTS_NOTE,
    SECTION_BEHAVIOURS,
    SECTION_COLLEAGUES,
    SECTION_COMMENTS,
    _n,
    behaviour_lists,
    brief,
    item_line,
    shown_groups,
    spread_text,
    view_of,
)
from .fit import hanging

SHORT_AGREEMENT = {"self_higher": "self higher", "hidden_strength": "hidden strength", "agree": "agree",
                   None: "–"}
VIEW_NOTE = ("Scores in the profile and plan are colleagues' view wherever at least {n} "
             "scored a competency, and the self view elsewhere; the View column says which.")


def render_feedback_json(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    return json.dumps(fb.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _labels(fb: FeedbackResult) -> dict[str, str]:
    return {c.id: c.label for c in fb.competencies}


def render_feedback_table(fb: FeedbackResult, profiles: Profiles, *, color: bool = False,
                          width: int = 80) -> str:
    """The 360 report for a terminal, at `width` columns: who and whose view, then the
    person's report (profile, strengths, plan, barriers) as for one sheet, then self
    against colleagues, behaviour by behaviour and what colleagues wrote."""
    from .table import render_table

    con, buf = _console(color, width)
    con.print(Text(f"360° feedback: {fb.subject} and {plural(fb.raters, 'colleague')}", style="bold"))
    own = [c.label for c in fb.competencies if c.basis == "self"]
    con.print(Text("Whose view the scores below are: colleagues' for "
                   + ("every competency." if not own else f"all but {and_list(own)} (self view).")))
    con.print()
    text = buf.getvalue() + render_table(fb.result, profiles, color=color, width=width)

    con, buf = _console(color, width)
    con.print()
    con.print(Text(SECTION_COLLEAGUES.format(n=plural(fb.raters, "colleague")), style="bold"))
    con.print(_colleagues(fb, con))
    con.print(Text(brief(fb)))
    con.print(Text("Self higher: self at least 1 above colleagues; hidden strength: colleagues at "
                   "least 1 above self. Range and standard deviation of colleagues' scores.",
                   style="dim"))
    labels = _labels(fb)
    lists = behaviour_lists(fb)
    if lists:
        con.print()
        con.print(Text(SECTION_BEHAVIOURS, style="bold"))
        for _, title, items in lists:
            con.print(Text(title, style="bold"))
            for it in items:
                con.print(hanging("  • ", item_line(it, labels)))
    if fb.comments and (fb.comments.strengths or fb.comments.develop):
        con.print()
        con.print(Text(SECTION_COMMENTS, style="bold"))
        for key, heading in COMMENT_HEADINGS:
            texts = getattr(fb.comments, key)
            if texts:
                con.print(Text(heading, style="bold"))
                for comment in texts:
                    con.print(hanging("  “", comment + "”"))
    for notice in fb.notices:
        con.print(Text(notice, style="yellow"))
    text += buf.getvalue()
    return text if color else "\n".join(line.rstrip() for line in text.split("\n"))


def _console(color: bool, width: int) -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, force_terminal=color, no_color=not color, width=width,
                   highlight=False, emoji=False, soft_wrap=False), buf


def _colleagues(fb: FeedbackResult, con: Console) -> RenderableType:
    """Self against colleagues: the table fitted to the terminal (render/fit.py: the
    labels and headings wrap, figures never); else, on a narrow terminal, one block per
    competency. A figure is never cut."""
    from .fit import fit_table

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
            _n(c.self_score),
            f"{_n(c.others_score)} ({c.others_raters})",
            *[_n(c.by_group.get(g)) for g, _ in groups],
            _n(c.difference, True),
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
        blocks.add_row(hanging("    ", f"self {_n(c.self_score)}, others {_n(c.others_score)} "
                                        f"({c.others_raters}), others − self "
                                        f"{_n(c.difference, True)}"))
        if c.spread:
            blocks.add_row(hanging("    ", f"range {c.spread.lowest:.2f}–{c.spread.highest:.2f} "
                                            f"(SD {c.spread.sd:.2f})"))
        if groups:
            blocks.add_row(hanging("    ", ", ".join(
                f"{label} {_n(c.by_group.get(g))}" for g, label in groups)))
    return blocks


_STYLE = {"self_higher": "bold red", "hidden_strength": "bold green"}


def _quote(text: str) -> str:
    """A comment as a Markdown list item, line breaks kept, every line inert."""
    from .common import md_inline

    lines = [md_inline(line) for line in text.split("\n")]
    return "- " + "  \n  ".join(line for line in lines)


def feedback_markdown_section(fb: FeedbackResult) -> str:
    from .common import md_inline
    from .markdown import md

    groups = shown_groups(fb)
    labels = _labels(fb)
    out = [f"## {SECTION_COLLEAGUES.format(n=plural(fb.raters, 'colleague'))}", "",
           md_inline(brief(fb)), ""]
    head = ["Competency", "Self", "Others (n)", *[label for _, label in groups], "Others − self",
            "Agreement", "Spread of others", "View used"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|---|" + "---:|" * (3 + len(groups)) + "---|---|---|")
    for c in fb.competencies:
        cells = [md(c.label), _n(c.self_score), f"{_n(c.others_score)} ({c.others_raters})",
                 *[_n(c.by_group.get(g)) for g, _ in groups], _n(c.difference, True),
                 AGREEMENT_LABEL[c.agreement], spread_text(c), view_of(c)]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    for notice in fb.notices:
        out.append(f"- {md_inline(notice)}")
    out.append(f"- {VIEW_NOTE.format(n=plural(fb.min_raters, 'colleague'))}")
    out.append("")
    lists = behaviour_lists(fb)  # none when too few colleagues answered any behaviour
    if lists:
        out += [f"## {SECTION_BEHAVIOURS}", "", BEHAVIOURS_NOTE, ""]
    for _, title, items in lists:
        out += [f"### {title}", ""]
        out += [f"- {md_inline(item_line(it, labels))}" for it in items]
        out.append("")
    if fb.comments and (fb.comments.strengths or fb.comments.develop):
        out += [f"## {SECTION_COMMENTS}", "", COMMENTS_NOTE.format(n=fb.min_raters), ""]
        for key, heading in COMMENT_HEADINGS:
            texts = getattr(fb.comments, key)
            if texts:
                out += [f"### {heading}", ""]
                out += [_quote(text) for text in texts]
                out.append("")
    return "\n".join(out)


def render_feedback_markdown(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    from .markdown import render_markdown

    body = render_markdown(fb.result, profiles)
    first_line, _, body = body.partition("\n")
    title = "# 360° feedback:" + first_line.partition(":")[2]
    first, _, rest = body.partition("\n## Competency profile")
    return title + "\n" + first + "\n" + feedback_markdown_section(fb) + "\n## Competency profile" + rest


def render_feedback_html(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    from .html import render_html

    return render_html(fb.result, profiles, feedback=fb)
