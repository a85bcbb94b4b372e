"""The calibration section of `qim cohort` (cohort/calibration.py's summary) in each format:
per group, how many people's self-ratings sit above, below or near their scenario judgement.
render/cohort.py calls these; templates/_cohort_calibration.html.j2 is the HTML partial.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

KIND_LABEL = {"calibrated": "no note", "generous": "may be generous", "modest": "may be modest",
              "mixed": "both"}
CSV_EXTRA = ["generous", "modest"]
HEADING = "Self-rating against scenario judgement"
EXPLAIN = ("People who answered scenarios, by the calibration notes of their own reports: none, "
           "only \"may be generous\" (self-rating at least {marked:g} above the scenario "
           "judgement in a competency), only \"may be modest\" (at least {marked:g} below) or "
           "both. Mean difference = self-rating − judgement (positive: rated above judgement).")


def _signed(x: float | None) -> str:
    return "–" if x is None else f"{x:+.2f}"


def kind_cells(col: dict[str, Any]) -> list[str]:
    return [f"{col[k]} ({col[k + '_share'] * 100:.0f}%)" for k in KIND_LABEL]


def competency_cell(c: dict[str, Any]) -> str:
    """`+0.13 · 1 ↑ 0 ↓` : mean difference, people with a generous / a modest note."""
    return f"{_signed(c['mean_difference'])} · {c['generous']}↑ {c['modest']}↓"


def csv_rows(doc: dict[str, Any], row: Callable[..., None]) -> None:
    """Rows of sections calibration (id = the kind of person: people, share) and
    calibration_competency (n compared, difference_mean, people with each note)."""
    cal = doc.get("calibration")
    for col in (cal or {}).get("columns", []):
        for kind in KIND_LABEL:
            row(section="calibration", group=col["group"], group_n=col["people"], id=kind,
                people=col[kind], share=col[kind + "_share"],
                difference_mean=col["mean_difference"] if kind == "calibrated" else None)
        for c in col["competencies"]:
            row(section="calibration_competency", group=col["group"], group_n=col["people"],
                id=c["id"], n=c["compared"], difference_mean=c["mean_difference"],
                generous=c["generous"], modest=c["modest"])


def markdown_lines(doc: dict[str, Any], md: Callable[[Any], str]) -> list[str]:
    cal = doc.get("calibration")
    if not cal:
        return []
    out = [f"## {HEADING}", "", f"> {md(cal['notice'])}", ""]
    if cal["note"]:
        out += [md(cal["note"]), ""]
    cols = cal["columns"]
    if not cols:
        return out
    out += [md(EXPLAIN.format(marked=cal["marked"])), ""]
    head = ["Group", "People", *KIND_LABEL.values(), "Mean difference"]
    out += ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for col in cols:
        out.append("| " + " | ".join([md(col["label"]), str(col["people"]), *kind_cells(col),
                                      _signed(col["mean_difference"])]) + " |")
    out += ["", "Per competency: mean difference · people with a \"may be generous\" (↑) and "
            "a \"may be modest\" (↓) note.", ""]
    head = ["Competency", *(md(c["label"]) for c in cols)]
    out += ["| " + " | ".join(head) + " |", "|---|" + "---:|" * len(cols)]
    for i, comp in enumerate(cols[0]["competencies"]):
        cells = [md(comp["label"]), *(competency_cell(c["competencies"][i]) for c in cols)]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def print_table(con: Console, doc: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from .fit import fitted

    cal = doc.get("calibration")
    if not cal:
        return
    con.print(Text(f"{HEADING}: {cal['notice']}", style="dim"))
    if cal["note"]:
        con.print(Text("Note: " + cal["note"], style="yellow"))
    cols = cal["columns"]
    if not cols:
        return
    t = Table(title=f"{HEADING}: people by their notes (a difference of {cal['marked']:g} is "
              "marked)", title_justify="left")
    t.add_column("Group")
    t.add_column("People", justify="right")
    for label in KIND_LABEL.values():
        t.add_column(label, justify="right")
    t.add_column("Mean self − judgement", justify="right")
    for col in cols:
        t.add_row(Text(col["label"]), str(col["people"]), *kind_cells(col),
                  _signed(col["mean_difference"]))
    con.print(fitted(con, t))
    t = Table(title="Per competency: mean self − judgement · notes ↑ generous ↓ modest",
              title_justify="left")
    t.add_column("Competency")
    for col in cols:
        t.add_column(Text(col["label"]), justify="right")
    for i, comp in enumerate(cols[0]["competencies"]):
        t.add_row(Text(comp["label"]), *(competency_cell(c["competencies"][i]) for c in cols))
    con.print(fitted(con, t))
