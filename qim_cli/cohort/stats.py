"""Cohort statistics for trainers: per group and overall, computed in one streaming pass.

For every group (by background, role, career stage, setting, organisation or unit) and
for the whole cohort: the number of people, and per competency the number scored, the
mean, the median and the share of people below their own target; then the trainings
ranked by how many people they were recommended to.

Memory does not grow with the number of people: scores take few distinct values (a
mean of at most five answers 1–5, to two decimals), so a median is computed exactly
from a counter of values; reliability is computed from running sums of item values
and their cross products.

**Reliability** (whole cohort): Cronbach's alpha per competency over the people who
answered every item of it (listwise deletion), on effective item values (reverse-keyed
items flipped, 6 − answer)::

    alpha = k / (k − 1) · (1 − Σ var(item) / var(total))

and each item's corrected item-total correlation (the item against the sum of the
*other* items of its competency); an item below `LOW_ITEM_TOTAL` is flagged. Sample
variances (n − 1) are used throughout; alpha is independent of that choice.

**Privacy** (the rule lives in `privacy.py`): a group with fewer than ``min_group``
people is not shown on its own (its people still count in the overall figures). When
exactly one group would be hidden, the smallest shown group is hidden too, so that the
hidden one cannot be worked out by subtracting the shown groups from the overall figures.
If the whole cohort is smaller than ``min_group``, nothing is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from ..framework.study import AUTHORS_SUGGESTION
from .barriers import OrgStats, organisation_summary
from .batch import RatingRecord, Record
from .calibration import CalibrationStats, calibration_summary
from .privacy import suppressed_groups
from .proposal import Needs, propose
from .reliability import LOW_ITEM_TOTAL, ItemSums, reliability

if TYPE_CHECKING:
    from ..framework.profiles import Profiles

DEFAULT_MIN_GROUP = 5
NOT_GIVEN = "not_given"


class GroupBy(str, Enum):
    background = "background"
    role = "role"
    career_stage = "career_stage"
    setting = "setting"
    organisation = "organisation"
    #: a unit within its organisation ("Northshore Hospital: Ward 7")
    unit = "unit"


def group_key(rec: Record, by: GroupBy) -> str:
    value = getattr(rec, by.value)
    if value is None:
        return NOT_GIVEN
    if by is GroupBy.unit and rec.organisation is not None:  # two hospitals' "Ward 7"
        return f"{rec.organisation}: {value}"
    return str(value)


# --------------------------------------------------------------------------- accumulators


@dataclass
class CompetencyStats:
    """Streaming summary of one competency's scores within a group."""

    n: int = 0
    total: float = 0.0
    below: int = 0
    values: Counter[float] = field(default_factory=Counter)

    def add(self, score: float | None, gap: float | None) -> None:
        if score is None:
            return
        self.n += 1
        self.total += score
        self.values[score] += 1
        if gap is not None and gap > 0:
            self.below += 1

    @property
    def mean(self) -> float | None:
        return round(self.total / self.n, 2) if self.n else None

    @property
    def median(self) -> float | None:
        return counter_median(self.values, self.n)

    @property
    def below_share(self) -> float | None:
        return round(self.below / self.n, 3) if self.n else None


def counter_median(values: Counter[float], n: int) -> float | None:
    """The median of a multiset given as value -> count (exact, no list of values)."""
    if n == 0:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2
    lo = hi = None
    seen = 0
    for value in sorted(values):
        seen += values[value]
        if lo is None and seen > lo_rank:
            lo = value
        if seen > hi_rank:
            hi = value
            break
    assert lo is not None and hi is not None
    return round((lo + hi) / 2, 2)


@dataclass
class GroupStats:
    n: int = 0
    competencies: dict[str, CompetencyStats] = field(default_factory=dict)
    trainings: Counter[str] = field(default_factory=Counter)

    def add(self, rec: Record) -> None:
        self.n += 1
        competencies, gaps = self.competencies, rec.gaps
        for cid, score in rec.scores.items():
            stats = competencies.get(cid)
            if stats is None:  # (not setdefault: that would build one per record)
                stats = competencies[cid] = CompetencyStats()
            stats.add(score, gaps.get(cid))
        # a training counts once per person
        if rec.recommendations:
            self.trainings.update(set(rec.recommendations))










# --------------------------------------------------------------------------- the cohort


@dataclass
class Cohort:
    """Accumulates records one at a time; `summary` gives the privacy-checked view."""

    profiles: Profiles
    by: GroupBy = GroupBy.background
    overall: GroupStats = field(default_factory=GroupStats)
    groups: dict[str, GroupStats] = field(default_factory=dict)
    item_sums: dict[str, ItemSums] = field(default_factory=dict)
    ids: Counter[str] = field(default_factory=Counter)
    #: self scores by respondent id (for 360 agreement), as compact tuples
    self_scores: dict[str, tuple[float | None, ...]] = field(default_factory=dict)
    agreement: dict[str, Any] | None = None
    #: context answers, barriers and the needs that occur with them (the organisation's view)
    org: OrgStats = field(init=False)
    #: high-priority needs, for the programme proposal
    needs: Needs = field(init=False)
    #: self-rating against scenario judgement, per group
    calibration: CalibrationStats = field(default_factory=CalibrationStats)
    #: respondent ids the batch found in more than one sheet, whose sheets it left out
    #: (cohort/runner.py); said in the notes
    left_out: int = 0

    def __post_init__(self) -> None:
        self.org = OrgStats(self.profiles)
        self.needs = Needs(self.profiles)
        for cid, comp in self.profiles.competencies.items():
            self.item_sums[cid] = ItemSums([it.id for it in comp.items])

    def add(self, rec: Record) -> None:
        self.ids[rec.id] += 1
        self.self_scores[rec.id] = tuple(rec.scores.get(c) for c in self.profiles.competencies)
        key = group_key(rec, self.by)
        self.overall.add(rec)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = GroupStats()
        group.add(rec)
        self.org.add(rec, key)
        self.needs.add(rec.high_needs)
        self.calibration.add(rec.calibration, key)
        get = rec.items.get
        for sums in self.item_sums.values():
            sums.add(list(map(get, sums.items)))

    def add_all(self, records: Iterable[Record]) -> Cohort:
        for rec in records:
            self.add(rec)
        return self

    def add_ratings(self, ratings: Iterable[RatingRecord], min_raters: int = 3) -> Cohort:
        """Self-other agreement per competency over the people with enough colleague ratings."""
        self.agreement = agreement(self, list(ratings), min_raters)
        return self

    def summary(self, min_group: int = DEFAULT_MIN_GROUP, *, title: str | None = None,
                on: str | None = None) -> dict[str, Any]:
        return summarise(self, min_group, title=title, on=on)


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return round(sxy / (sxx * syy) ** 0.5, 3)


def agreement(cohort: Cohort, ratings: list[RatingRecord], min_raters: int) -> dict[str, Any]:
    """Per competency, over people with a self-assessment and at least `min_raters`
    colleagues who scored it: mean self and others scores, mean difference (others - self),
    mean absolute difference, self higher (self >= 1 above others), hidden strengths
    (others >= 1 above self) and the correlation of self with others across people."""
    comps = list(cohort.profiles.competencies)
    by_subject: dict[str, list[RatingRecord]] = {}
    for r in ratings:
        by_subject.setdefault(r.subject, []).append(r)
    unmatched = sorted(s for s in by_subject if s not in cohort.self_scores)
    rows = []
    for i, cid in enumerate(comps):
        pairs: list[tuple[float, float]] = []
        for subject, rs in by_subject.items():
            mine = cohort.self_scores.get(subject)
            if mine is None or mine[i] is None:
                continue
            others = [r.scores[cid] for r in rs if r.scores.get(cid) is not None]
            if len(others) >= min_raters:
                pairs.append((mine[i], sum(others) / len(others)))  # type: ignore[misc]
        n = len(pairs)
        diffs = [o - m for m, o in pairs]
        rows.append({
            "competency": cid,
            "label": cohort.profiles.competencies[cid].label,
            "people": n,
            "self_mean": round(sum(m for m, _ in pairs) / n, 2) if n else None,
            "others_mean": round(sum(o for _, o in pairs) / n, 2) if n else None,
            "difference_mean": round(sum(diffs) / n, 2) if n else None,
            "abs_difference_mean": round(sum(abs(d) for d in diffs) / n, 2) if n else None,
            "self_higher": sum(d <= -1 for d in diffs),
            "hidden_strengths": sum(d >= 1 for d in diffs),
            "correlation": _pearson([m for m, _ in pairs], [o for _, o in pairs]),
        })
    return {
        "ratings": len(ratings),
        "subjects": len(by_subject),
        "matched": len([s for s in by_subject if s in cohort.self_scores]),
        "unmatched": len(unmatched),
        "min_raters": min_raters,
        "competencies": rows,
    }


def _group_label(profiles: Profiles, by: GroupBy, key: str) -> str:
    if key == NOT_GIVEN:
        return "Not given"
    table: dict[str, Any] = {
        GroupBy.background: {k: v.label for k, v in profiles.backgrounds.items()},
        GroupBy.role: {k: v.label for k, v in profiles.roles.items()},
        GroupBy.career_stage: {k: v.label for k, v in profiles.stages.items()},
        GroupBy.setting: profiles.settings,
        GroupBy.organisation: {},  # the names as the sheets give them
        GroupBy.unit: {},
    }[by]
    return str(table.get(key, key))


def _group_doc(key: str, label: str, g: GroupStats, profiles: Profiles) -> dict[str, Any]:
    comps = []
    for cid, comp in profiles.competencies.items():
        s = g.competencies.get(cid, CompetencyStats())
        comps.append({
            "id": cid,
            "label": comp.label,
            "n": s.n,
            "mean": s.mean,
            "median": s.median,
            "below_target": s.below,
            "below_target_share": s.below_share,
            "note": authors_note(profiles, cid),
        })
    needs = [
        {
            "id": tid,
            "title": profiles.trainings[tid].title,
            "people": count,
            "share": round(count / g.n, 3),
        }
        for tid, count in sorted(g.trainings.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return {"group": key, "label": label, "n": g.n, "competencies": comps,
            "training_needs": needs}


def authors_note(profiles: Profiles, cid: str) -> str | None:
    """What a cohort list says of a competency the QIMs interviewed did not name."""
    comp = profiles.competencies.get(cid)
    return AUTHORS_SUGGESTION if comp is not None and comp.origin == "authors" else None


def standard_doc(profiles: Profiles) -> dict[str, Any]:
    """The role standard that every "below target" counts against (qim's convention)."""
    st = profiles.standard
    return {"label": st.label, "basis": st.basis, "framework_version": profiles.version}


def most_below(overall: dict[str, Any] | None, profiles: Profiles,
               top: int = 3) -> list[dict[str, Any]]:
    """The competencies with the largest share of people below target (none at 0%)."""
    if overall is None:
        return []
    comps = [c for c in overall["competencies"] if c["below_target_share"]]
    comps.sort(key=lambda c: (-c["below_target_share"], -(c["mean"] is None), c["label"]))
    return [{"id": c["id"], "label": c["label"], "below_target": c["below_target"], "n": c["n"],
             "share": c["below_target_share"], "note": authors_note(profiles, c["id"])}
            for c in comps[:top]]


def summarise(cohort: Cohort, min_group: int = DEFAULT_MIN_GROUP, *, title: str | None = None,
              on: str | None = None) -> dict[str, Any]:
    """The cohort as JSON-ready data, with small groups withheld (see module doc).

    `title` names the cohort in the reports; `on` is the report's date (ISO, default today).
    """
    from datetime import date

    prof = cohort.profiles
    sizes = {k: g.n for k, g in cohort.groups.items()}
    small, secondary = suppressed_groups(sizes, min_group)
    hidden = set(small) | set(secondary)
    notes: list[str] = []
    overall_shown = cohort.overall.n >= min_group
    if small:
        many = len(small) > 1
        notes.append(
            f"{len(small)} group{'s' if many else ''} with fewer than {min_group} people "
            f"{'are' if many else 'is'} not shown on {'their' if many else 'its'} own "
            f"({', '.join(small)}); their people are counted in the overall figures."
        )
    if secondary:
        notes.append(
            f"{', '.join(secondary)} is not shown either, so that the hidden group cannot "
            "be worked out from the overall figures."
        )
    if not overall_shown:
        notes.append(
            f"The cohort has fewer than {min_group} people, so no figures are shown "
            "(lower --min-group to see them)."
        )
    if cohort.left_out:
        k = cohort.left_out
        notes.append(
            f"{k} respondent id{'s' if k > 1 else ''} appear{'' if k > 1 else 's'} in more "
            f"than one sheet; {'their' if k > 1 else 'its'} sheets are left out, because which "
            "one is right cannot be known (keep one sheet per person)."
        )
    repeated = sum(1 for count in cohort.ids.values() if count > 1)
    if repeated:
        notes.append(
            f"{repeated} respondent id{'s' if repeated > 1 else ''} appear{'' if repeated > 1 else 's'} "
            "in more than one sheet; each sheet counts as one person (compare before/after "
            "sheets with qim compare-cohort instead)."
        )
    groups = []
    organisation = None
    if overall_shown:
        shown = [k for k in sorted(cohort.groups) if k not in hidden]
        organisation = organisation_summary(cohort.org, shown, hidden, min_group)
        for key in sorted(cohort.groups):
            if key in hidden:
                continue
            groups.append(_group_doc(key, _group_label(prof, cohort.by, key),
                                     cohort.groups[key], prof))
    overall = _group_doc("overall", "Overall", cohort.overall, prof) if overall_shown else None
    rel = []
    if overall_shown:
        for cid, sums in cohort.item_sums.items():
            r = reliability(sums, cid)
            rel.append({
                "competency": cid,
                "label": prof.competencies[cid].label,
                "n": r.n,
                "items": r.k,
                "alpha": r.alpha,
                "item_total": [{"item": it.item, "text": prof.items[it.item][1].text, "r": it.r,
                                "low": it.low} for it in r.items],
                "flagged": r.flagged,
                "note": r.note,
            })
    agree = cohort.agreement
    if agree is not None and agree["ratings"]:
        people = max((row["people"] for row in agree["competencies"]), default=0)
        if people < min_group:
            notes.append(
                f"360 agreement is not shown: fewer than {min_group} people have a "
                f"self-assessment and at least {agree['min_raters']} colleague ratings."
            )
            agree = {k: v for k, v in agree.items() if k != "competencies"} | {"competencies": []}
        if agree["unmatched"]:
            notes.append(
                f"{agree['unmatched']} rated {'people' if agree['unmatched'] > 1 else 'person'} "
                "had no self-assessment in the cohort; their ratings are not used."
            )
    else:
        agree = None
    if title is not None:  # one line of printable text, or no title
        title = " ".join("".join(ch if ch.isprintable() else " " for ch in title).split()) or None
    return {
        "title": title,
        "date": on or date.today().isoformat(),
        "agreement": agree,
        "by": cohort.by.value,
        "min_group": min_group,
        "n": cohort.overall.n if overall_shown else None,
        "framework_version": prof.version,
        "standard": standard_doc(prof),
        "overall": overall,
        "groups": groups,
        "suppressed": sorted(hidden),
        "reliability": rel,
        "low_item_total": LOW_ITEM_TOTAL,
        "organisation": organisation,
        "notes": notes,
        "most_below": most_below(overall, prof),
        "proposal": propose(cohort.needs) if overall_shown else None,
        "calibration": calibration_summary(
            cohort.calibration, {k: _group_label(prof, cohort.by, k) for k in cohort.calibration.groups},
            hidden, min_group, prof) if overall_shown else None,
    }
