"""The organisation's view, counted: the context answers and barriers of each record,
one at a time, overall and per group, and the needs that occur with a barrier
(organisation.py makes the view of them).

Every sheet answers the context questions of the profile set (conditions of the
workplace, not competencies of the person). A person reports a barrier on a question
when their answer meets the condition a barrier rule of ``rules.toml`` puts on it (see
`framework.organisation.barrier_values`): the same threshold as the individual report, read
from the same data. The sets of questions counted are each question, each level of the
organisation, each QUASER challenge and each side of each alignment finding.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..framework.organisation import LEVELS, QUASER, barrier_values

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from .records import Record


@dataclass(slots=True)
class Tally:
    """The running counts of one group (or of the whole cohort)."""

    n: int
    answered: list[int]
    barrier: list[int]
    total: list[int]
    count: list[int]
    barriers: Counter[str] = field(default_factory=Counter)

    @classmethod
    def empty(cls, sets: int) -> Tally:
        return cls(0, [0] * sets, [0] * sets, [0] * sets, [0] * sets)


class OrganisationTally:
    """Accumulates the context answers and barriers of records, one at a time."""

    def __init__(self, profiles: Profiles) -> None:
        self.profiles = profiles
        self.questions = list(profiles.context_items)
        values = barrier_values(profiles.rules_file)
        self.barrier_values = [values.get(q) for q in self.questions]
        #: the sets of questions reported on: each question, each level, each challenge,
        #: each side of each alignment finding
        self.sets: list[tuple[str, str, tuple[int, ...]]] = []
        index = {q: i for i, q in enumerate(self.questions)}
        items = profiles.context_items
        for q in self.questions:
            self._add_set("question", q, [index[q]])
        for lv in LEVELS:
            self._add_set("level", lv, [index[q] for q in self.questions if items[q].level == lv])
        for ch in QUASER:
            self._add_set("quaser", ch, [index[q] for q in self.questions if ch in items[q].quaser])
        for f in profiles.alignment.findings:
            for side in ("in_place", "barrier"):
                self._add_set(side, f.id, [index[q] for q in getattr(f, side) if q in index])
        self.members: list[list[int]] = [[] for _ in self.questions]
        for s, (_, _, qs) in enumerate(self.sets):
            for qi in qs:
                self.members[qi].append(s)
        self.slot = {(kind, key): s for s, (kind, key, _) in enumerate(self.sets)}
        self.overall = Tally.empty(len(self.sets))
        self.groups: dict[str, Tally] = {}
        self.with_people: Counter[str] = Counter()
        self.with_needs: Counter[str] = Counter()
        self.with_competencies: dict[str, Counter[str]] = {}
        self.with_people_total = 0
        self.with_needs_total = 0
        self._rule_competency = {r.id: r.competency for r in profiles.rules}

    def _add_set(self, kind: str, key: str, questions: list[int]) -> None:
        self.sets.append((kind, key, tuple(questions)))

    def add(self, rec: Record, group: str, *, with_barrier: bool = True) -> None:
        tally = self.groups.get(group)
        if tally is None:  # (not setdefault: that would build an empty tally per record)
            tally = self.groups[group] = Tally.empty(len(self.sets))
        tallies = (self.overall, tally)
        answered: set[int] = set()
        barrier: set[int] = set()
        for qi, v in enumerate(rec.context):
            if not v:
                continue
            values = self.barrier_values[qi]
            is_barrier = values is not None and v in values
            for s in self.members[qi]:
                answered.add(s)
                if is_barrier:
                    barrier.add(s)
                for t in tallies:
                    t.total[s] += v
                    t.count[s] += 1
        for t in tallies:
            t.n += 1
            for s in answered:
                t.answered[s] += 1
            for s in barrier:
                t.barrier[s] += 1
            if rec.barriers:
                t.barriers.update(set(rec.barriers))
        if with_barrier and rec.with_barrier:
            self._add_with_barrier(rec.with_barrier)

    def _add_with_barrier(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.with_people_total += 1
        self.with_needs_total += len({dev for _, dev in pairs})
        by_barrier: dict[str, set[str]] = {}
        for bar, dev in pairs:
            by_barrier.setdefault(bar, set()).add(dev)
        for bar, devs in by_barrier.items():
            self.with_people[bar] += 1
            self.with_needs[bar] += len(devs)
            comps = {c for d in devs if (c := self._rule_competency.get(d)) is not None}
            self.with_competencies.setdefault(bar, Counter()).update(comps)
