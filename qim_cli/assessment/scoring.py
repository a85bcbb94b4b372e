"""Pure scoring: an answer sheet and a profile set -> competency scores, gaps and priorities.

Rules (documented in the README, "How scores are computed"):

* An item answered 1–5 counts; "na" or a missing answer does not.
* A reverse-keyed item is flipped (6 - answer) before averaging.
* A competency is scored when at least half of its items, and at least two, were
  answered; otherwise it is "insufficient evidence": no score, no gap, never a zero.
* The score is the mean of the counted items, rounded to two decimals.
* target: the role standard for the person's career stage (profiles/standard.toml), the
  same for every background: qim's own convention, not a finding of the study.
* gap = target - score (positive: below the standard).
* priority = 2 x gap, +1 where the study says the person's background overlooks the
  competency, +1 again where the person rated its importance 1 or 2; 0 when there is
  no gap, and 0 when the gap is within measurement error (below).

A gap within measurement error is no gap. A score is a mean of a few self-rated
answers, so it carries measurement error: its band is ``z x SEM`` (95%), the SEM
derived from the competency's reliability and SD in ``profiles/precision.toml``
(assessment/precision.py). A score below its target by less than the band
(``0 < gap < band``) is "at target within measurement error": its gap is shown as
measured, but its priority is 0, so it is never an objective of the plan, never a
high-priority need of a cohort, and never a rule's gap (rules.py: ``gap_at_least``
holds only for a gap beyond measurement error). A gap of 0.17 cannot tell a person
who is below the standard from one who is at it; treating it as a need would make
the plan chase noise. What the person does with it is the same as for any score at
target: nothing urgent. The band assumes every item was answered; a score from fewer
items is less precise than that, and the band does not widen for it (qim's
simplification, said in the scoring docs).

How the background enters, and why. The background never changes the bar: target and
gap are the same for two people with the same answers at the same stage. It changes the
advice: which rules fire (their words and trainings), which competencies are flagged,
and the order of the needs. A competency the background **overlooks** (◆; clinical QIMs:
systems thinking and long-term thinking; both groups: external stakeholders, as the
study's authors say) adds `OVERLOOKED_BONUS` to a priority that a gap has already made
positive: a need the background tends not to see is not left to rank below the needs
the person puts forward themselves, and a gap of 0.5 there (the smallest a rule
recommends an activity for) reaches medium priority, so the plan covers it (plan.py
gives it an objective whatever the cap). A **known gap** (○; traditional QIMs from outside
healthcare: context, trust, approachability) adds nothing: those QIMs name these
competencies themselves, so nothing needs to stop them being overlooked; what changes
for them is the advice (socialisation, time with clinical teams).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..framework.profiles import BackgroundFlag, Profiles
from ..sheets.models import AnswerSheet
from .precision import score_band, sem

MIN_ANSWERED = 2
GAP_WEIGHT = 2.0
OVERLOOKED_BONUS = 1.0
LOW_IMPORTANCE_BONUS = 1.0
LOW_IMPORTANCE_MAX = 2
#: a competency's priority at or above this is "high"
HIGH_PRIORITY = 3.0


def min_required(n_items: int) -> int:
    """How many answered items a competency needs before it is scored."""
    return min(n_items, max(MIN_ANSWERED, math.ceil(n_items / 2)))


PriorityLabel = Literal["high", "medium", "low", "none"]


def priority_label(priority: float) -> PriorityLabel:
    if priority <= 0:
        return "none"
    if priority >= HIGH_PRIORITY:
        return "high"
    if priority >= 1.5:
        return "medium"
    return "low"


@dataclass(slots=True, frozen=True)
class Score:
    competency: str
    score: float | None
    answered: int
    items: int
    target: float
    gap: float | None
    level: str
    level_label: str
    importance: int | None
    #: "overlooked", "known_gap" or None: how the person's background flags it
    flag: BackgroundFlag | None
    priority: float
    #: half the width of the score's 95% band of measurement error, in score points
    band: float = 0.0

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def within_error(self) -> bool:
        """Below the target by less than the band: at target within measurement error."""
        return self.gap is not None and 0 < self.gap < self.band

    @property
    def priority_label(self) -> PriorityLabel:
        return priority_label(self.priority)


@dataclass(slots=True)
class Assessment:
    """Everything the rule engine may look at, derived from one sheet."""

    sheet: AnswerSheet
    career_stage: str
    scores: dict[str, Score]

    @property
    def background(self) -> str:
        return self.sheet.respondent.background


_PLANS: dict[int, tuple[Profiles, dict[str, tuple[tuple[tuple[str, bool], ...], int]]]] = {}


def _plan(profiles: Profiles) -> dict[str, tuple[tuple[tuple[str, bool], ...], int]]:
    """Per competency: its (item id, reverse) pairs and the answers it needs; once per profile set."""
    cached = _PLANS.get(id(profiles))
    if cached is None or cached[0] is not profiles:
        plan = {
            cid: (tuple((i.id, i.reverse) for i in comp.items), min_required(len(comp.items)))
            for cid, comp in profiles.competencies.items()
        }
        cached = _PLANS[id(profiles)] = (profiles, plan)
    return cached[1]


def competency_mean(
    answers: Mapping[str, int | str], profiles: Profiles, competency: str
) -> tuple[float | None, int]:
    """(mean of the counted items or None when insufficient, number of items counted)."""
    items, need = _plan(profiles)[competency]
    total = count = 0
    for item_id, reverse in items:
        answer = answers.get(item_id)
        if type(answer) is int:
            total += 6 - answer if reverse else answer
            count += 1
    if count >= need:
        return round(total / count, 2), count
    return None, count


def effective_answers(sheet: AnswerSheet, profiles: Profiles) -> dict[str, int | None]:
    """Every item's value as scored (reverse items flipped), None when not answered."""
    out: dict[str, int | None] = {}
    for items, _ in _plan(profiles).values():
        for item_id, reverse in items:
            v = sheet.answers.get(item_id)
            out[item_id] = (6 - v if reverse else v) if type(v) is int else None
    return out


def competency_band(profiles: Profiles, competency: str) -> float:
    """Half the 95% band of a competency's score: z x SEM, from precision.toml."""
    p = profiles.precision_of(competency)
    return round(score_band(sem(p.sd, p.reliability)), 2)


def make_score(
    profiles: Profiles,
    competency: str,
    *,
    background: str,
    stage: str,
    score: float | None,
    answered: int,
    importance: int | None,
) -> Score:
    """Gap, level and priority of a competency score for this stage (the target) and
    background (the flag)."""
    target = profiles.target(stage, competency)
    flag = profiles.background_flag(background, competency)
    low = importance is not None and importance <= LOW_IMPORTANCE_MAX
    band = competency_band(profiles, competency)
    if score is not None:
        gap, level, level_label, priority = _derive(profiles, score, target,
                                                    flag == "overlooked", low, band)
    else:
        gap, level, level_label, priority = None, "insufficient", "Insufficient evidence", 0.0
    return Score(
        competency=competency,
        score=score,
        answered=answered,
        items=len(profiles.competencies[competency].items),
        target=target,
        gap=gap,
        level=level,
        level_label=level_label,
        importance=importance,
        flag=flag,
        priority=priority,
        band=band,
    )


def _derive(
    profiles: Profiles, score: float, target: float, overlooked: bool, low_importance: bool,
    band: float,
) -> tuple[float, str, str, float]:
    """(gap, level, level label, priority) of a competency score: the one place where
    they are computed (see the module's docstring)."""
    gap = round(target - score, 2)
    level, level_label = profiles.level_for(score)
    priority = 0.0
    if gap > 0 and gap >= band:  # a gap within measurement error is no need
        priority = GAP_WEIGHT * gap
        if overlooked:
            priority += OVERLOOKED_BONUS
        if low_importance:
            priority += LOW_IMPORTANCE_BONUS
    return gap, level, level_label, round(priority, 2)


#: per competency: (id, (item id, reverse) pairs, answers needed, number of items, target,
#: the background's flag, the score's band, memo of (sum, count, importance) -> its Score)
_Row = tuple[str, tuple[tuple[str, bool], ...], int, int, float, BackgroundFlag | None, float,
             dict[tuple[int, int, int | None], "Score"]]
_TABLES: dict[tuple[int, str, str], tuple[Profiles, tuple[_Row, ...]]] = {}


def _table(profiles: Profiles, background: str, stage: str) -> tuple[_Row, ...]:
    """What scoring needs per competency for one background and stage, once per profile set."""
    key = (id(profiles), background, stage)
    cached = _TABLES.get(key)
    if cached is None or cached[0] is not profiles:
        rows: tuple[_Row, ...] = tuple(
            (cid, items, need, len(items), profiles.target(stage, cid),
             profiles.background_flag(background, cid), competency_band(profiles, cid), {})
            for cid, (items, need) in _plan(profiles).items()
        )
        cached = _TABLES[key] = (profiles, rows)
    return cached[1]


def score_sheet(sheet: AnswerSheet, profiles: Profiles) -> Assessment:
    """Score every competency of the framework for one answer sheet.

    The same arithmetic as `competency_mean` + `make_score`. This runs for every sheet of
    a batch, so a competency's Score is made once per (sum of the answers, their count,
    the importance given) for a background and stage, and then shared: a Score is
    immutable, and a few 1–5 answers take few values.
    """
    stage = profiles.career_stage(sheet.respondent.years_as_qim).id
    answers, importance = sheet.answers, sheet.importance
    scores: dict[str, Score] = {}
    for cid, items, need, n_items, target, flag, band, memo in _table(
            profiles, sheet.respondent.background, stage):
        total = count = 0
        for item_id, reverse in items:
            v = answers.get(item_id)
            if type(v) is int:
                total += 6 - v if reverse else v
                count += 1
        imp = importance.get(cid)
        key = (total, count, imp)
        score = memo.get(key)
        if score is None:
            score = memo[key] = _score(profiles, cid, total, count, need, n_items, target, flag,
                                       imp, band)
        scores[cid] = score
    return Assessment(sheet=sheet, career_stage=stage, scores=scores)


def _score(profiles: Profiles, cid: str, total: int, count: int, need: int, n_items: int,
           target: float, flag: BackgroundFlag | None, imp: int | None, band: float) -> Score:
    if count < need:
        return Score(cid, None, count, n_items, target, None, "insufficient",
                     "Insufficient evidence", imp, flag, 0.0, band)
    score = round(total / count, 2)
    low = imp is not None and imp <= LOW_IMPORTANCE_MAX
    gap, level, level_label, priority = _derive(profiles, score, target, flag == "overlooked",
                                                low, band)
    return Score(cid, score, count, n_items, target, gap, level, level_label, imp, flag,
                 priority, band)
