"""Cohort statistics for trainers: per group and overall, counted in one streaming pass
(`Cohort`); `summary.py` makes the privacy-checked summary of them.

For every group (by background, role, career stage, setting, organisation or unit) and
for the whole cohort: the number of people, and per competency the number scored, the
mean, the median and the share of people below their own target (beyond measurement
error: a smaller gap counts as at target, as in the person's report); then the trainings
ranked by how many people they were recommended to.

Memory does not grow with the number of people: scores take few distinct values (a
mean of at most five answers 1–5, to two decimals), so a median is computed exactly
from a counter of values; reliability is computed from running sums of item values
and their cross products.

**Reliability** (within each background group, never pooled: see reliability.py):
Cronbach's alpha per competency over the people of the group who answered every item of
it (listwise deletion), on effective item values (reverse-keyed items flipped, 6 − answer)::

    alpha = k / (k − 1) · (1 − Σ var(item) / var(total))

and each item's corrected item-total correlation (the item against the sum of the
*other* items of its competency); an item below `LOW_ITEM_TOTAL` is flagged. Sample
variances (n − 1) are used throughout; alpha is independent of that choice.

**360° agreement**: per competency, the self view against colleagues' over the people
with a self-assessment and enough colleagues' ratings (`agreement`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .calibration import CalibrationStats
from .groups import GroupBy, group_key
from .organisation_tally import OrganisationTally
from .proposal import Needs
from .records import RatingRecord, Record
from .reliability import ItemSums
from .results import Agreement, AgreementRow

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from ..sheets.context import ContextRecord



# --------------------------------------------------------------------------- accumulators


@dataclass
class CompetencyStats:
    """Streaming summary of one competency's scores within a group."""

    n: int = 0
    total: float = 0.0
    below: int = 0
    values: Counter[float] = field(default_factory=Counter)

    def add(self, score: float | None, below: bool) -> None:
        """One person's score, and whether it is below target beyond measurement error
        (`Record.below_target`: a smaller gap counts as at target, as in their report)."""
        if score is None:
            return
        self.n += 1
        self.total += score
        self.values[score] += 1
        if below:
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
        competencies, below = self.competencies, rec.below_target
        for cid, score in rec.scores.items():
            stats = competencies.get(cid)
            if stats is None:  # (not setdefault: that would build one per record)
                stats = competencies[cid] = CompetencyStats()
            stats.add(score, cid in below)
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
    #: background -> competency -> running sums of its item values
    item_sums: dict[str, dict[str, ItemSums]] = field(default_factory=dict)
    #: sheets marked synthetic (made up, not real people's answers)
    synthetic: int = 0
    ids: Counter[str] = field(default_factory=Counter)
    #: self scores by respondent id (for 360 agreement), as compact tuples
    self_scores: dict[str, tuple[float | None, ...]] = field(default_factory=dict)
    agreement: Agreement | None = None
    #: context answers, barriers and the needs that occur with them (the organisation's view)
    org: OrganisationTally = field(init=False)
    #: the same, by organisation (one organisation's view each, when there are several)
    by_org: OrganisationTally = field(init=False)
    #: staff's context sheets (cohort/context.py), compared level by level
    contexts: list[ContextRecord] = field(default_factory=list)
    #: high-priority needs, for the programme proposal
    needs: Needs = field(init=False)
    #: self-rating against scenario judgement, per group
    calibration: CalibrationStats = field(default_factory=CalibrationStats)
    #: respondent ids the batch found in more than one sheet, whose sheets it left out
    #: (cohort/runner.py); said in the notes
    left_out: int = 0

    def __post_init__(self) -> None:
        self.org = OrganisationTally(self.profiles)
        self.by_org = OrganisationTally(self.profiles)
        self.needs = Needs(self.profiles)

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
        self.by_org.add(rec, group_key(rec, GroupBy.organisation), with_barrier=False)
        self.needs.add(rec.high_needs)
        self.calibration.add(rec.calibration, key)
        self.synthetic += rec.synthetic
        if not rec.items:
            return
        sums_of = self.item_sums.get(rec.background)
        if sums_of is None:
            sums_of = self.item_sums[rec.background] = {
                cid: ItemSums([it.id for it in comp.items])
                for cid, comp in self.profiles.competencies.items()}
        get = rec.items.get
        for sums in sums_of.values():
            sums.add(list(map(get, sums.items)))

    def add_all(self, records: Iterable[Record]) -> Cohort:
        for rec in records:
            self.add(rec)
        return self

    def add_contexts(self, records: Iterable[ContextRecord]) -> Cohort:
        """Staff's context sheets, any organisation and level (compared in the summary)."""
        self.contexts.extend(records)
        return self

    def add_ratings(self, ratings: Iterable[RatingRecord], min_raters: int = 3) -> Cohort:
        """Self-other agreement per competency over the people with enough colleague ratings."""
        self.agreement = agreement(self, list(ratings), min_raters)
        return self


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
    return round(sxy / math.sqrt(sxx * syy), 3)


def agreement(cohort: Cohort, ratings: list[RatingRecord], min_raters: int) -> Agreement:
    """Per competency, over people with a self-assessment and at least `min_raters`
    colleagues who scored it: mean self and others scores, mean difference (others - self),
    mean absolute difference, self higher (self >= 1 above others), hidden strengths
    (others >= 1 above self) and the correlation of self with others across people."""
    by_subject: dict[str, list[RatingRecord]] = {}
    for r in ratings:
        by_subject.setdefault(r.subject, []).append(r)
    matched = [s for s in by_subject if s in cohort.self_scores]
    rows = [_agreement_row(cohort, i, cid, by_subject, min_raters)
            for i, cid in enumerate(cohort.profiles.competencies)]
    return Agreement(ratings=len(ratings), subjects=len(by_subject), matched=len(matched),
                     unmatched=len(by_subject) - len(matched), min_raters=min_raters,
                     competencies=rows)


def _agreement_row(cohort: Cohort, i: int, cid: str, by_subject: dict[str, list[RatingRecord]],
                   min_raters: int) -> AgreementRow:
    """One competency (position `i` in the profile order) over the people who qualify."""
    pairs: list[tuple[float, float]] = []
    for subject, rs in by_subject.items():
        mine = cohort.self_scores.get(subject)
        own = None if mine is None else mine[i]
        if own is None:
            continue
        others = [s for r in rs if (s := r.scores.get(cid)) is not None]
        if len(others) >= min_raters:
            pairs.append((own, sum(others) / len(others)))
    n = len(pairs)
    diffs = [o - m for m, o in pairs]

    def mean(values: Iterable[float]) -> float | None:
        return round(sum(values) / n, 2) if n else None

    return AgreementRow(
        competency=cid, label=cohort.profiles.competencies[cid].label, people=n,
        self_mean=mean(m for m, _ in pairs), others_mean=mean(o for _, o in pairs),
        difference_mean=mean(diffs), abs_difference_mean=mean(abs(d) for d in diffs),
        self_higher=sum(d <= -1 for d in diffs), hidden_strengths=sum(d >= 1 for d in diffs),
        correlation=_pearson([m for m, _ in pairs], [o for _, o in pairs]))
