"""The levels' own answers: what staff at each level of one organisation report about
their workplace (context sheets), level beside level (the document: alignment_results).

For one organisation and each context question: each level of staff's n answering (not
"don't know"), the people reporting a barrier (an answer that a barrier rule of
``rules.toml`` treats as one, as for a QIM), their share and the mean answer. The QIMs'
own answers stand beside them as one more level, labelled as their perception.

**Where the levels disagree** (qim's own convention, not a source's): the share reporting
a barrier of the measured level with the most minus that of the level with the fewest is
at least `DISAGREE_AT_LEAST` (40 percentage points). It is a screening rule, not a test:
the levels answer in the words of their own level, and a share of a small group moves a
great deal with one person.

**Privacy** (`privacy.py`): a level of staff with fewer than ``min_group`` sheets is not
shown, nor is a cell resting on fewer than ``min_group`` answers; each withholds one more
(complementary suppression). A measured side of an alignment finding, or a barrier of the
board summary, is read only from levels whose figures are shown, so that no withheld
figure can be worked out by subtraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..framework.organisation import barrier_values
from .alignment_results import (
    QIMS,
    LevelCell,
    LevelComparison,
    LevelQuestion,
    StaffLevelColumn,
    Withheld,
)
from .privacy import hidden_cells

if TYPE_CHECKING:
    from ..framework.models import Condition, Rule
    from ..framework.profiles import Profiles
    from ..sheets.context import ContextRecord

#: two measured levels disagree on a question when their shares reporting a barrier differ
#: by at least this much (qim's own convention)
DISAGREE_AT_LEAST = 0.4
RULE = ("Two levels disagree on a question when the share reporting a barrier at one is at "
        "least 40 percentage points above the share at another (qim's own screening "
        "convention, not a statistical test).")
CAVEAT = ("Each level answers in the words of its own level, and a difference is a "
          "difference in what people report, not proof of which level is right. Pannick et "
          "al. cite an evaluation in which managers saw a safety programme differently from "
          "clinical staff, and more positively. In a group of 5 to 10 people one person moves "
          "a share by 10 to 20 points: read a disagreement as a question to ask the levels "
          "together.")
SOURCES = ["P"]
QIMS_LABEL = "QIMs' perception"
#: the levels of staff as a sentence names them (others: "staff at the <label> level")
NOUNS = {"front_line": "the front line", "middle_managers": "middle managers",
         "senior_leaders": "senior leaders", "board": "board members", QIMS: "the QIMs"}


@dataclass
class _Level:
    sheets: int = 0
    answered: list[int] = field(default_factory=list)
    barrier: list[int] = field(default_factory=list)
    total: list[int] = field(default_factory=list)


class Measured:
    """One organisation's context sheets counted by level of staff, privacy applied."""

    def __init__(self, records: Sequence[ContextRecord], profiles: Profiles,
                 min_group: int) -> None:
        self.profiles, self.min_group = profiles, min_group
        self.questions = list(profiles.context_items)
        values = barrier_values(profiles.rules_file)
        self.barrier_values = [values.get(q) for q in self.questions]
        self.records = list(records)
        k = len(self.questions)
        self.levels: dict[str, _Level] = {}
        for lv in profiles.staff_levels:
            group = [r for r in self.records if r.level == lv]
            if not group:
                continue
            t = self.levels[lv] = _Level(len(group), [0] * k, [0] * k, [0] * k)
            for r in group:
                for qi, v in enumerate(r.answers):
                    if not v:
                        continue
                    t.answered[qi] += 1
                    t.total[qi] += v
                    bv = self.barrier_values[qi]
                    if bv is not None and v in bv:
                        t.barrier[qi] += 1
        sizes = {lv: t.sheets for lv, t in self.levels.items()}
        self.hidden_levels = hidden_cells(sizes, min_group)
        #: per question: the levels whose cell is withheld
        self.hidden: list[set[str]] = [
            hidden_cells({lv: t.answered[qi] for lv, t in self.levels.items()
                          if t.answered[qi]}, min_group, self.hidden_levels & set(sizes))
            for qi in range(k)]

    @property
    def shown_levels(self) -> list[str]:
        return [lv for lv in self.levels if lv not in self.hidden_levels]

    def _reason(self, n: int) -> Withheld:
        return "fewer_than_min_group" if n < self.min_group else "complementary"

    def columns(self) -> list[StaffLevelColumn]:
        labels = self.profiles.staff_levels
        return [StaffLevelColumn(
                    id=lv, label=labels[lv].label, measured=True,
                    n=None if lv in self.hidden_levels else t.sheets,
                    suppressed=lv in self.hidden_levels,
                    reason=self._reason(t.sheets) if lv in self.hidden_levels else None)
                for lv, t in self.levels.items()]

    def cell(self, lv: str, qi: int) -> LevelCell:
        t = self.levels[lv]
        n = t.answered[qi]
        if lv in self.hidden[qi]:
            return LevelCell(level=lv, n=None, barrier=None, share=None, mean=None,
                             suppressed=True, reason=self._reason(
                                 t.sheets if lv in self.hidden_levels and t.sheets < self.min_group
                                 else n))
        has = self.barrier_values[qi] is not None
        bar = t.barrier[qi] if has else None
        return LevelCell(level=lv, n=n, barrier=bar,
                         share=round(bar / n, 3) if bar is not None and n else None,
                         mean=round(t.total[qi] / n, 2) if n else None,
                         suppressed=False, reason=None)

    def comparison(self, qims: StaffLevelColumn,
                   qim_cells: dict[str, LevelCell]) -> LevelComparison:
        """Every question, the measured levels then the QIMs' perception."""
        items = self.profiles.context_items
        rows = []
        for qi, q in enumerate(self.questions):
            cells = [self.cell(lv, qi) for lv in self.levels]
            spread, finding = self._spread(cells)
            rows.append(LevelQuestion(
                id=q, text=items[q].text, about=items[q].level,
                cells=[*cells, qim_cells[q]], spread=spread,
                disagree=finding is not None, finding=finding))
        return LevelComparison(levels=[*self.columns(), qims], questions=rows,
                               disagree_at_least=DISAGREE_AT_LEAST, rule=RULE, caveat=CAVEAT,
                               sources=SOURCES)

    def _spread(self, cells: list[LevelCell]) -> tuple[float | None, str | None]:
        shown = [c for c in cells if c.share is not None and c.n]
        if len(shown) < 2:
            return None, None
        # ties: the levels furthest apart (the front line against the board, say)
        lo = min(reversed(shown), key=lambda c: c.share or 0.0)
        hi = max(shown, key=lambda c: c.share or 0.0)
        assert lo.share is not None and hi.share is not None
        spread = round(hi.share - lo.share, 3)
        if spread < DISAGREE_AT_LEAST - 1e-9:
            return spread, None
        lo_noun, hi_noun = self.noun(lo.level), self.noun(hi.level)
        lead = (f"In place in the view of {lo_noun}, not of {hi_noun}: "
                if lo.share <= 0.5 < hi.share else "")
        return spread, (f"{lead}a barrier to {_pct(hi.share)} of {hi_noun} "
                        f"({hi.n} answering), against {_pct(lo.share)} of {lo_noun} "
                        f"({lo.n}).")

    def noun(self, level: str) -> str:
        if level in NOUNS:
            return NOUNS[level]
        return f"staff at the {self.profiles.staff_levels[level].label} level"

    # ----------------------------------------------------------------- read by findings

    def _pool(self, qis: list[int]) -> list[str]:
        """The shown levels whose cells on every one of these questions are shown."""
        return [lv for lv in self.shown_levels if not any(lv in self.hidden[qi] for qi in qis)]

    def side(self, questions: Sequence[str]) -> tuple[list[str], int, float | None] | None:
        """A finding's side read from the levels its questions are about (the organisation's
        questions from every level): (levels, people answering, share reporting a barrier
        on any of them), or None when fewer than min_group people answered."""
        items = self.profiles.context_items
        index = {q: i for i, q in enumerate(self.questions)}
        qis = [index[q] for q in questions if q in index]
        about = {items[q].level for q in questions if q in items}
        wanted = [lv for lv in self._pool(qis)
                  if "organisation" in about or self.profiles.staff_levels[lv].level in about]
        n = bar = 0
        for r in self.records:
            if r.level not in wanted:
                continue
            answers = [r.answers[qi] for qi in qis if r.answers[qi]]
            if not answers:
                continue
            n += 1
            bar += any(self.barrier_values[qi] is not None and r.answers[qi] in
                       (self.barrier_values[qi] or ()) for qi in qis)
        if n < self.min_group:
            return None
        return wanted, n, round(bar / n, 3)

    def board(self, rules: Sequence[Rule]) -> list[tuple[Rule, int, int]]:
        """(rule, people reporting it, people who could) for each barrier rule that can be
        read from context answers, over the shown levels with its questions shown."""
        index = {q: i for i, q in enumerate(self.questions)}
        out = []
        for rule in rules:
            qs = _context_questions(rule.when)
            if qs is None or not qs or any(q not in index for q in qs):
                continue
            pool = set(self._pool([index[q] for q in qs]))
            group = [r for r in self.records if r.level in pool]
            if len(group) < self.min_group:
                continue
            people = sum(_holds(rule.when, r.answers, index) for r in group)
            out.append((rule, people, len(group)))
        return out


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _context_questions(cond: Condition) -> list[str] | None:
    """The context questions of a condition made only of context answers, else None."""
    if cond.context is not None:
        return [cond.context]
    children = [*(cond.all or []), *(cond.any or []), *([cond.not_] if cond.not_ else [])]
    if not children:
        return None
    out: list[str] = []
    for c in children:
        qs = _context_questions(c)
        if qs is None:
            return None
        out += qs
    return out


def _holds(cond: Condition, answers: bytes, index: dict[str, int]) -> bool:
    """A context-only condition on one sheet's answers (as the rule engine reads it)."""
    if cond.all is not None:
        return all(_holds(c, answers, index) for c in cond.all)
    if cond.any is not None:
        return any(_holds(c, answers, index) for c in cond.any)
    if cond.not_ is not None:
        return not _holds(cond.not_, answers, index)
    assert cond.context is not None
    v = answers[index[cond.context]]
    lo = cond.at_least if cond.at_least is not None else 1
    hi = cond.at_most if cond.at_most is not None else 5
    return bool(v) and lo <= v <= hi


__all__ = ["CAVEAT", "DISAGREE_AT_LEAST", "QIMS_LABEL", "RULE", "Measured"]
