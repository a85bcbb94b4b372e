"""A 30 / 60 / 90-day development plan from a result: highest priority first, small steps.

In the spirit of plan-do-study-act: the first 30 days start small (at most two
activities, the quickest of the top priorities first), each period ends with a
review of what changed, and what does not fit in 90 days is listed for the next
appraisal. Organisational barriers go to the first period as a conversation with
the people who can act on them, because they are not the person's to fix alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .results import Barrier, Recommendation, Result

#: (label, days, how many activities start in that period)
PERIODS = (("First 30 days", 30, 2), ("Days 31–60", 60, 2), ("Days 61–90", 90, 3))


@dataclass
class Period:
    label: str
    days: int
    activities: list[Recommendation] = field(default_factory=list)
    conversations: list[Barrier] = field(default_factory=list)
    review: str = ""


@dataclass
class Plan:
    periods: list[Period]
    later: list[Recommendation]


def build_plan(result: Result) -> Plan:
    recs = list(result.recommendations)
    labels = {c.id: c.label for c in result.competencies}
    periods: list[Period] = []
    for label, days, slots in PERIODS:
        chosen = recs[:slots]
        recs = recs[slots:]
        # start each period with the lighter activity of equal-ranked ones
        chosen.sort(key=lambda r: (-r.priority, r.training.hours))
        comps = list(dict.fromkeys(labels.get(c, c) for r in chosen for c in r.competencies))
        review = (
            f"At day {days}, review progress on {', '.join(comps)} with your manager or mentor: "
            "what did you try, what changed, what will you adjust?"
            if comps
            else f"At day {days}, review what you have tried and what changed."
        )
        periods.append(Period(label=label, days=days, activities=chosen, review=review))
    if result.barriers:
        periods[0].conversations = list(result.barriers)
    return Plan(periods=periods, later=recs)
