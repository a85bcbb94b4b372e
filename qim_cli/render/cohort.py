"""Renderers of `qim cohort`: one per format, all taking the summary of `cohort.summarise`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from enum import Enum
from typing import Any

from ..words import plural
from . import cohort_calibration, organisation
from .cohort_calibration import CSV_EXTRA as CAL_CSV_EXTRA
from .common import (
    AUTHORS_LEGEND,
    AUTHORS_MARK,
    _columns,
    _num,
    _pct,
    _training_rows,
    cohort_summary,
    doc_date,
    md_inline,
    no_trailing_spaces,
)
from .organisation import CSV_EXTRA as ORG_CSV_EXTRA


class CohortFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"










# --------------------------------------------------------------------------- json


def render_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- csv

CSV_COLUMNS = [
    "section", "by", "group", "group_n", "id", "n", "mean", "median",
    "below_target", "below_target_share", "people", "share",
    "alpha", "flagged_items",
    "self_mean", "others_mean", "difference_mean", "self_higher", "hidden_strengths", "correlation",
    *ORG_CSV_EXTRA, *CAL_CSV_EXTRA,
]


def render_csv(doc: dict[str, Any]) -> str:
    """Long format, one row per (section, group, competency or training).

    section is ``competency`` (mean, median, share below target), ``training`` (how many
    people it was recommended to), ``reliability`` (alpha over the whole cohort) or
    ``agreement`` (360 self-other agreement: means, difference, self higher, hidden
    strengths, correlation) or ``programme`` (a proposed session and how many people it
    would serve); ``standard`` says what the targets are (qim's own convention).
    """
    from .score import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def row(**values: Any) -> None:
        values.setdefault("by", doc["by"])
        w.writerow([csv_cell(values.get(c)) for c in CSV_COLUMNS])

    for g in _columns(doc):
        for c in g["competencies"]:
            row(section="competency", group=g["group"], group_n=g["n"], id=c["id"], n=c["n"],
                mean=c["mean"], median=c["median"], below_target=c["below_target"],
                below_target_share=c["below_target_share"], text=c.get("note"))
    for g in _columns(doc):
        for t in g["training_needs"]:
            row(section="training", group=g["group"], group_n=g["n"], id=t["id"],
                people=t["people"], share=t["share"])
    for r in doc["reliability"]:
        row(section="reliability", group="overall", group_n=doc["n"], id=r["competency"],
            n=r["n"], alpha=r["alpha"], flagged_items=" ".join(r["flagged"]))
    agree = doc.get("agreement")
    for a in (agree or {}).get("competencies", []):
        row(section="agreement", group="overall", id=a["competency"], n=a["people"],
            self_mean=a["self_mean"], others_mean=a["others_mean"],
            difference_mean=a["difference_mean"], self_higher=a["self_higher"],
            hidden_strengths=a["hidden_strengths"], correlation=a["correlation"])
    for s in (doc.get("proposal") or {}).get("sessions", []):
        row(section="programme", group="overall", group_n=doc["n"], id=s["id"], people=s["people"])
    organisation.csv_rows(doc, row)
    cohort_calibration.csv_rows(doc, row)
    row(section="standard", group="", id=doc["standard"]["label"], text=doc["standard"]["basis"])
    for note in doc["notes"]:
        row(section="note", group="", id=note)
    return buf.getvalue()


# --------------------------------------------------------------------------- markdown


def _md(text: Any) -> str:
    return md_inline(text, table=True)


def _title(doc: dict[str, Any]) -> str:
    return doc.get("title") or f"Cohort by {doc['by'].replace('_', ' ')}"


def proposal_rows(doc: dict[str, Any]) -> list[tuple[str, str, int, str]]:
    """(title, kind and effort, people served, needs met) per proposed session."""
    prop = doc.get("proposal") or {}
    return [
        (s["title"], f"{s['kind'].replace('_', ' ')} · {s['effort']}", s["people"],
         ", ".join(f"{c['label']} ({c['note'] + '; ' if c.get('note') else ''}{c['people']})"
                   for c in s["competencies"]))
        for s in prop.get("sessions", [])
    ]


def unmet_sentence(doc: dict[str, Any]) -> str | None:
    unmet = (doc.get("proposal") or {}).get("unmet") or []
    if not unmet:
        return None
    whom = "this person" if _one_person(unmet) else "these people"
    what = "it" if len(unmet) == 1 else "them"
    return ("Not met by any session: " + ", ".join(
        f"{u['label']} ({u['note'] + '; ' if u.get('note') else ''}{u['people']})" for u in unmet)
        + f". No rule recommended {whom} a session for {what} (for example, a gap too small "
        "for a rule).")


def _one_person(unmet: list[dict[str, Any]]) -> bool:
    return len(unmet) == 1 and unmet[0]["people"] == 1


def _needs_of(prop: dict[str, Any]) -> str:
    """`93 needs of 42 people`, `1 need of 1 person`."""
    return f"{plural(prop['needs'], 'need')} of {plural(prop['people'], 'person', 'people')}"


def standard_sentence(doc: dict[str, Any]) -> str:
    """What "below target" counts against: qim's role standard, not the study's."""
    st = doc["standard"]
    return f"Targets: the {st['label']}, {st['basis']}"


def label_marked(comp: dict[str, Any]) -> str:
    return comp["label"] + (f" {AUTHORS_MARK}" if comp.get("note") else "")


def authors_footnote(comps: list[dict[str, Any]]) -> str | None:
    return f"{AUTHORS_LEGEND}." if any(c.get("note") for c in comps) else None


def flagged_items(r: dict[str, Any]) -> list[str]:
    return [f"{it['item']} “{it['text']}” (r = {it['r']:.2f})" for it in r["item_total"] if it["low"]]


def render_markdown(doc: dict[str, Any]) -> str:
    cols = _columns(doc)
    out = [f"# {md_inline(_title(doc))}", "",
           f"{doc_date(doc)} · grouped by {doc['by'].replace('_', ' ')} · framework "
           f"{md_inline(doc['framework_version'])}", ""]
    out += [" ".join(md_inline(s) for s in cohort_summary(doc)), ""]
    if doc["n"] is not None:
        out += [f"Groups of fewer than {doc['min_group']} people are not shown on their own.", ""]
    for note in doc["notes"]:
        out.append(f"> {md_inline(note)}")
    if doc["notes"]:
        out.append("")
    if not cols:
        return "\n".join(out) + "\n"
    prop = doc.get("proposal")
    if prop:
        out += ["## Programme proposal", ""]
        if prop["sessions"]:
            out += [f"The fewest sessions that between them meet every high-priority need in the "
                    f"cohort ({_needs_of(prop)}): {plural(len(prop['sessions']), 'session')}, "
                    f"{plural(prop['hours'], 'hour')} of activity in all.",
                    "",
                    "| Session | Kind and effort | People served | High-priority needs it meets (people) |",
                    "|---|---|---:|---|"]
            for title, kind, people_n, met in proposal_rows(doc):
                out.append(f"| {_md(title)} | {_md(kind)} | {people_n} | {_md(met)} |")
        else:
            out.append("No one in the cohort has a high-priority need that a session can meet.")
        unmet = unmet_sentence(doc)
        if unmet:
            out += ["", md_inline(unmet)]
        out.append("")
    out += ["## Competencies", "",
            "Mean / median score, and the share of people below the target of their career "
            "stage. " + md_inline(standard_sentence(doc)), ""]
    head = ["Competency"] + [f"{_md(g['label'])} (n={g['n']})" for g in cols]
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i, comp in enumerate(cols[0]["competencies"]):
        cells = [_md(label_marked(comp))]
        for g in cols:
            c = g["competencies"][i]
            cells.append(f"{_num(c['mean'])} / {_num(c['median'])} · {_pct(c['below_target_share'])} below")
        out.append("| " + " | ".join(cells) + " |")
    foot = authors_footnote(cols[0]["competencies"])
    if foot:
        out += ["", md_inline(foot)]
    out += ["", "## Training needs", "", "People each training was recommended to.", ""]
    head = ["Training"] + [_md(g["label"]) for g in cols]
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for tid, title, cells in _training_rows(doc):
        out.append("| " + " | ".join([f"{_md(title)} ({tid})", *cells]) + " |")
    out += ["", *organisation.markdown_lines(doc, _md)]
    out += cohort_calibration.markdown_lines(doc, _md)
    out += ["## Reliability", "",
            f"Cronbach's alpha over everyone who answered every item of the competency; "
            f"items whose corrected item-total correlation is below {doc['low_item_total']} "
            "are flagged.", "",
            "| Competency | n | alpha | flagged items |", "|---|---|---|---|"]
    for r in doc["reliability"]:
        flagged = "; ".join(flagged_items(r)) or "–"
        alpha = _num(r["alpha"]) if r["alpha"] is not None else f"– ({r['note']})"
        out.append(f"| {_md(r['label'])} | {r['n']} | {_md(alpha)} | {_md(flagged)} |")
    agree = doc.get("agreement")
    if agree and agree["competencies"]:
        out += ["", "## 360° self-other agreement", "",
                f"People with a self-assessment and at least {agree['min_raters']} colleague "
                "ratings. Difference = others − self; self higher is self ≥ 1 above others, "
                "a hidden strength others ≥ 1 above self.", "",
                "| Competency | people | self | others | difference | mean abs. difference | "
                "self higher | hidden strengths | r(self, others) |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for a in agree["competencies"]:
            out.append(f"| {_md(a['label'])} | {a['people']} | {_num(a['self_mean'])} | "
                       f"{_num(a['others_mean'])} | {_num(a['difference_mean'], '{:+.2f}')} | "
                       f"{_num(a['abs_difference_mean'])} | {a['self_higher']} | "
                       f"{a['hidden_strengths']} | {_num(a['correlation'])} |")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- table


@no_trailing_spaces
def render_table(doc: dict[str, Any], *, color: bool = False, width: int = 160) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .fit import fitted

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                  highlight=False, emoji=False, soft_wrap=False)
    cols = _columns(doc)
    head = Text(_title(doc), style="bold")
    head.append(f" · {doc_date(doc)}" + (f" · by {doc['by'].replace('_', ' ')}" if doc.get("title") else ""))
    if doc["n"] is not None:
        head.append(f" · groups under {doc['min_group']} withheld")
    con.print(head)
    con.print(Text(" ".join(cohort_summary(doc))))
    for note in doc["notes"]:
        con.print(Text("Note: " + note, style="yellow"))
    if not cols:
        return buf.getvalue()
    prop = doc.get("proposal")
    if prop and prop["sessions"]:
        t = Table(title=f"Programme proposal: the fewest sessions meeting every high-priority need "
                  f"({_needs_of(prop)})", title_justify="left")
        t.add_column("Session")
        t.add_column("Kind and effort")
        t.add_column("People", justify="right")
        t.add_column("Needs it meets (people)")
        for title, kind, people_n, met in proposal_rows(doc):
            t.add_row(Text(title), Text(kind), str(people_n), Text(met))
        con.print(fitted(con, t))
    unmet = unmet_sentence(doc)
    if unmet:
        con.print(Text(unmet, style="yellow"))

    t = Table(title="Competencies: mean / median, share below target", title_justify="left")
    t.add_column("Competency")
    for g in cols:
        t.add_column(Text(f"{g['label']}\nn={g['n']}"), justify="right")
    for i, comp in enumerate(cols[0]["competencies"]):
        cells: list[Any] = [Text(label_marked(comp))]
        for g in cols:
            c = g["competencies"][i]
            cells.append(f"{_num(c['mean'])} / {_num(c['median'])}  {_pct(c['below_target_share']):>4}")
        t.add_row(*cells)
    con.print(fitted(con, t))
    foot = authors_footnote(cols[0]["competencies"])
    con.print(Text(standard_sentence(doc) + (" " + foot if foot else ""), style="dim"))

    t = Table(title="Training needs: people recommended (share)", title_justify="left")
    t.add_column("Training")
    for g in cols:
        t.add_column(Text(g["label"]), justify="right")
    for tid, title, cells in _training_rows(doc):
        t.add_row(Text(f"{title} ({tid})"), *cells)
    con.print(fitted(con, t))

    organisation.print_table(con, doc)
    cohort_calibration.print_table(con, doc)
    t = Table(title=f"Reliability (whole cohort; item-total r < {doc['low_item_total']} flagged)",
              title_justify="left")
    t.add_column("Competency")
    t.add_column("n", justify="right")
    t.add_column("alpha", justify="right")
    t.add_column("Flagged items")
    for r in doc["reliability"]:
        flagged = "\n".join(flagged_items(r))
        alpha = _num(r["alpha"]) if r["alpha"] is not None else "–"
        t.add_row(Text(r["label"]), str(r["n"]), alpha, Text(flagged or (r["note"] or "")))
    con.print(fitted(con, t))
    agree = doc.get("agreement")
    if agree and agree["competencies"]:
        t = Table(title=f"360° self-other agreement (people with ≥ {agree['min_raters']} "
                  "colleague ratings; difference = others − self)", title_justify="left")
        for col, just in (("Competency", "left"), ("people", "right"), ("self", "right"),
                          ("others", "right"), ("difference", "right"), ("|difference|", "right"),
                          ("self higher", "right"), ("hidden strengths", "right"),
                          ("r", "right")):
            t.add_column(col, justify=just)  # type: ignore[arg-type]
        for a in agree["competencies"]:
            t.add_row(Text(a["label"]), str(a["people"]), _num(a["self_mean"]),
                      _num(a["others_mean"]), _num(a["difference_mean"], "{:+.2f}"),
                      _num(a["abs_difference_mean"]), str(a["self_higher"]),
                      str(a["hidden_strengths"]), _num(a["correlation"]))
        con.print(fitted(con, t))
    return buf.getvalue()


RENDERERS: dict[CohortFormat, Callable[..., str]] = {
    CohortFormat.table: render_table,
    CohortFormat.json: lambda doc, **_: render_json(doc),
    CohortFormat.csv: lambda doc, **_: render_csv(doc),
    CohortFormat.markdown: lambda doc, **_: render_markdown(doc),
    CohortFormat.html: lambda doc, **_: _render_html(doc),
}


def _render_html(doc: dict[str, Any]) -> str:
    from .cohort_html import render_cohort_html

    return render_cohort_html(doc)


def render(fmt: CohortFormat, doc: dict[str, Any], *, color: bool = False, width: int = 160) -> str:
    """`width` is the terminal table's."""
    if fmt is CohortFormat.table:
        return render_table(doc, color=color, width=width)
    return RENDERERS[fmt](doc, color=color)
