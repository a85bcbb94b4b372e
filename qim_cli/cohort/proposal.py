"""A programme proposal for a cohort: the fewest sessions that meet every high-priority need.

A person's **high-priority needs** are the competencies whose priority is "high" in their
own report (a large gap, weighted by self-rated importance and by what the study says the
person's background overlooks).
A session (a training from the profile set) **meets** such a need only at the tier the
person's own development plan asks for: the plan's own activity for that competency, or
another activity recommended to the person for it of the same tier or higher (a
competency the plan defers asks for the tier of the person's career stage; see
assessment/plan.py's `need_tiers`). A lighter activity recommended for the need (an
awareness-tier reading list where the plan asks for a practitioner course) does not
meet it: it is listed as **preparation**. The proposal is the smallest set of sessions
such that every need that some session can meet is met by at least one chosen session;
among equally small sets, the one with the fewest planned hours. A need that no session
meets (a gap too small for a rule, or only lighter or later-stage activities) is listed
apart. A barrier never removes a need, so needs that occur with a barrier are counted
like any other.

This is a set-cover problem, solved exactly as a 0/1 integer programme (SciPy's
``milp``, which runs the HiGHS solver, with a zero optimality gap), not greedily: a
greedy choice can need more sessions than necessary. People are kept as counts of
distinct *need profiles*, so memory does not grow with the size of the cohort.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..framework.study import AUTHORS_SUGGESTION
from .privacy import shown_count
from .results import NeedCount, Proposal, Session

if TYPE_CHECKING:
    from ..framework.profiles import Profiles

#: one need: (competency, the sessions that meet it, the lighter ones that prepare for it)
Need = tuple[str, frozenset[str], frozenset[str]]
METHOD = "exact: 0/1 integer programme (SciPy milp, HiGHS), fewest sessions then fewest hours"
#: what "met" means, said by every format
MET = ("A need counts as met only by an activity at the tier that person's own plan asks "
       "for (the plan's own activity, or one of the same tier or higher); a lighter activity "
       "recommended for it is preparation, not meeting the need.")

@dataclass
class Needs:
    """Streaming accumulator of the cohort's high-priority needs."""

    profiles: Profiles
    #: a person's needs (each with its candidate sessions) -> how many people have exactly these
    people: Counter[frozenset[Need]] = field(default_factory=Counter)
    #: competency -> people with a high-priority need there that no recommended session develops
    unmet: Counter[str] = field(default_factory=Counter)

    def add(self, high_needs: Mapping[str, tuple[Iterable[str], Iterable[str]]]) -> None:
        """One person: each high-priority competency -> (the sessions that meet it, the
        lighter ones recommended for it)."""
        needs = []
        for cid, (meets, lighter) in high_needs.items():
            candidates = frozenset(meets)
            if candidates:
                needs.append((cid, candidates, frozenset(lighter)))
            else:
                self.unmet[cid] += 1
                if lighter:
                    needs.append((cid, frozenset(), frozenset(lighter)))
        if needs:
            self.people[frozenset(needs)] += 1


def minimum_cover(needs: Iterable[frozenset[str]], cost: Mapping[str, float]) -> list[str]:
    """The cheapest set of sessions that hits every set in `needs` (each a non-empty set of
    candidate sessions), exactly. `cost` gives each session's secondary cost (planned
    hours): the number of sessions is minimised first, then the total cost. Sorted ids."""
    distinct = sorted({frozenset(n) for n in needs}, key=sorted)
    if not distinct:
        return []
    if any(not n for n in distinct):
        raise ValueError("a need without any candidate session cannot be covered")
    # a need that contains another is met whenever the smaller one is
    kept = [n for n in distinct if not any(m < n for m in distinct)]
    sessions = sorted(set().union(*kept))
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    total = sum(max(0.0, cost.get(s, 0.0)) for s in sessions)
    c = np.array([1.0 + max(0.0, cost.get(s, 0.0)) / (total + 1.0) for s in sessions])
    a = np.array([[1.0 if s in n else 0.0 for s in sessions] for n in kept])
    res = milp(
        c,
        constraints=LinearConstraint(a, lb=np.ones(len(kept)), ub=np.full(len(kept), np.inf)),
        integrality=np.ones(len(sessions)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    if res.status != 0 or res.x is None:  # pragma: no cover - a feasible 0/1 cover always exists
        raise RuntimeError(f"the programme could not be solved: {res.message}")
    return sorted(s for s, x in zip(sessions, res.x, strict=True) if x > 0.5)


def propose(needs: Needs, min_group: int = 1) -> Proposal:
    """The programme proposal (see the module doc). Every count of people below
    `min_group` is withheld (null, `suppressed`); the choice itself uses every count."""
    prof = needs.profiles
    hours = {tid: t.hours for tid, t in prof.trainings.items()}
    chosen = minimum_cover((cands for person in needs.people for _, cands, _ in person if cands),
                           hours)
    sessions = sorted((_session(needs, tid) for tid in chosen),
                      key=lambda s: (-(s.people or 0), s.title))
    lighter = sorted({tid for person in needs.people for _, _, light in person for tid in light}
                     - set(chosen))
    preparation = sorted((_session(needs, tid) for tid in lighter),
                         key=lambda s: (-_prepared(s), s.title))
    met = [(person, count, [n for n in person if n[1]]) for person, count in needs.people.items()]
    prop = Proposal(
        method=METHOD,
        met_means=MET,
        people=sum(count for _, count, mine in met if mine),
        needs=sum(len(mine) * count for _, count, mine in met),
        sessions=sessions,
        hours=sum(s.hours for s in sessions),
        preparation=preparation,
        unmet=_need_counts(prof, needs.unmet),
    )
    return _withhold(prop, min_group) if min_group > 1 else prop


def _withhold(prop: Proposal, min_group: int) -> Proposal:
    """Every count of people below `min_group`, null."""
    def counts(items: list[NeedCount]) -> list[NeedCount]:
        return [c if (c.people or 0) >= min_group
                else c.model_copy(update={"people": None, "suppressed": True,
                                          "withheld": {"people": "fewer"}}) for c in items]

    def session(s: Session) -> Session:
        return s.model_copy(update={
            "people": shown_count(s.people or 0, min_group),
            "competencies": counts(s.competencies), "prepares": counts(s.prepares)})

    return prop.model_copy(update={
        "people": shown_count(prop.people or 0, min_group),
        "needs": shown_count(prop.needs or 0, min_group),
        "sessions": [session(s) for s in prop.sessions],
        "preparation": [session(s) for s in prop.preparation],
        "unmet": counts(prop.unmet)})


def _prepared(s: Session) -> int:
    return sum(c.people or 0 for c in s.prepares)


def _session(needs: Needs, tid: str) -> Session:
    """A session: the people whose needs it meets and those needs by competency, and the
    needs it only prepares for (it is lighter than the person's plan asks)."""
    served = 0
    met: Counter[str] = Counter()
    prepares: Counter[str] = Counter()
    for person, count in needs.people.items():
        hits = [cid for cid, cands, _ in person if tid in cands]
        if hits:
            served += count
            for cid in hits:
                met[cid] += count
        for cid, _, light in person:
            if tid in light:
                prepares[cid] += count
    t = needs.profiles.trainings[tid]
    return Session(id=tid, title=t.title, kind=t.kind, tier=t.tier, effort=t.effort,
                   hours=t.hours, people=served, competencies=_need_counts(needs.profiles, met),
                   prepares=_need_counts(needs.profiles, prepares))


def _need_counts(prof: Profiles, counts: Counter[str]) -> list[NeedCount]:
    """People per competency, most first."""
    return [NeedCount(id=cid, label=prof.competencies[cid].label, people=n,
                      note=AUTHORS_SUGGESTION if prof.competencies[cid].origin == "authors"
                      else None)
            for cid, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
