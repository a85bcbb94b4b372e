"""Renderers of `qim compare`: a terminal table and JSON here; CSV and Markdown in
compare_review.py, HTML in compare_html.py."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from enum import Enum
from typing import Any

from .common import no_trailing_spaces
from .compare_words import OUTCOME_WORDS
from .compare_words import day as _day
from .compare_words import number as _f


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


def render_json(doc: dict[str, Any], *, color: bool = False) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@no_trailing_spaces
def render_table(doc: dict[str, Any], *, color: bool = False, width: int = 120) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .fit import fitted, hanging
    from .table import clean

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                  highlight=False, emoji=False, soft_wrap=False)
    old, new = doc["old"], doc["new"]
    head = Text(f"{clean(doc['respondent'])}: before and after", style="bold")
    head.append(f"\nbefore: {clean(old['source'])} ({old['years_as_qim']:g} years, "
                f"{old['career_stage']})")
    head.append(f"\nafter:  {clean(new['source'])} ({new['years_as_qim']:g} years, "
                f"{new['career_stage']})")
    con.print(head)
    if not doc["same_respondent"]:
        con.print(Text(f"Different respondents: {clean(old['id'])} and {clean(new['id'])}",
                       style="yellow"))

    change = doc.get("standard_change")
    if change:
        con.print()
        con.print(Text("The role standard changed", style="bold yellow"))
        con.print(Text(change["note"]))
    _review(con, doc["plan_review"])

    t = Table(title="Competencies", title_justify="left")
    for name, justify in (("Competency", "left"), ("Before", "right"), ("After", "right"),
                          ("Change", "right"), ("Gap before", "right"), ("Gap after", "right"),
                          ("Level", "left")):
        t.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in doc["competencies"]:
        change = c["change"]
        style = "green" if change and change > 0 else "red" if change and change < 0 else ""
        level = c["old_level"] if c["old_level"] == c["new_level"] else \
            f"{c['old_level']} → {c['new_level']}"
        t.add_row(Text(c["label"]), _f(c["old_score"]), _f(c["new_score"]),
                  Text(_f(change, signed=True), style=style),
                  _f(c["old_gap"], signed=True), _f(c["new_gap"], signed=True), level)
    con.print(fitted(con, t))
    std = doc.get("standard")
    if std:
        con.print(Text(f"Targets: the {std['label']}, {std['basis']}", style="dim"))

    def section(title: str, entries: list[dict[str, Any]], fmt: Callable[[dict[str, Any]], str]) -> None:
        con.print(Text(f"{title} ({len(entries)})", style="bold"))
        if not entries:
            con.print("  none")
        for e in entries:
            con.print(hanging("  • ", fmt(e)))

    def rec(e: dict[str, Any]) -> str:
        comps = ", ".join(e["competencies"])
        return f"{e['title']} ({e['id']}){' — ' + comps if comps else ''}"

    recs = doc["recommendations"]
    section("Recommendations resolved", recs["resolved"], rec)
    section("New recommendations", recs["new"], rec)
    section("Recommendations that remain", recs["remaining"],
            lambda e: f"{rec(e)}: priority {e['old_priority']:.1f} → {e['priority']:.1f}")
    bars = doc["barriers"]
    section("Organisational barriers resolved", bars["resolved"],
            lambda e: f"{e['title']} ({e['rule']})")
    section("New organisational barriers", bars["new"], lambda e: f"{e['title']} ({e['rule']})")
    section("Organisational barriers that remain", bars["remaining"],
            lambda e: f"{e['title']} ({e['rule']})")
    return buf.getvalue()


OUTCOME_STYLE = {"reached": "green", "improved": "yellow", "not_improved": "red",
                 "not_scored": "dim"}


def _review(con: Any, review: dict[str, Any]) -> None:
    """The review of last time's plan: each objective's competencies, reached or not."""
    from rich.text import Text

    from .fit import hanging

    con.print()
    con.print(Text(f"Review of last time's plan (assessed {_day(review['old_assessed_on'])})",
                   style="bold underline"))
    if review.get("standard_changed"):
        con.print(Text(review["standard_changed"], style="yellow"))
    if not review["objectives"]:
        con.print(Text("  The earlier plan had no objectives."))

    def comp_line(c: dict[str, Any]) -> Text:
        line = Text(f"{c['label']} {_f(c['old_score'])} → {_f(c['new_score'])} "
                    f"(target {c['new_target']:.1f}): ")
        line.append(OUTCOME_WORDS[c["outcome"]], style=OUTCOME_STYLE[c["outcome"]])
        if c["in_new_plan"] is not None:
            line.append(f"; in the new plan (objective {c['in_new_plan']})")
        return line

    for o in review["objectives"]:
        head = Text(o["title"], style="bold")
        head.append(f" (due {_day(o['due'])}): ")
        head.append(OUTCOME_WORDS[o["outcome"]], style=OUTCOME_STYLE[o["outcome"]])
        con.print(hanging(f" {o['number']}. ", head, indent=4))
        for c in o["competencies"]:
            con.print(hanging("    ", comp_line(c), indent=6))
    if review["deferred"]:
        con.print(Text(" Deferred last time:", style="bold"))
        for c in review["deferred"]:
            con.print(hanging("    ", comp_line(c), indent=6))
    for b in review["barriers"]:
        status = "still reported" if b["status"] == "still_reported" else "no longer reported"
        con.print(hanging(" ▲ ", f"{b['title']}: {status}", indent=4))
    counts = review["summary"]
    n = sum(counts.values())
    if n:
        con.print(Text(f"{n} objective{'s' if n != 1 else ''}: " + ", ".join(
            f"{counts[k]} {OUTCOME_WORDS[k].split(',')[0]}" for k in counts if counts[k]),
            style="dim"))
    con.print()


def render_csv(doc: dict[str, Any], *, color: bool = False) -> str:
    from .compare_review import render_csv as csv

    return csv(doc)


def render_markdown(doc: dict[str, Any], *, color: bool = False) -> str:
    from .compare_review import render_markdown as markdown

    return markdown(doc)


def render_html(doc: dict[str, Any], *, color: bool = False) -> str:
    from .compare_html import render_compare_html

    return render_compare_html(doc)


RENDERERS: dict[CompareFormat, Callable[..., str]] = {
    CompareFormat.table: render_table,
    CompareFormat.json: render_json,
    CompareFormat.csv: render_csv,
    CompareFormat.markdown: render_markdown,
    CompareFormat.html: render_html,
}


def render(fmt: CompareFormat, doc: dict[str, Any], *, color: bool = False, width: int = 120) -> str:
    """`width` is the terminal table's."""
    if fmt is CompareFormat.table:
        return render_table(doc, color=color, width=width)
    return RENDERERS[fmt](doc, color=color)
