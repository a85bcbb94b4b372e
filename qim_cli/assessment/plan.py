"""The development plan: a few objectives in the form of a personal development plan (PDP).

An appraisal plan has three to five objectives, each with the need, how it will be
met, by when, and how the person will show that it is done. This module selects
them from the recommendations, deterministically:

* **What must be covered**: the competencies of high or medium priority.
* **Fewest, best-fitting activities** (a greedy weighted set cover): each round picks
  the activity whose still-uncovered priority competencies weigh most, weighted by how
  well its tier fits the career stage (awareness for new QIMs, practitioner for early
  career, expert for experienced; an activity two tiers above the stage is left out).
  One activity serving several priority competencies therefore beats one each. Ties
  go to the rule engine's own priority, then to lower-priority needs it also serves,
  then to the lighter activity, then to the training id.
* **Nothing twice**: each competency belongs to one objective and each training
  appears once in the plan. The other fitting activities become an objective's
  alternatives.
* **At most five objectives**; two for a strong profile (no high or medium priority:
  no gaps are invented, the objectives are the next steps the rules suggest) and two
  for a profile dominated by organisational barriers, whose barriers come first.
* **What the background overlooks is always planned**: a priority competency that the
  study says the person's background overlooks gets an objective first, whatever the
  cap (so a barrier-dominated plan may hold more than two objectives).
* **A barrier never hides a need**: a barrier that may constrain an objective's (or a
  deferred need's) competency is shown beside it ("also raise"), and the need stays.
* **Deferred, with a reason**: a priority competency without an objective says why
  (the plan is full, only later-stage activities fit, or no activity is recommended for
  it).
* **Dates**: counted from the sheet's `assessed_on` (weeks when it has none). At most
  two objectives run at once; the next starts when one ends, and each is due when its
  activity's `weeks` (start to evidence shown) have passed. Barriers are raised in the
  first four weeks. The plan is reviewed at the next appraisal, a year on.
"""

from __future__ import annotations

import heapq
import re
from datetime import date, timedelta
from typing import Literal

from ..framework.actors import ACTOR_LABEL as ACTOR_LABEL
from ..framework.profiles import Profiles
from ..words import in_sentence
from .results import (
    Activity,
    AlsoRaise,
    Barrier,
    CompetencyResult,
    Deferred,
    Objective,
    Plan,
    PlanBarrier,
    PlanCompetency,
    Recommendation,
    RespondentOut,
    Strength,
    Support,
)

MAX_OBJECTIVES = 5
STRONG_MAX = 2
BARRIER_MAX = 2
BARRIER_DOMINATED_AT = 3  # this many barriers make a profile barrier-dominated
CONCURRENT = 2
RAISE_WEEKS = 4
MAX_STRENGTHS = 3
TIERS = ("awareness", "practitioner", "expert")
#: how well an activity fits, by how many tiers it lies from the career stage's tier
TIER_FIT = (1.0, 0.5, 0.25)
PRIORITY = ("high", "medium")


def stage_tier(profiles: Profiles, stage: str) -> int:
    """The tier index that suits a career stage: the stages spread over the tiers."""
    ids = list(profiles.stages)
    if stage not in ids or len(ids) == 1:
        return len(TIERS) // 2
    return round(ids.index(stage) * (len(TIERS) - 1) / (len(ids) - 1))


def tier_fit(tier: str, stage_index: int) -> float | None:
    """The weight of an activity of this tier for this stage; None: beyond the stage."""
    t = TIERS.index(tier) if tier in TIERS else 1
    if t > stage_index + 1:
        return None
    return TIER_FIT[min(abs(t - stage_index), len(TIER_FIT) - 1)]


def _activity(rec: Recommendation) -> Activity:
    t = rec.training
    return Activity(training=t.id, title=t.title, kind=t.kind, tier=t.tier, effort=t.effort,
                    hours=t.hours, weeks=t.weeks)


def _sentences(text: str, n: int = 1) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return " ".join(parts[:n])


#: what a low importance rating of a flagged competency means, by flag
LOW_IMPORTANCE_WORDS = {
    "overlooked": "overlooked, not a lower need",
    "known_gap": "a known gap, not a lower need",
}


def _need(comps: list[CompetencyResult], rec: Recommendation, r: RespondentOut,
          profiles: Profiles, growth: bool) -> str:
    """One or two plain sentences on why this matters for this person (no rule ids).

    Where the study says the person's background overlooks the competency, or it is a
    known gap for QIMs from outside healthcare, the background's own note says why;
    otherwise the sentence comes from the rule that recommended the activity, which is
    written for that background.
    """
    top = comps[0]
    reason = next((x for x in rec.reasons if x.competency == top.id), rec.reasons[0])
    if growth or top.gap is None or top.gap <= 0:
        return _sentences(reason.message, 2)
    note = profiles.background_note(r.background, top.id)
    flag = top.background_flag
    why = _sentences(note) if flag and note else _sentences(reason.message)
    if top.importance is not None and top.importance <= 2 and flag:
        whose = "its" if len(comps) == 1 else f"{in_sentence(top.label)}'s"
        why += f" You rated {whose} importance {top.importance} of 5: {LOW_IMPORTANCE_WORDS[flag]}."
    return why


def _strengths(competencies: list[CompetencyResult], r: RespondentOut,
               profiles: Profiles) -> list[Strength]:
    above = [c for c in competencies if c.gap is not None and c.score is not None and c.gap < 0]
    above.sort(key=lambda c: c.gap or 0.0)  # stable: framework order among equals
    levels = {lv.id: lv.description for lv in profiles.framework.levels}
    out = []
    for c in above[:MAX_STRENGTHS]:
        assert c.score is not None and c.gap is not None
        text = f"{c.score:.2f} against a target of {c.target:.1f} ({c.level_label}). "
        text += levels.get(c.level, "")
        if c.background_flag == "overlooked":
            text += (" That stands out: the study says QIMs of your background overlook it.")
        elif c.background_flag == "known_gap":
            text += " That stands out: it is a known gap for QIMs from outside healthcare."
        out.append(Strength(competency=c.id, label=c.label, score=c.score, target=c.target,
                            above_target=round(-c.gap, 2), level_label=c.level_label,
                            text=text.strip()))
    return out


def _add_weeks(start: date | None, weeks: int) -> date | None:
    return None if start is None else start + timedelta(weeks=weeks)


def _a_year_on(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _barrier_dominated(barriers: list[Barrier], targets: set[str]) -> bool:
    if not barriers:
        return False
    constrained = {c for b in barriers for c in b.constrains} & targets
    return len(barriers) >= BARRIER_DOMINATED_AT or 2 * len(constrained) >= max(1, len(targets))


def _also_raise(barriers: list[Barrier], competencies: list[str]) -> list[AlsoRaise]:
    """The barriers that may constrain any of these competencies, in the report's order."""
    return [AlsoRaise(rule=b.rule, title=b.title) for b in barriers
            if set(b.constrains) & set(competencies)]


def _best(fitting: list[Recommendation], used: set[str], uncovered: set[str], owned: set[str],
          comps: dict[str, CompetencyResult], fit: dict[str, float | None],
          required: set[str] | None = None) -> Recommendation | None:
    """The activity whose still-uncovered competencies weigh most (see the module doc);
    with `required`, only one that serves at least one of those."""
    best: tuple[tuple[float, float, float, float], Recommendation] | None = None
    for rec in sorted(fitting, key=lambda x: x.training.id):
        if rec.training.id in used:
            continue
        if required is not None and not required & set(rec.competencies):
            continue
        new = [c for c in rec.competencies if c in uncovered]
        if not new:
            continue
        weight = fit[rec.training.id] or 0.0
        value = round(sum(comps[c].priority for c in new) * weight, 6)
        secondary = round(sum(comps[c].priority for c in rec.competencies
                              if c not in uncovered and c not in owned), 6)
        key = (value, rec.priority, secondary, -rec.training.hours)
        if best is None or key > best[0]:
            best = (key, rec)
    return None if best is None else best[1]


PlanProfile = Literal["development", "strong", "barrier_dominated"]


def build_plan(
    respondent: RespondentOut,
    competencies: list[CompetencyResult],
    recommendations: list[Recommendation],
    barriers: list[Barrier],
    assessed_on: date | None,
    profiles: Profiles,
) -> Plan:
    """The plan (see the module doc): the objectives chosen, their alternatives and dates,
    what runs alongside, what is deferred and why, and the barriers to raise."""
    p = _Planner(respondent, competencies, recommendations, barriers, assessed_on, profiles)
    if p.profile == "strong":
        p.next_steps()
    else:
        p.cover()
    alternatives, support_recs = p.alternatives()
    return Plan(
        profile=p.profile,
        barriers_first=p.profile == "barrier_dominated",
        assessed_on=assessed_on,
        review_on=_a_year_on(assessed_on),
        objectives=p.objectives(alternatives),
        support=[Support(how=_activity(rec), why=_sentences(rec.reasons[0].message, 2),
                         helpers=list(rec.training.helpers),
                         rules=sorted({x.rule for x in rec.reasons})) for rec in support_recs],
        deferred=p.deferred(),
        barriers=[PlanBarrier(rule=b.rule, title=b.title, raise_with=list(b.actors),
                              ask_for=[a.title for a in b.actions], constrains=list(b.with_needs),
                              raise_week=RAISE_WEEKS, raise_by=_add_weeks(assessed_on, RAISE_WEEKS))
                  for b in barriers],
        strengths=_strengths(competencies, respondent, profiles),
        not_planned=[rec.training.id for rec in recommendations if rec.training.id not in p.used],
    )


class _Planner:
    """What the plan is chosen from, and the choice as it is made."""

    def __init__(self, respondent: RespondentOut, competencies: list[CompetencyResult],
                 recommendations: list[Recommendation], barriers: list[Barrier],
                 assessed_on: date | None, profiles: Profiles) -> None:
        self.respondent, self.profiles = respondent, profiles
        self.recommendations, self.barriers, self.assessed_on = recommendations, barriers, assessed_on
        self.comps = {c.id: c for c in competencies}
        self.targets = [c.id for c in competencies if c.priority_label in PRIORITY]
        dominated = _barrier_dominated(barriers, set(self.targets))
        self.profile: PlanProfile = ("strong" if not self.targets else "barrier_dominated"
                                     if dominated else "development")
        self.cap = {"strong": STRONG_MAX, "barrier_dominated": BARRIER_MAX}.get(
            self.profile, MAX_OBJECTIVES)
        stage = stage_tier(profiles, respondent.career_stage)
        self.fit = {rec.training.id: tier_fit(rec.training.tier, stage) for rec in recommendations}
        self.fitting = [rec for rec in recommendations if self.fit[rec.training.id] is not None]
        #: (activity, the competencies its objective owns), in objective order
        self.chosen: list[tuple[Recommendation, list[str]]] = []
        self.used: set[str] = set()
        self.owned: set[str] = set()  # competencies that already have an objective

    def _take(self, rec: Recommendation, mine: list[str]) -> None:
        self.chosen.append((rec, mine))
        self.used.add(rec.training.id)
        self.owned.update(mine)

    def next_steps(self) -> None:
        """A strong profile: no gaps to close, the rules' own next steps, highest priority
        first."""
        for rec in self.fitting:
            mine = [c for c in rec.competencies if c not in self.owned]
            if len(self.chosen) < self.cap and rec.competencies and mine:
                self._take(rec, mine)

    def cover(self) -> None:
        """What the background overlooks is covered first, whatever the cap (each activity
        still weighed by every need it serves); then the rest, up to the cap."""
        comps, targets = self.comps, self.targets
        must = {c for c in targets if comps[c].background_flag == "overlooked"}
        for phase in ("overlooked", "rest"):
            limit = MAX_OBJECTIVES if phase == "overlooked" else max(self.cap, len(self.chosen))
            while len(self.chosen) < limit:
                uncovered = {c for c in targets if c not in self.owned}
                required = must - self.owned if phase == "overlooked" else None
                if not uncovered or required == set():
                    break
                best = _best(self.fitting, self.used, uncovered, self.owned, comps, self.fit,
                             required)
                if best is None:
                    break
                new = [c for c in best.competencies if c in uncovered]
                new.sort(key=lambda c: (-comps[c].priority, targets.index(c)))
                self._take(best, new)

    def alternatives(self) -> tuple[list[list[Recommendation]], list[Recommendation]]:
        """The other fitting activities: alternatives inside the objective they overlap
        most, best fit first; those for no competency run alongside the plan."""
        alternatives: list[list[Recommendation]] = [[] for _ in self.chosen]
        support: list[Recommendation] = []
        for rec in self.fitting:
            if rec.training.id in self.used:
                continue
            if not rec.competencies:
                support.append(rec)
                self.used.add(rec.training.id)
                continue
            overlaps = [len(set(rec.competencies) & set(mine)) for _, mine in self.chosen]
            if overlaps and max(overlaps) > 0:
                alternatives[overlaps.index(max(overlaps))].append(rec)
                self.used.add(rec.training.id)
        for alts in alternatives:
            alts.sort(key=lambda x: (-(self.fit[x.training.id] or 0.0), -x.priority, x.rank))
        return alternatives, support

    def objectives(self, alternatives: list[list[Recommendation]]) -> list[Objective]:
        """The objectives with their dates: at most CONCURRENT at once, the next starts when
        one ends."""
        running: list[tuple[int, int]] = []
        out = []
        for n, ((rec, mine), alts) in enumerate(zip(self.chosen, alternatives, strict=True),
                                                 start=1):
            start, after = 0, None
            if len(running) >= CONCURRENT:
                start, after = heapq.heappop(running)
            due = start + rec.training.weeks
            heapq.heappush(running, (due, n))
            out.append(self._objective(n, rec, mine, alts, start, after, due))
        return out

    def _objective(self, n: int, rec: Recommendation, mine: list[str], alts: list[Recommendation],
                   start: int, after: int | None, due: int) -> Objective:
        comps = [self.comps[c] for c in mine]
        # the other competencies it serves with a gap beyond measurement error (a smaller
        # gap is at target within it, as the report says)
        also = [c for c in rec.competencies if c not in mine and c not in self.targets
                and (self.comps[c].gap or 0) > 0 and not self.comps[c].within_error]
        reasons = [x for x in rec.reasons] + [
            x for a in alts for x in a.reasons if x.competency in mine]
        return Objective(
            number=n,
            competencies=[PlanCompetency(id=c.id, label=c.label, score=c.score, target=c.target,
                                         gap=c.gap, priority_label=c.priority_label)
                          for c in comps],
            also_serves=also,
            need=_need(comps, rec, self.respondent, self.profiles, self.profile == "strong"),
            how=_activity(rec),
            alternatives=[_activity(a) for a in alts],
            start_week=start,
            after=after,
            due_week=due,
            starts=_add_weeks(self.assessed_on, start),
            due=_add_weeks(self.assessed_on, due),
            evidence=rec.training.evidence,
            helpers=list(rec.training.helpers),
            also_raise=_also_raise(self.barriers, mine),
            rules=sorted({x.rule for x in reasons}),
            sources=sorted({s for x in reasons for s in x.sources} | set(rec.training.sources)),
        )

    def deferred(self) -> list[Deferred]:
        """Every priority competency without an objective, with the reason."""
        unfit = {c for rec in self.recommendations if self.fit[rec.training.id] is None
                 for c in rec.competencies}
        could = {c for rec in self.fitting for c in rec.competencies}
        out = []
        for cid in self.targets:
            if cid in self.owned:
                continue
            c = self.comps[cid]
            reason, why = self._why_deferred(c, cid in could, cid in unfit)
            priority: Literal["high", "medium"] = "high" if c.priority_label == "high" else "medium"
            out.append(Deferred(competency=cid, label=c.label, priority_label=priority,
                                reason=reason, why=why, also_raise=_also_raise(self.barriers, [cid])))
        return out

    def _why_deferred(self, c: CompetencyResult, could: bool, unfit: bool
                      ) -> tuple[Literal["no_activity", "career_stage", "plan_full"], str]:
        if could:
            return "plan_full", (
                f"The plan keeps to {self.cap} new personal objectives while the workplace "
                "barriers are raised; take this up when one is done."
                if self.profile == "barrier_dominated"
                else f"The plan holds at most {self.cap} objectives; take this up when one is done.")
        if unfit:
            return "career_stage", ("The activities recommended for it suit a later career "
                                    "stage; build on the other objectives first and look at it "
                                    "again at the next appraisal.")
        gap = f" ({c.gap:.2f})" if c.gap is not None else ""
        return "no_activity", (f"The gap{gap} is too small for the rules to recommend an "
                               "activity; keep it in view and look at it again at the next "
                               "appraisal.")


def need_tiers(plan: Plan, recommendations: list[Recommendation], profiles: Profiles,
               stage: str, competencies: list[str]
               ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """What meets each of these competencies' needs, at the tier the plan asks for.

    The tier the plan asks for is the tier of the activity its objective for the
    competency chose; a competency without an objective (deferred) asks for the tier that
    suits the career stage. An activity recommended for the competency meets the need
    when its tier is that tier or higher and it suits the career stage (the plan could
    hold it); a lighter one only prepares for it. Competency -> (the trainings that meet
    it, the lighter ones), each sorted by id.
    """
    planned = {c.id: o.how.tier for o in plan.objectives for c in o.competencies}
    stage_index = stage_tier(profiles, stage)
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for cid in competencies:
        wanted = TIERS.index(planned[cid]) if cid in planned else stage_index
        meets: list[str] = []
        lighter: list[str] = []
        for rec in recommendations:
            if cid not in rec.competencies or tier_fit(rec.training.tier, stage_index) is None:
                continue
            tier = TIERS.index(rec.training.tier) if rec.training.tier in TIERS else 1
            (meets if tier >= wanted else lighter).append(rec.training.id)
        out[cid] = (tuple(sorted(meets)), tuple(sorted(lighter)))
    return out
