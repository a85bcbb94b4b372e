"""The words of `qim compare OLD NEW` that more than one format shows (the terminal
table, CSV, Markdown and HTML): numbers, dates, outcomes and the sentences made of them."""

from __future__ import annotations

from typing import Any


def number(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def day(iso: str | None) -> str:
    from datetime import date

    from .common import fmt_date

    return fmt_date(date.fromisoformat(iso)) if iso else "no date"


OUTCOME_WORDS = {"reached": "reached the target", "improved": "improved, not yet at target",
                 "not_improved": "did not improve", "not_scored": "could not be scored"}

#: the lists of recommendations and barriers, in the order every format shows them
REC_SECTIONS = (("resolved", "Resolved"), ("new", "New"), ("remaining", "Still recommended"))
BARRIER_SECTIONS = (("resolved", "No longer reported"), ("new", "New"),
                    ("remaining", "Still reported"))
NO_BARRIERS = "No organisational barrier was reported, before or after."


def stage_words(stage: str) -> str:
    return stage.replace("_", " ")


def who_line(side: dict[str, Any], assessed_on: str | None) -> str:
    """`examples/x.toml, assessed 2 Mar 2026: 3 years as a QIM, early career`."""
    years = side["years_as_qim"]
    return (f"{side['source']}, assessed {day(assessed_on)}: {years:g} year"
            f"{'' if years == 1 else 's'} as a QIM, {stage_words(side['career_stage'])}")


def competency_line(c: dict[str, Any]) -> str:
    """`Long-term thinking 1.75 → 3.25 (target 3.5): improved, not yet at target`."""
    text = (f"{c['label']} {number(c['old_score'])} → {number(c['new_score'])} "
            f"(target {c['new_target']:.1f}): {OUTCOME_WORDS[c['outcome']]}")
    if c["in_new_plan"] is not None:
        text += f"; in the new plan (objective {c['in_new_plan']})"
    return text


def objective_head(o: dict[str, Any]) -> str:
    return f"{o['title']} (due {day(o['due'])})"


def review_summary(review: dict[str, Any]) -> str | None:
    """`3 objectives: 2 improved, 1 did not improve`, or None without objectives."""
    counts = review["summary"]
    n = sum(counts.values())
    if not n:
        return None
    return f"{n} objective{'s' if n != 1 else ''}: " + ", ".join(
        f"{counts[k]} {OUTCOME_WORDS[k].split(',')[0]}" for k in counts if counts[k])


def barrier_status(b: dict[str, Any]) -> str:
    return "still reported" if b["status"] == "still_reported" else "no longer reported"


def labels(doc: dict[str, Any]) -> dict[str, str]:
    """Competency ids to their labels (recommendations list ids)."""
    return {c["id"]: c["label"] for c in doc["competencies"]}


def rec_text(e: dict[str, Any], names: dict[str, str]) -> str:
    """`Title: for Long-term thinking and Sense-giving`."""
    comps = [names.get(c, c) for c in e["competencies"]]
    text = e["title"]
    if comps:
        text += ": for " + (comps[0] if len(comps) == 1
                            else ", ".join(comps[:-1]) + " and " + comps[-1])
    if "old_priority" in e:
        text += f" (priority {e['old_priority']:.1f} → {e['priority']:.1f})"
    return text
