"""Before and after for a programme: two sets of answer sheets, paired by respondent id.

People are paired by ``respondent.id`` only, never by a guess; an id that appears more
than once within one set cannot be paired and is left out (and counted). Over the paired
people, per competency (people scored both times):

* the mean before and after, and the **mean change** (after − before);
* a **95% confidence interval** of the mean change from the paired t distribution
  (``scipy.stats.ttest_rel``), and its p value;
* **Cohen's d_z** for paired data: the mean change divided by the standard deviation of
  the changes (not by the SD of the scores: d_z answers "how consistent was the change
  across people", and is larger than d_av when before and after scores correlate);
* the **share at or above target** before and after, each against the target for the
  person's career stage at that time.

Then the change in training needs (resolved, new: a barrier never removes a need, so a
need that is gone is resolved) and in organisational barriers, and the same competency figures per
group (``--by``, the group a person was in before) under the cohort privacy rule.

What this design cannot show is said in `LIMITATIONS`, and every output carries it.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .privacy import hidden_cells, suppressed_groups
from .stats import GroupBy, _group_label, group_key

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from .batch import Record

CONFIDENCE = 0.95
EFFECT_SIZE = ("Cohen's d_z for paired data, the mean change divided by the standard "
               "deviation of the changes")
LIMITATIONS = (
    "No control group: people also change through their work, time and other changes in "
    "the organisation over the same months, so the change cannot be put down to the "
    "programme alone.",
    "Self-ratings: both sheets are people's own ratings. A programme can change how people "
    "judge themselves (often more strictly once they know what good looks like) without "
    "any change in what they do; colleagues' 360° ratings are a check on this.",
    "Regression to the mean: people who scored lowest the first time tend to score higher "
    "the next time even without a programme, and the highest lower; a programme aimed at "
    "the largest gaps looks better than it is.",
    "Only people who answered both times are compared. Those who left may differ from "
    "those who stayed, and those who joined are not counted at all.",
    "The confidence interval reflects only the chance in which people happened to take "
    "part; it does not correct for any of the above.",
)


@dataclass(slots=True)
class Snapshot:
    """One person at one time: what the comparison needs, nothing more."""

    group: str
    scores: tuple[float | None, ...]
    at_target: tuple[bool | None, ...]
    needs: frozenset[str]
    barriers: frozenset[str]


def snapshot(rec: Record, comps: list[str], by: GroupBy) -> Snapshot:
    return Snapshot(
        group=group_key(rec, by),
        scores=tuple(rec.scores.get(c) for c in comps),
        at_target=tuple(None if rec.gaps.get(c) is None else rec.gaps[c] <= 0 for c in comps),  # type: ignore[operator]
        needs=frozenset(rec.recommendations),
        barriers=frozenset(rec.barriers),
    )


def _collect(records: Iterable[Record], comps: list[str],
             by: GroupBy) -> tuple[dict[str, Snapshot], int, int]:
    """(snapshots by id for ids seen once, number of sheets, number of repeated ids)."""
    seen: dict[str, Snapshot] = {}
    repeated: set[str] = set()
    total = 0
    for rec in records:
        total += 1
        if rec.id in seen or rec.id in repeated:
            repeated.add(rec.id)
            seen.pop(rec.id, None)
            continue
        seen[rec.id] = snapshot(rec, comps, by)
    return seen, total, len(repeated)


# --------------------------------------------------------------------------- statistics


def paired_change(before: list[float], after: list[float],
                  confidence: float = CONFIDENCE) -> dict[str, float | None]:
    """Mean change, its paired-t confidence interval and p value, and Cohen's d_z.

    With fewer than two people there is no interval; when every change is the same the
    interval is that change and d_z is not defined.
    """
    n = len(before)
    diffs = [a - b for b, a in zip(before, after, strict=True)]
    out: dict[str, float | None] = {
        "before_mean": round(statistics.fmean(before), 2) if n else None,
        "after_mean": round(statistics.fmean(after), 2) if n else None,
        "change_mean": round(statistics.fmean(diffs), 2) if n else None,
        "change_sd": None, "ci_low": None, "ci_high": None, "p": None, "d_z": None,
    }
    if n < 2:
        return out
    mean = statistics.fmean(diffs)
    sd = statistics.stdev(diffs)
    out["change_sd"] = round(sd, 2)
    if sd < 1e-12:
        out["ci_low"] = out["ci_high"] = round(mean, 2)
        return out
    from scipy import stats  # lazy: scipy is heavy and only this command needs it

    res = stats.ttest_rel(after, before)
    ci = res.confidence_interval(confidence_level=confidence)
    out["ci_low"] = round(float(ci.low), 2)
    out["ci_high"] = round(float(ci.high), 2)
    p = float(res.pvalue)
    out["p"] = round(p, 4) if math.isfinite(p) else None
    out["d_z"] = round(mean / sd, 2)
    return out


def _share(flags: list[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    return round(sum(known) / len(known), 3) if known else None


def _competency_rows(pairs: list[tuple[Snapshot, Snapshot]], profiles: Profiles) -> list[dict[str, Any]]:
    rows = []
    for i, (cid, comp) in enumerate(profiles.competencies.items()):
        both = [(b, a) for b, a in pairs if b.scores[i] is not None and a.scores[i] is not None]
        stats = paired_change([b.scores[i] for b, _ in both],  # type: ignore[misc]
                              [a.scores[i] for _, a in both])  # type: ignore[misc]
        rows.append({
            "id": cid, "label": comp.label, "n": len(both), **stats,
            "at_target_before": _share([b.at_target[i] for b, _ in both]),
            "at_target_after": _share([a.at_target[i] for _, a in both]),
            "suppressed": False,
        })
    return rows


def _withheld(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if k in ("id", "label") else None) for k, v in row.items()} | {"suppressed": True}


# --------------------------------------------------------------------------- the comparison


def compare_programme(
    before: Iterable[Record], after: Iterable[Record], profiles: Profiles,
    by: GroupBy = GroupBy.background, min_group: int = 5, *,
    left_out: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (0, 0)),
) -> dict[str, Any]:
    """The programme's before and after as JSON-ready data (see the module doc).

    `left_out` is, before and after, (respondent ids, sheets) that the batch already left
    out as repeated (cohort/runner.py): they are counted as if they had been given here.
    """
    comps = list(profiles.competencies)
    old, n_old, rep_old = _collect(before, comps, by)
    new, n_new, rep_new = _collect(after, comps, by)
    (ids_old, sheets_old), (ids_new, sheets_new) = left_out
    n_old, rep_old = n_old + sheets_old, rep_old + ids_old
    n_new, rep_new = n_new + sheets_new, rep_new + ids_new
    paired_ids = sorted(set(old) & set(new))
    pairs = [(old[i], new[i]) for i in paired_ids]
    counts = {
        "before": n_old, "after": n_new, "paired": len(pairs),
        "only_before": len(set(old) - set(new)), "only_after": len(set(new) - set(old)),
        "repeated_before": rep_old, "repeated_after": rep_new,
    }
    notes: list[str] = []
    for when, k in (("before", rep_old), ("after", rep_new)):
        if k:
            notes.append(f"{k} respondent id{'s' if k > 1 else ''} appear{'' if k > 1 else 's'} "
                         f"more than once {when}; {'they are' if k > 1 else 'it is'} not paired, "
                         "because which sheet belongs with which cannot be known.")
    shown = len(pairs) >= min_group
    if not shown:
        notes.append(f"Fewer than {min_group} people are paired, so no figures are shown "
                     "(lower --min-group to see them).")
    overall = _competency_rows(pairs, profiles)
    if not shown:
        overall = [_withheld(r) for r in overall]

    groups: list[dict[str, Any]] = []
    hidden: set[str] = set()
    if shown:
        by_group: dict[str, list[tuple[Snapshot, Snapshot]]] = {}
        for b, a in pairs:
            by_group.setdefault(b.group, []).append((b, a))
        small, secondary = suppressed_groups({g: len(p) for g, p in by_group.items()}, min_group)
        hidden = set(small) | set(secondary)
        if small:
            notes.append(f"Groups with fewer than {min_group} paired people are not shown on "
                         f"their own ({', '.join(small)})"
                         + (f", nor is {', '.join(secondary)}, so that they cannot be worked "
                            "out from the overall figures" if secondary else "") + ".")
        rows = {g: _competency_rows(p, profiles) for g, p in by_group.items()}
        for i in range(len(comps)):
            cell_hidden = hidden_cells({g: r[i]["n"] for g, r in rows.items()}, min_group, hidden)
            for g in rows:
                if g in cell_hidden:
                    rows[g][i] = _withheld(rows[g][i])
        groups = [{"group": g, "label": _group_label(profiles, by, g), "n": len(by_group[g]),
                   "competencies": rows[g]} for g in sorted(rows) if g not in hidden]

    needs, barriers = _needs_and_barriers(pairs, profiles) if shown else ([], [])
    return {
        "kind": "programme",
        "framework_version": profiles.version,
        "standard": {"label": profiles.standard.label, "basis": profiles.standard.basis,
                     "framework_version": profiles.version},
        "by": by.value,
        "min_group": min_group,
        "confidence": CONFIDENCE,
        "effect_size": EFFECT_SIZE,
        "counts": counts,
        "competencies": overall,
        "training_needs": needs,
        "barriers": barriers,
        "groups": groups,
        "suppressed": sorted(hidden),
        "limitations": list(LIMITATIONS),
        "notes": notes,
    }


def _needs_and_barriers(pairs: list[tuple[Snapshot, Snapshot]],
                        profiles: Profiles) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tally: dict[str, Counter[str]] = {}
    for b, a in pairs:
        for tid in b.needs | a.needs:
            c = tally.setdefault(tid, Counter())
            c["before"] += tid in b.needs
            c["after"] += tid in a.needs
            if tid in b.needs and tid not in a.needs:
                c["resolved"] += 1
            if tid in a.needs and tid not in b.needs:
                c["new"] += 1
    needs = [
        {"id": tid, "title": profiles.trainings[tid].title, "before": c["before"],
         "after": c["after"], "resolved": c["resolved"], "new": c["new"]}
        for tid, c in sorted(tally.items(), key=lambda kv: (-kv[1]["before"], -kv[1]["after"], kv[0]))
    ]
    barriers = []
    for rule in profiles.rules:
        if rule.kind != "barrier":
            continue
        before = sum(rule.id in b.barriers for b, _ in pairs)
        after = sum(rule.id in a.barriers for _, a in pairs)
        resolved = sum(rule.id in b.barriers and rule.id not in a.barriers for b, a in pairs)
        new = sum(rule.id in a.barriers and rule.id not in b.barriers for b, a in pairs)
        if before or after:
            barriers.append({"rule": rule.id, "title": rule.title, "before": before,
                             "after": after, "resolved": resolved, "new": new})
    return needs, barriers
