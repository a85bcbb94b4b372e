"""A programme's before and after as Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..numbers import number
from . import words as w
from .words import at_target_text, change_cells, ci_text, counts_sentence, method_lines, p_text, reliable_text

if TYPE_CHECKING:
    from ...cohort.compare_results import ChangeRow, CohortComparison
    from ...framework.profiles import Profiles
    from ..formats import Layout


def _md(text: str) -> str:
    """Profile text in a table cell (the programme's own wording: no markup to escape)."""
    return text.replace("|", "\\|").replace("\n", " ")


def render(doc: CohortComparison, profiles: Profiles, layout: Layout) -> str:
    mark = [f"> **{_md(doc.privacy.not_for_sharing)}**", ""] \
        if doc.privacy.not_for_sharing else []
    out = [*mark, "# Did the programme work? Before and after", "", counts_sentence(doc), "",
           _md(doc.privacy.rule), ""]
    out += [f"> {_md(note)}" for note in doc.notes]
    if doc.notes:
        out.append("")
    if doc.shown:
        out += _shown(doc)
    out += ["", "## What this design cannot show", ""]
    out += [f"- {_md(text)}" for text in doc.limitations]
    return "\n".join(out) + "\n"


def _shown(doc: CohortComparison) -> list[str]:
    out = ["## Change per competency", "",
           "Over the people paired and scored both times: mean score before and after, "
           "the mean change with its 95% confidence interval (paired t), two effect sizes, "
           "the Holm-adjusted p, the people who changed beyond measurement error, and the "
           "share at the target of their career stage before and after "
           f"(targets: the {_md(doc.standard.label)}, "
           f"{_md(doc.standard.basis.rstrip('.'))}). {_md(doc.standard.within_error)}", ""]
    out += [" ".join(_md(line) for line in method_lines(doc)), ""]
    out += _change_table(doc.competencies, doc.min_group)
    out += ["", f"> The share at target, and the needs and barriers resolved below: "
                f"{_md(doc.selection_caution)}"]
    out += ["", "## Training needs", "",
            "People each training was recommended to. Resolved: needed before, not after "
            "(a barrier never removes a need, so a need that is gone is resolved).", "",
            "| Training | Before | After | Resolved | New |",
            "|---|---:|---:|---:|---:|"]
    for t in doc.training_needs:
        out.append(f"| {_md(t.title)} (`{t.id}`) | "
                   + " | ".join(change_cells(t, doc.min_group)) + " |")
    out += ["", "## Organisational barriers", "",
            "| Barrier | Before | After | Resolved | New |", "|---|---:|---:|---:|---:|"]
    for b in doc.barriers:
        out.append(f"| {_md(b.title)} | " + " | ".join(change_cells(b, doc.min_group)) + " |")
    for o in doc.organisations:
        out += ["", f"### {_md(w.organisation_title(o))}", ""]
        if o.suppressed:
            out.append(_md(w.organisation_withheld(o, doc.min_group)))
            continue
        out += ["| Barrier | Before | After | Resolved | New |", "|---|---:|---:|---:|---:|"]
        for b in o.barriers:
            out.append(f"| {_md(b.title)} | " + " | ".join(change_cells(b, doc.min_group)) + " |")
    for g in doc.groups:
        out += ["", f"## {_md(g.label)} ({g.n} paired)", ""]
        out += _change_table(g.competencies, doc.min_group)
    return out


def _change_table(rows: list[ChangeRow], min_group: int) -> list[str]:
    out = ["| Competency | n | Before | After | Change | 95% CI | d_z | d_av | p (Holm) "
           "| Beyond measurement error | At target before → after |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        if r.suppressed:
            out.append(f"| {_md(r.label)} | withheld | | | | | | | | | |")
            continue
        out.append(f"| {_md(r.label)} | {r.n} | {number(r.before_mean)} | "
                   f"{number(r.after_mean)} | {number(r.change_mean, signed=True)} | "
                   f"{ci_text(r)} | {number(r.d_z)} | {number(r.d_av)} | {p_text(r.p_holm)} | "
                   f"{reliable_text(r, min_group)} | "
                   f"{at_target_text(r)} |")
    return out
