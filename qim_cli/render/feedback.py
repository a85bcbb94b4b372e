"""The 360° view in every format: self against colleagues, behaviour by behaviour, what
colleagues wrote, then the usual report built on colleagues' view."""

from __future__ import annotations

import io
import json

from ..assessment.results import FeedbackResult
from ..framework.profiles import Profiles
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

SHORT_AGREEMENT = {"blind_spot": "blind spot", "hidden_strength": "hidden strength", "agree": "agree",
                   None: "–"}
VIEW_NOTE = ("Scores in the profile and plan are colleagues' view wherever at least {n} colleagues "
             "scored a competency, and the self view elsewhere; the View column says which.")


def render_feedback_json(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    return json.dumps(fb.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _labels(fb: FeedbackResult) -> dict[str, str]:
    return {c.id: c.label for c in fb.competencies}


def render_feedback_table(fb: FeedbackResult, profiles: Profiles, *, color: bool = False) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .table import render_table

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=120,
                  highlight=False, emoji=False)
    from rich import box

    groups = shown_groups(fb)

    def table(compact: bool) -> Table:
        """The table at its natural widths, or compact: each figure column as wide as its
        widest figure or its heading's longest word (the heading wraps above it), so that
        no figure is ever cut; the competency names take what is left."""
        def width(heading: str, widest: int) -> int | None:
            return max(widest, *(len(word) for word in heading.split())) if compact else None

        t = Table(title=f"360° feedback: {fb.subject} and {fb.raters} colleagues",
                  title_justify="left", box=box.SIMPLE_HEAD)
        t.add_column("Competency", no_wrap=not compact, min_width=16 if compact else None,
                     ratio=1 if compact else None)
        t.add_column("Self", justify="right", width=width("Self", 4))
        t.add_column("Others (n)", justify="right", width=width("Others (n)", 9))
        for _, label in groups:
            t.add_column(label, justify="right", width=width(label, 4))
        t.add_column("Others − self", justify="right", width=width("Others − self", 5))
        t.add_column("Agreement", no_wrap=True)
        t.add_column("Others' range (SD)", justify="right", no_wrap=not compact,
                     width=width("Others' range", 9))
        for c in fb.competencies:
            style = {"blind_spot": "bold red", "hidden_strength": "bold green"}.get(c.agreement or "", "")
            sp = c.spread
            t.add_row(
                Text(c.label),
                _n(c.self_score),
                f"{_n(c.others_score)} ({c.others_raters})",
                *[_n(c.by_group.get(g)) for g, _ in groups],
                _n(c.difference, True),
                Text(SHORT_AGREEMENT[c.agreement], style=style),
                f"{sp.lowest:.2f}–{sp.highest:.2f} ({sp.sd:.2f})" if sp else "–",
            )
        return t

    t = table(compact=False)
    natural = con.measure(t, options=con.options.update_width(10_000)).maximum
    if natural > con.width:  # too wide: Rich would cut the figures to "4.…"
        t = table(compact=True)
    con.print(t)
    con.print(Text(brief(fb)))
    con.print(Text("Blind spot: self at least 1 above colleagues; hidden strength: colleagues at "
                   "least 1 above self. Range and standard deviation of colleagues' scores.", style="dim"))
    own = [c.label for c in fb.competencies if c.basis == "self"]
    con.print(Text("Whose view the scores below are: colleagues' for "
                   + ("every competency." if not own else f"all but {', '.join(own)} (self view).")))
    labels = _labels(fb)
    for _, title, items in behaviour_lists(fb):
        con.print(Text(title, style="bold"))
        for it in items:
            con.print(Text("  • " + item_line(it, labels)))
    if fb.comments:
        for key, heading in COMMENT_HEADINGS:
            texts = getattr(fb.comments, key)
            if texts:
                con.print(Text(f"{SECTION_COMMENTS}: {heading.lower()}", style="bold"))
                for text in texts:
                    con.print(Text("  “" + text.replace("\n", "\n   ") + "”"))
    for notice in fb.notices:
        con.print(Text(notice, style="yellow"))
    return buf.getvalue() + render_table(fb.result, profiles, color=color)


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
    out = [f"## {SECTION_COLLEAGUES.format(n=fb.raters)}", "", md_inline(brief(fb)), ""]
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
    out.append(f"- {VIEW_NOTE.format(n=fb.min_raters)}")
    out.append("")
    out += [f"## {SECTION_BEHAVIOURS}", "", BEHAVIOURS_NOTE, ""]
    for _, title, items in behaviour_lists(fb):
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
