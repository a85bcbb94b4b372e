"""The organisation's view of a cohort: barriers, alignment and a board summary.

Every sheet answers the context questions of the profile set (conditions of the
workplace, not competencies of the person). Across a cohort this module reports:

* **per question** (overall and per group): how many people answered it (not "na"),
  how many reported it as a barrier, the share, and the mean answer. A person reports a
  barrier when their answer meets the condition a barrier rule of ``rules.toml`` puts on
  that question (see `framework.alignment.barrier_values`): the same threshold as the
  individual report, read from the same data;
* **per level** of the organisation (front line, middle managers, board, organisation)
  and **per QUASER challenge**, from the tags of the questions: the people who answered
  at least one of the group's questions, those who reported at least one of them as a
  barrier, and the mean of all answers to them;
* **alignment findings** (``alignment.toml``): where one level is mostly reported as in
  place and another as a barrier, with the evidence and its source ids;
* the **barrier rules** that fired, by people, and a **board summary**: the three
  reported by the most people, who can act on each and the organisational actions the
  profile set holds for it;
* **needs that occur with a barrier**: development needs whose competency a barrier the
  same person reported may constrain. They are a subset of the training needs, counted
  there as well; this says how many there were and beside which barriers (a barrier
  never removes a need).

Privacy follows `privacy.py`: groups hidden as a whole stay hidden, and a cell that rests
on fewer than ``min_group`` answers is withheld, with its complement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..framework.actors import ACTOR_LABEL, ACTORS
from ..framework.alignment import LEVELS, QUASER, barrier_rules_of, barrier_values
from ..framework.study import AUTHORS_SUGGESTION
from .privacy import hidden_cells

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from .batch import Record

BOARD_TOP = 3


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


class OrgStats:
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

    def add(self, rec: Record, group: str) -> None:
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
        if rec.with_barrier:
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
            comps = {self._rule_competency.get(d) for d in devs} - {None}
            self.with_competencies.setdefault(bar, Counter()).update(comps)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the summary


def _label(profiles: Profiles, kind: str, key: str) -> str:
    table = profiles.alignment.levels if kind == "level" else profiles.alignment.quaser
    named = table.get(key)  # type: ignore[call-overload]
    return named.label if named is not None else key.replace("_", " ").capitalize()


def _cells(org: OrgStats, s: int, columns: list[str], hidden: set[str],
           min_group: int, has_barrier: bool) -> list[dict[str, Any]]:
    """One row: the overall cell, then one per shown group, privacy applied."""
    sizes = {g: t.answered[s] for g, t in org.groups.items()}
    withheld = hidden_cells(sizes, min_group, hidden)
    if org.overall.answered[s] < min_group:
        withheld |= {"overall", *columns}
    out = []
    for g in ["overall", *columns]:
        t = org.overall if g == "overall" else org.groups[g]
        if g in withheld:
            out.append({"group": g, "n": None, "barrier": None, "share": None, "mean": None,
                        "suppressed": True})
            continue
        n = t.answered[s]
        bar = t.barrier[s] if has_barrier else None
        out.append({
            "group": g,
            "n": n,
            "barrier": bar,
            "share": round(bar / n, 3) if bar is not None and n else None,
            "mean": round(t.total[s] / t.count[s], 2) if t.count[s] else None,
            "suppressed": False,
        })
    return out


def _has_barrier(org: OrgStats, s: int) -> bool:
    return any(org.barrier_values[qi] is not None for qi in org.sets[s][2])


def _side(org: OrgStats, kind: str, key: str) -> tuple[int, float | None]:
    s = org.slot[(kind, key)]
    n = org.overall.answered[s]
    return n, (round(org.overall.barrier[s] / n, 3) if n else None)


def _findings(org: OrgStats, min_group: int) -> list[dict[str, Any]]:
    out = []
    for f in org.profiles.alignment.findings:
        n_in, share_in = _side(org, "in_place", f.id)
        n_bar, share_bar = _side(org, "barrier", f.id)
        evaluated = n_in >= min_group and n_bar >= min_group
        fired = (evaluated and share_in is not None and share_bar is not None
                 and share_in <= f.in_place_share_at_most
                 and share_bar >= f.barrier_share_at_least)
        out.append({
            "id": f.id,
            "title": f.title,
            "message": f.message,
            "sources": list(f.sources),
            "evaluated": evaluated,
            "fired": fired,
            "in_place": {"questions": list(f.in_place), "n": n_in if evaluated else None,
                         "share": share_in if evaluated else None,
                         "share_at_most": f.in_place_share_at_most},
            "barrier": {"questions": list(f.barrier), "n": n_bar if evaluated else None,
                        "share": share_bar if evaluated else None,
                        "share_at_least": f.barrier_share_at_least},
        })
    return out


def _actions(profiles: Profiles, rule_id: str) -> tuple[list[str], list[dict[str, Any]]]:
    rule = next(r for r in profiles.rules if r.id == rule_id)
    actions = [profiles.trainings[t] for t in rule.trainings]
    actors = sorted({a for t in actions for a in t.actors}, key=ACTORS.index)
    return actors, [
        {"id": t.id, "title": t.title, "description": t.description, "effort": t.effort,
         "actors": list(t.actors), "sources": list(t.sources)}
        for t in actions
    ]


def organisation_summary(
    org: OrgStats, columns: list[str], hidden: set[str], min_group: int
) -> dict[str, Any]:
    """The organisation's view as JSON-ready data.

    `columns` are the shown groups in order, `hidden` the groups withheld as a whole.
    """
    prof = org.profiles
    items = prof.context_items
    rules_of = barrier_rules_of(prof.rules_file)
    scale = prof.framework.scales.context.labels

    def barrier_when(q: str) -> str | None:
        values = org.barrier_values[org.questions.index(q)]
        if values is None:
            return None
        return ", ".join(f"{v} ({scale[v - 1]})" for v in sorted(values))

    def row(kind: str, key: str) -> list[dict[str, Any]]:
        s = org.slot[(kind, key)]
        return _cells(org, s, columns, hidden, min_group, _has_barrier(org, s))

    questions = [{
        "id": q,
        "text": items[q].text,
        "level": items[q].level,
        "quaser": list(items[q].quaser),
        "barrier_answers": barrier_when(q),
        "barrier_rules": rules_of.get(q, []),
        "sources": list(items[q].sources),
        "cells": row("question", q),
    } for q in org.questions]
    levels = [{
        "id": lv, "label": _label(prof, "level", lv),
        "questions": [q for q in org.questions if items[q].level == lv],
        "cells": row("level", lv),
    } for lv in LEVELS if org.sets[org.slot[("level", lv)]][2]]
    quaser = [{
        "id": ch, "label": _label(prof, "quaser", ch),
        "questions": [q for q in org.questions if ch in items[q].quaser],
        "cells": row("quaser", ch),
    } for ch in QUASER if org.sets[org.slot[("quaser", ch)]][2]]

    barrier_rules = [r for r in prof.rules if r.kind == "barrier"]
    people_hidden = hidden_cells({g: t.n for g, t in org.groups.items()}, min_group, hidden)
    barriers = []
    for r in barrier_rules:
        cells = []
        for g in ["overall", *columns]:
            t = org.overall if g == "overall" else org.groups[g]
            if g in people_hidden:
                cells.append({"group": g, "n": None, "people": None, "share": None,
                              "suppressed": True})
            else:
                people = t.barriers[r.id]
                cells.append({"group": g, "n": t.n, "people": people,
                              "share": round(people / t.n, 3) if t.n else None,
                              "suppressed": False})
        actors, _ = _actions(prof, r.id)
        barriers.append({"rule": r.id, "title": r.title, "actors": actors, "cells": cells})

    order = {r.id: i for i, r in enumerate(barrier_rules)}
    ranked = sorted((r for r in barrier_rules if org.overall.barriers[r.id]),
                    key=lambda r: (-org.overall.barriers[r.id], order[r.id]))
    board = []
    for r in ranked[:BOARD_TOP]:
        actors, actions = _actions(prof, r.id)
        people = org.overall.barriers[r.id]
        board.append({
            "rule": r.id,
            "title": r.title,
            "message": r.message,
            "people": people,
            "share": round(people / org.overall.n, 3),
            "actors": actors,
            "actor_labels": [ACTOR_LABEL[a] for a in actors],
            "actions": actions,
            "sources": list(r.sources),
        })

    titles = {r.id: r.title for r in barrier_rules}
    with_barrier = {
        "people": org.with_people_total,
        "needs": org.with_needs_total,
        "by_barrier": [
            {
                "rule": rid,
                "title": titles.get(rid, rid),
                "people": org.with_people[rid],
                "needs": org.with_needs[rid],
                "competencies": [
                    {"id": c, "label": prof.competencies[c].label, "people": k,
                     "note": AUTHORS_SUGGESTION if prof.competencies[c].origin == "authors"
                     else None}
                    for c, k in sorted(org.with_competencies.get(rid, Counter()).items(),
                                       key=lambda kv: (-kv[1], kv[0]))
                ],
            }
            for rid in sorted(org.with_people, key=lambda b: (-org.with_people[b], order.get(b, 0)))
        ],
    }
    return {
        "scale": list(scale),
        "columns": ["overall", *columns],
        "questions": questions,
        "levels": levels,
        "quaser": quaser,
        "findings": _findings(org, min_group),
        "barriers": barriers,
        "board_summary": board,
        "with_barrier": with_barrier,
    }
