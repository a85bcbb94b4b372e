"""What a person is shown, decided from the rules that fire: the one scoring path.

`decide` fires the compiled rules (rules.py) on an assessment and decides the barriers,
the development needs and the trainings ranked. A barrier never removes a need: a need
whose competency a fired barrier may constrain stays a need, and the barrier is shown
beside it (`with_barrier`). A batch row (cohort/batch.py) keeps the ids; the explained
report (report.py) takes the same decisions and adds words, values and sources. A rule
or a score changes in one place, and every output follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from ..framework.models import Rule
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
    #: development rules that fired: the person's needs, in file order
    personal: list[Need]
    #: (training id, priority): each training once, at its highest priority, highest first
    ranked: list[tuple[str, float]]

    def with_barrier(self) -> tuple[tuple[str, str], ...]:
        """(barrier rule id, development rule id) for every need that occurs with a barrier
        that may constrain it. The need stays a need: this only says what to raise beside it."""
        if not self.barriers:
            return ()
        return tuple((b.id, rule.id) for rule, _ in self.personal for b in self.barriers
                     if rule.competency is not None and rule.competency in b.constrains)


#: per rule that can fire for a background: (rule, its predicate, barrier?, competency,
#: weight, memo of the competency's priority -> the rule's priority)
_Plan = list[tuple[Rule, Callable[[Assessment], bool], bool, str | None, float, dict[float, float]]]
_PLANS: dict[tuple[int, str, str], tuple[Profiles, _Plan]] = {}


def _plan(profiles: Profiles, background: str, stage: str) -> _Plan:
    key = (id(profiles), background, stage)
    cached = _PLANS.get(key)
    if cached is None or cached[0] is not profiles:
        plan: _Plan = [(rule, holds, rule.kind == "barrier", rule.competency, rule.weight, {})
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
    best: dict[str, float] = {}
    for rule, priority in development:
        for tid in rule.trainings:
            if priority > best.get(tid, -1.0):  # priorities are never negative
                best[tid] = priority
    # highest priority first, then by id: sorted by id, then (stably) by priority
    ranked = sorted(best.items())
    ranked.sort(key=_priority, reverse=True)
    return Decisions(barriers, development, ranked)


_priority = itemgetter(1)
