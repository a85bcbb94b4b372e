"""The 360° report as Markdown: the person's report built on colleagues' view, with self
against colleagues, behaviour by behaviour and what colleagues wrote."""

from __future__ import annotations

from ...assessment.feedback_results import FeedbackResult
from ...framework.profiles import Profiles
from ...words import plural
from ..formats import Layout
from ..numbers import number
from ..person.markdown import render as person_markdown
from ..text import md_cell as md
from ..text import md_inline
from .view import (
    AGREEMENT_LABEL,
    BEHAVIOURS_NOTE,
    COMMENTS_NOTE,
    SECTION_BEHAVIOURS,
    SECTION_COLLEAGUES,
    SECTION_COMMENTS,
    behaviour_lists,
    brief,
    comment_sections,
    item_line,
    shown_groups,
    spread_text,
    view_of,
)

VIEW_NOTE = ("Scores in the profile and plan are colleagues' view wherever at least {n} "
             "scored a competency, and the self view elsewhere; the View column says which.")


def _labels(fb: FeedbackResult) -> dict[str, str]:
    return {c.id: c.label for c in fb.competencies}


def _quote(text: str) -> str:
    """A comment as a Markdown list item, line breaks kept, every line inert."""
    lines = [md_inline(line) for line in text.split("\n")]
    return "- " + "  \n  ".join(line for line in lines)


def _section(fb: FeedbackResult) -> str:
    groups = shown_groups(fb)
    labels = _labels(fb)
    out = [f"## {SECTION_COLLEAGUES.format(n=plural(fb.raters, 'colleague'))}", "",
           md_inline(brief(fb)), ""]
    head = ["Competency", "Self", "Others (n)", *[label for _, label in groups], "Others − self",
            "Agreement", "Spread of others", "View used"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|---|" + "---:|" * (3 + len(groups)) + "---|---|---|")
    for c in fb.competencies:
        cells = [md(c.label), number(c.self_score), f"{number(c.others_score)} ({c.others_raters})",
                 *[number(c.by_group.get(g)) for g, _ in groups], number(c.difference, signed=True),
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
    comments = comment_sections(fb)
    if comments:
        out += [f"## {SECTION_COMMENTS}", "", COMMENTS_NOTE.format(n=fb.min_raters), ""]
        for _, heading, texts in comments:
            out += [f"### {heading}", ""]
            out += [_quote(text) for text in texts]
            out.append("")
    return "\n".join(out)


def render(fb: FeedbackResult, profiles: Profiles, layout: Layout) -> str:
    """The person's Markdown report built on colleagues' view, the 360° sections after
    its summary."""
    body = person_markdown(fb.result, profiles, layout)
    first_line, _, body = body.partition("\n")
    title = "# 360° feedback:" + first_line.partition(":")[2]
    first, _, rest = body.partition("\n## Competency profile")
    return title + "\n" + first + "\n" + _section(fb) + "\n## Competency profile" + rest
