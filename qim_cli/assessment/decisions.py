"""What a person is shown, decided from the rules that fire: the one scoring path.

`decide` fires the compiled rules (rules.py) on an assessment and decides the barriers,
the development needs that are the person's own, the needs held back under a barrier,
and the trainings ranked. A batch row (cohort/batch.py) keeps the ids; the explained
report (report.py) takes the same decisions and adds words, values and sources. A rule
or a score changes in one place, and every output follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from ..framework.models import Condition, Rule
from ..framework.profiles import Profiles
from .rules import compiled_rules
from .scoring import Assessment

#: a fired development rule and its priority (the competency's priority + the rule's weight)
Need = tuple[Rule, float]


@dataclass(slots=True)
class Decisions:
    """The rules that fired for one person, sorted into what the person is shown."""

    #: barrier rules that fired, in file order
    barriers: list[Rule]
    #: development rules shown as the person's own needs, in file order
    personal: list[Need]
    #: development rules fired by a low score that a fired barrier explains: shown under
    #: the barrier, not as a need (the workplace may be what keeps the score low)
    held: list[Need]
    #: (training id, priority): each training once, at its highest priority, highest first
    ranked: list[tuple[str, float]]

    def held_pairs(self) -> tuple[tuple[str, str], ...]:
        """(barrier rule id, development rule id) for every need held back under a barrier."""
        return tuple((b.id, rule.id) for rule, _ in self.held for b in self.barriers
                     if rule.competency in b.explains)

    def trainings_for(self) -> dict[str, set[str]]:
        """Per competency, the trainings of the personal needs that name it."""
        out: dict[str, set[str]] = {}
        for rule, _ in self.personal:
            if rule.competency:
                out.setdefault(rule.competency, set()).update(rule.trainings)
        return out


def tests_score(cond: Condition, competency: str) -> bool:
    """Whether a condition looks at the score, gap or level of this competency."""
    if cond.competency == competency and not cond.insufficient:
        return True
    children = (cond.all or []) + (cond.any or []) + ([cond.not_] if cond.not_ else [])
    return any(tests_score(c, competency) for c in children)


_SCORE_DRIVEN: dict[int, tuple[Rule, bool]] = {}


def _score_driven(rule: Rule) -> bool:
    """Whether a development rule fires on its own competency's score (cached per rule).

    Only those can be held back: a rule that fires on something else (a low importance
    rating, the career stage) is not explained by the workplace."""
    cached = _SCORE_DRIVEN.get(id(rule))
    if cached is None or cached[0] is not rule:
        value = rule.competency is not None and tests_score(rule.when, rule.competency)
        cached = _SCORE_DRIVEN[id(rule)] = (rule, value)
    return cached[1]


#: per rule that can fire for a background: (rule, its predicate, barrier?, competency,
#: weight, memo of the competency's priority -> the rule's priority)
_Plan = list[tuple[Rule, Callable[[Assessment], bool], bool, str | None, float, dict[float, float]]]
_PLANS: dict[tuple[int, str, str], tuple[Profiles, _Plan]] = {}


def _plan(profiles: Profiles, background: str, stage: str) -> _Plan:
    key = (id(profiles), background, stage)
    cached = _PLANS.get(key)
    if cached is None or cached[0] is not profiles:
        plan = [(rule, holds, rule.kind == "barrier", rule.competency, rule.weight, {})
                for rule, holds in compiled_rules(profiles, background, stage)]
        cached = _PLANS[key] = (profiles, plan)
    return cached[1]


def decide(a: Assessment, profiles: Profiles) -> Decisions:
    """Fire every rule that can hold for the person's background and career stage, and
    sort the hits."""
    scores = a.scores
    barriers: list[Rule] = []
    development: list[Need] = []
    plan = _plan(profiles, a.sheet.respondent.background, a.career_stage)
    for rule, holds, barrier, competency, weight, memo in plan:
        if not holds(a):
            continue
        if barrier:
            barriers.append(rule)
            continue
        base = scores[competency].priority if competency else 0.0
        priority = memo.get(base)
        if priority is None:
            priority = memo[base] = round(base + weight, 2)
        development.append((rule, priority))
    personal, held = development, []
    if barriers:
        explained = {c for r in barriers for c in r.explains}
        if explained:
            personal = []
            for need in development:
                rule = need[0]
                if rule.competency in explained and _score_driven(rule):
                    held.append(need)
                else:
                    personal.append(need)
    best: dict[str, float] = {}
    for rule, priority in personal:
        for tid in rule.trainings:
            if priority > best.get(tid, -1.0):  # priorities are never negative
                best[tid] = priority
    # highest priority first, then by id: sorted by id, then (stably) by priority
    ranked = sorted(best.items())
    ranked.sort(key=_priority, reverse=True)
    return Decisions(barriers, personal, held, ranked)


_priority = itemgetter(1)
