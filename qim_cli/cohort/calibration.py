"""How a cohort's self-ratings compare with its scenario judgement, per group.

Each person who answered scenarios falls in one of four kinds, from the calibration notes
of their own report (assessment/calibration.py): **calibrated** (no note), **generous**
(only "may be generous" notes), **modest** (only "may be modest" notes) or **mixed** (both).
Per group: how many people of each kind, the mean difference between self-rating and
scenario judgement (positive: self-ratings above the judgement), and per competency how
many people were compared, their mean difference and how many got each note. This is where
a trainer sees whether a group tends to rate itself above its scenario judgement.

Privacy follows `privacy.py`: a group hidden elsewhere in the cohort report is hidden here
too; a group with fewer than ``min_group`` people who answered scenarios is withheld (and
another with it when it would be the only one withheld); nothing is shown when fewer than
``min_group`` people in the whole cohort answered scenarios.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..assessment.calibration import MARKED, decode_differences, note_of_hundredths
from .privacy import hidden_cells
from .results import KINDS, CalibrationColumn, CalibrationCompetency, CalibrationKind, CalibrationSummary

if TYPE_CHECKING:
    from ..framework.profiles import Profiles

NOTICE = ("Scenario judgement is a reflection aid, not a validated test: these figures show "
          "where a group's self-ratings and its answers to a few scenarios disagree, as a "
          "prompt for discussion. They never change a score.")


def kind_of(notes: Collection[str | None]) -> CalibrationKind:
    generous, modest = "generous" in notes, "modest" in notes
    return "mixed" if generous and modest else "generous" if generous else \
        "modest" if modest else "calibrated"


@dataclass
class Tally:
    """One group's counts and sums (streaming: a few integers per competency)."""

    people: int = 0
    kinds: Counter[CalibrationKind] = field(default_factory=Counter)
    #: per competency position: [compared, generous, modest, sum of differences (hundredths)]
    cells: list[list[int]] = field(default_factory=list)

    def add(self, diffs: list[int | None]) -> None:
        if not self.cells:
            self.cells = [[0, 0, 0, 0] for _ in diffs]
        self.people += 1
        notes = []
        for cell, diff in zip(self.cells, diffs, strict=False):
            if diff is None:
                continue
            note = note_of_hundredths(diff)
            notes.append(note)
            cell[0] += 1
            cell[1] += note == "generous"
            cell[2] += note == "modest"
            cell[3] += diff
        self.kinds[kind_of(notes)] += 1


@dataclass
class CalibrationStats:
    overall: Tally = field(default_factory=Tally)
    groups: dict[str, Tally] = field(default_factory=dict)

    def add(self, data: bytes, group: str) -> None:
        if not data:  # answered no scenario
            return
        diffs = decode_differences(data)
        self.overall.add(diffs)
        self.groups.setdefault(group, Tally()).add(diffs)


def _mean(total: int, n: int) -> float | None:
    return round(total / n / 100, 2) if n else None


def _column(key: str, label: str, t: Tally, profiles: Profiles) -> CalibrationColumn:
    comps = []
    for i, (cid, comp) in enumerate(profiles.competencies.items()):
        compared, generous, modest, total = t.cells[i] if i < len(t.cells) else (0, 0, 0, 0)
        comps.append(CalibrationCompetency(id=cid, label=comp.label, compared=compared,
                                           mean_difference=_mean(total, compared),
                                           generous=generous, modest=modest))
    n = sum(c[0] for c in t.cells)
    kinds, share = t.kinds, {k: round(t.kinds[k] / t.people, 3) for k in KINDS}
    return CalibrationColumn(
        group=key, label=label, people=t.people,
        calibrated=kinds["calibrated"], generous=kinds["generous"], modest=kinds["modest"],
        mixed=kinds["mixed"], calibrated_share=share["calibrated"],
        generous_share=share["generous"], modest_share=share["modest"],
        mixed_share=share["mixed"], mean_difference=_mean(sum(c[3] for c in t.cells), n),
        competencies=comps)


def calibration_summary(stats: CalibrationStats, labels: dict[str, str], hidden: Collection[str],
                        min_group: int, profiles: Profiles) -> CalibrationSummary | None:
    """The calibration section of `qim cohort`; None when nobody answered scenarios."""
    if stats.overall.people == 0:
        return None
    if stats.overall.people < min_group:
        return CalibrationSummary(
            notice=NOTICE, marked=MARKED, people=None, columns=[], withheld=[],
            note=f"Fewer than {min_group} people answered scenarios, so no calibration "
                 "figures are shown.")
    sizes = {g: t.people for g, t in stats.groups.items()}
    withheld = hidden_cells(sizes, min_group, already=[g for g in hidden if g in sizes])
    columns = [_column("overall", "Overall", stats.overall, profiles)]
    columns += [_column(g, labels.get(g, g), stats.groups[g], profiles)
                for g in sorted(sizes) if g not in withheld]
    note = None
    if withheld:
        note = (f"{', '.join(sorted(withheld))}: not shown on their own here (fewer than "
                f"{min_group} people answered scenarios, or withheld with such a group); "
                "counted in the overall figures.")
    return CalibrationSummary(notice=NOTICE, marked=MARKED, people=stats.overall.people,
                              columns=columns, withheld=sorted(withheld), note=note)
