"""`qim compare OLD NEW` as documents: CSV (one row per competency, objective,
recommendation and barrier) and Markdown (the review a QIM brings to the next appraisal).

Both take the document of `assessment.compare.compare_results`, as the terminal table
(render/compare.py) and the HTML page (render/compare_html.py) do; the sentences that
more than one format shows are made once, in compare_words.py.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .common import md_inline
from .compare_words import (
    BARRIER_SECTIONS,
    NO_BARRIERS,
    OUTCOME_WORDS,
    REC_SECTIONS,
    barrier_status,
    competency_line,
    labels,
    objective_head,
    rec_text,
    review_summary,
    who_line,
)
from .compare_words import number as _f

# --------------------------------------------------------------------------- csv

CSV_COLUMNS = ["section", "id", "label", "old", "new", "change", "old_gap", "new_gap",
               "old_level", "new_level", "status"]


def render_csv(doc: dict[str, Any], **_: Any) -> str:
    """Long format: section is ``competency`` (old and new score), ``objective`` (last
    time's plan; status its outcome), ``recommendation`` (old and new priority; status
    resolved, new or remaining) or ``barrier`` (status resolved, new or
    remaining)."""
    from .score import csv_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def row(**values: Any) -> None:
        w.writerow([csv_cell(values.get(c)) for c in CSV_COLUMNS])

    for c in doc["competencies"]:
        row(section="competency", id=c["id"], label=c["label"], old=c["old_score"],
            new=c["new_score"], change=c["change"], old_gap=c["old_gap"], new_gap=c["new_gap"],
            old_level=c["old_level"], new_level=c["new_level"])
    for o in doc["plan_review"]["objectives"]:
        row(section="objective", id=o["training"], label=o["title"], status=o["outcome"])
    for status, _title in REC_SECTIONS:
        for e in doc["recommendations"][status]:
            old = e.get("old_priority", e["priority"] if status == "resolved"
                        else None)
            new = e["priority"] if status in ("new", "remaining") else None
            row(section="recommendation", id=e["id"], label=e["title"], old=old, new=new,
                change=e.get("change"), status=status)
    for status, _title in BARRIER_SECTIONS:
        for b in doc["barriers"][status]:
            row(section="barrier", id=b["rule"], label=b["title"], status=status)
    return buf.getvalue()


# --------------------------------------------------------------------------- markdown


def _cell(text: object) -> str:
    return md_inline(text, table=True)


def render_markdown(doc: dict[str, Any], **_: Any) -> str:
    old, new, review = doc["old"], doc["new"], doc["plan_review"]
    out = [f"# {md_inline(doc['respondent'])}: before and after", "",
           f"- Before: {md_inline(who_line(old, review['old_assessed_on']))}",
           f"- After: {md_inline(who_line(new, review['new_assessed_on']))}"]
    if not doc["same_respondent"]:
        out.append(f"- Different respondents: {md_inline(old['id'])} and {md_inline(new['id'])}")
    out += ["", "## Review of last time's plan", "",
            "The plan qim makes from the earlier sheet, each objective's competencies against "
            "today's target (it rises with the next career stage).", ""]
    if not review["objectives"]:
        out += ["The earlier plan had no objectives.", ""]
    for o in review["objectives"]:
        out.append(f"{o['number']}. **{md_inline(objective_head(o))}**: "
                   f"{OUTCOME_WORDS[o['outcome']]}")
        out += [f"   - {md_inline(competency_line(c))}" for c in o["competencies"]]
    if review["objectives"]:
        out.append("")
    if review["deferred"]:
        out += ["Deferred last time:", ""]
        out += [f"- {md_inline(competency_line(c))}" for c in review["deferred"]] + [""]
    if review["barriers"]:
        out += ["Organisational barriers raised last time:", ""]
        out += [f"- {md_inline(b['title'])}: {barrier_status(b)}" for b in review["barriers"]]
        out.append("")
    summary = review_summary(review)
    if summary:
        out += [f"{summary}.", ""]

    out += ["## Competencies", "",
            "| Competency | Before | After | Change | Gap before | Gap after | Level |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for c in doc["competencies"]:
        level = c["old_level"] if c["old_level"] == c["new_level"] else \
            f"{c['old_level']} → {c['new_level']}"
        out.append(f"| {_cell(c['label'])} | {_f(c['old_score'])} | {_f(c['new_score'])} | "
                   f"{_f(c['change'], signed=True)} | {_f(c['old_gap'], signed=True)} | "
                   f"{_f(c['new_gap'], signed=True)} | {_cell(level)} |")
    out.append("")

    names = labels(doc)
    out += ["## Recommendations", ""]
    for key, title in REC_SECTIONS:
        entries = doc["recommendations"][key]
        out += [f"### {title} ({len(entries)})", ""]
        out += [f"- {md_inline(rec_text(e, names))}" for e in entries] or ["None."]
        out.append("")
    out += ["## Organisational barriers", ""]
    if not any(doc["barriers"].values()):
        out += [NO_BARRIERS, ""]
    for key, title in BARRIER_SECTIONS if any(doc["barriers"].values()) else ():
        entries = doc["barriers"][key]
        out += [f"### {title} ({len(entries)})", ""]
        out += [f"- {md_inline(b['title'])}" for b in entries] or ["None."]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
