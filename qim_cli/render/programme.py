"""Renderers of a programme's before and after (`qim compare-cohort BEFORE AFTER`): one
per format, all taking the document of `cohort.programme.compare_programme`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from enum import Enum
from typing import Any

from .common import no_trailing_spaces


class ProgrammeFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


def _n(x: float | None, fmt: str = "{:.2f}") -> str:
    return "–" if x is None else fmt.format(x)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.0f}%"


def ci_text(row: dict[str, Any]) -> str:
    if row["ci_low"] is None:
        return "–"
    return f"{row['ci_low']:+.2f} to {row['ci_high']:+.2f}"


def counts_sentence(doc: dict[str, Any]) -> str:
    c = doc["counts"]
    sheets = "sheet" if c["before"] == 1 else "sheets"
    people = "person" if c["paired"] == 1 else "people"
    text = (f"{c['before']} {sheets} before, {c['after']} after: {c['paired']} {people} paired by "
            f"respondent id, {c['only_before']} only before (left), {c['only_after']} only "
            "after (joined).")
    rep = c["repeated_before"] + c["repeated_after"]
    if rep:
        text += f" {rep} id{'s' if rep > 1 else ''} repeated within a set, not paired."
    return text


def shown(doc: dict[str, Any]) -> bool:
    return any(not r["suppressed"] for r in doc["competencies"])


# --------------------------------------------------------------------------- json / csv


def render_json(doc: dict[str, Any], **_: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = [
    "section", "by", "group", "id", "n", "before_mean", "after_mean", "change_mean",
    "change_sd", "ci_low", "ci_high", "p", "d_z", "at_target_before", "at_target_after",
    "before", "after", "resolved", "new", "text",
]


def render_csv(doc: dict[str, Any], **_: Any) -> str:
    """Long format: section is ``count``, ``competency`` (group ``overall`` or a group id),
    ``training``, ``barrier``, ``limitation`` or ``note``."""
    from .score import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def row(**values: Any) -> None:
        values.setdefault("by", doc["by"])
        w.writerow([csv_cell(values.get(c)) for c in CSV_COLUMNS])

    for key, value in doc["counts"].items():
        row(section="count", group="", id=key, n=value)
    for group, rows in [("overall", doc["competencies"])] + [
            (g["group"], g["competencies"]) for g in doc["groups"]]:
        for r in rows:
            row(section="competency", group=group, **{k: v for k, v in r.items()
                                                      if k in CSV_COLUMNS and k != "label"})
    for t in doc["training_needs"]:
        row(section="training", group="overall", id=t["id"], before=t["before"], after=t["after"],
            resolved=t["resolved"], new=t["new"])
    for b in doc["barriers"]:
        row(section="barrier", group="overall", id=b["rule"], before=b["before"], after=b["after"],
            resolved=b["resolved"], new=b["new"])
    for text in doc["limitations"]:
        row(section="limitation", group="", text=text)
    for text in doc["notes"]:
        row(section="note", group="", text=text)
    return buf.getvalue()


# --------------------------------------------------------------------------- markdown


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _change_table(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| Competency | n | Before | After | Change | 95% CI | d_z | At target before → after |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r["suppressed"]:
            out.append(f"| {_md(r['label'])} | withheld | | | | | | |")
            continue
        out.append(f"| {_md(r['label'])} | {r['n']} | {_n(r['before_mean'])} | {_n(r['after_mean'])} | "
                   f"{_n(r['change_mean'], '{:+.2f}')} | {ci_text(r)} | {_n(r['d_z'])} | "
                   f"{_pct(r['at_target_before'])} → {_pct(r['at_target_after'])} |")
    return out


def render_markdown(doc: dict[str, Any], **_: Any) -> str:
    out = ["# Did the programme work? Before and after", "", counts_sentence(doc), ""]
    for note in doc["notes"]:
        out.append(f"> {_md(note)}")
    if doc["notes"]:
        out.append("")
    if shown(doc):
        out += ["## Change per competency", "",
                "Over the people paired and scored both times: mean score before and after, "
                "the mean change with its 95% confidence interval (paired t), the effect size "
                "and the share at or above the target of their career stage before and after "
                f"(targets: the {_md(doc['standard']['label'])}, "
                f"{_md(doc['standard']['basis'].rstrip('.'))}). "
                f"Effect size: {_md(doc['effect_size'])}.", ""]
        out += _change_table(doc["competencies"])
        out += ["", "## Training needs", "",
                "People each training was recommended to. Resolved: needed before, not after "
                "(a barrier never removes a need, so a need that is gone is resolved).", "",
                "| Training | Before | After | Resolved | New |",
                "|---|---:|---:|---:|---:|"]
        for t in doc["training_needs"]:
            out.append(f"| {_md(t['title'])} (`{t['id']}`) | {t['before']} | {t['after']} | "
                       f"{t['resolved']} | {t['new']} |")
        out += ["", "## Organisational barriers", "",
                "| Barrier | Before | After | Resolved | New |", "|---|---:|---:|---:|---:|"]
        for b in doc["barriers"]:
            out.append(f"| {_md(b['title'])} | {b['before']} | {b['after']} | {b['resolved']} | "
                       f"{b['new']} |")
        for g in doc["groups"]:
            out += ["", f"## {_md(g['label'])} ({g['n']} paired)", ""]
            out += _change_table(g["competencies"])
    out += ["", "## What this design cannot show", ""]
    out += [f"- {_md(text)}" for text in doc["limitations"]]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- table


@no_trailing_spaces
def render_table(doc: dict[str, Any], *, color: bool = False, width: int = 140) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .fit import fitted, hanging

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                  highlight=False, emoji=False, soft_wrap=False)
    con.print(Text("Programme: before and after", style="bold"))
    con.print(Text(counts_sentence(doc)))
    for note in doc["notes"]:
        con.print(Text("Note: " + note, style="yellow"))

    def change_table(title: str, rows: list[dict[str, Any]]) -> None:
        t = Table(title=title, title_justify="left")
        for name in ("Competency", "n", "Before", "After", "Change", "95% CI", "d_z",
                     "At target before → after"):
            t.add_column(name, justify="left" if name == "Competency" else "right")
        for r in rows:
            if r["suppressed"]:
                t.add_row(Text(r["label"]), "withheld", "", "", "", "", "", "")
                continue
            change = r["change_mean"]
            style = "green" if r["ci_low"] is not None and r["ci_low"] > 0 else \
                "red" if r["ci_high"] is not None and r["ci_high"] < 0 else ""
            t.add_row(Text(r["label"]), str(r["n"]), _n(r["before_mean"]), _n(r["after_mean"]),
                      Text(_n(change, "{:+.2f}"), style=style), ci_text(r), _n(r["d_z"]),
                      f"{_pct(r['at_target_before'])} → {_pct(r['at_target_after'])}")
        con.print(fitted(con, t))

    if shown(doc):
        change_table("Change per competency: mean, 95% CI (paired t), effect size d_z",
                     doc["competencies"])
        con.print(Text(f"Effect size: {doc['effect_size']}. Targets: the "
                       f"{doc['standard']['label']}, {doc['standard']['basis']}", style="italic"))
        t = Table(title="Training needs (people)", title_justify="left")
        for name in ("Training", "Before", "After", "Resolved", "New"):
            t.add_column(name, justify="left" if name == "Training" else "right")
        for n in doc["training_needs"]:
            t.add_row(Text(f"{n['title']} ({n['id']})"), str(n["before"]), str(n["after"]),
                      str(n["resolved"]), str(n["new"]))
        con.print(fitted(con, t))
        t = Table(title="Organisational barriers (people)", title_justify="left")
        for name in ("Barrier", "Before", "After", "Resolved", "New"):
            t.add_column(name, justify="left" if name == "Barrier" else "right")
        for b in doc["barriers"]:
            t.add_row(Text(b["title"]), str(b["before"]), str(b["after"]), str(b["resolved"]),
                      str(b["new"]))
        con.print(fitted(con, t))
        for g in doc["groups"]:
            change_table(f"{g['label']} ({g['n']} paired)", g["competencies"])
    con.print(Text("What this design cannot show", style="bold"))
    for text in doc["limitations"]:
        con.print(hanging("  • ", text))
    return buf.getvalue()


def _render_html(doc: dict[str, Any], **_: Any) -> str:
    from .programme_html import render_programme_html

    return render_programme_html(doc, counts=counts_sentence(doc), shown=shown(doc),
                                 ci_text=ci_text)


RENDERERS: dict[ProgrammeFormat, Callable[..., str]] = {
    ProgrammeFormat.table: render_table,
    ProgrammeFormat.json: render_json,
    ProgrammeFormat.csv: render_csv,
    ProgrammeFormat.markdown: render_markdown,
    ProgrammeFormat.html: _render_html,
}


def render(fmt: ProgrammeFormat, doc: dict[str, Any], *, color: bool = False,
           width: int = 140) -> str:
    """`width` is the terminal table's."""
    if fmt is ProgrammeFormat.table:
        return render_table(doc, color=color, width=width)
    return RENDERERS[fmt](doc, color=color)
