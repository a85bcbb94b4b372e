"""How a cohort's self-ratings compare with its scenario judgement, per group.

Each person who answered scenarios falls in one of four kinds, from the calibration notes
of their own report (assessment/calibration.py): **calibrated** (no note), **generous**
(only "may be generous" notes), **modest** (only "may be modest" notes) or **mixed** (both).
Per group: how many people of each kind, the share of the best-response points the group
earned (its judgement, on its own scale, beside the share random picks earn), and per
competency how many people answered its scenarios, their share of the points, how many
answered beyond chance (below or above the chance band) and how many got each note. The
self-rating and the judgement are never put on one scale or subtracted: a note needs a
judgement beyond chance (assessment/calibration.py). This is where a trainer sees whether
a group tends to rate itself above what its scenario answers show.

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

from ..assessment.calibration import Judged, beyond_chance, chance_share, decode_judgements
from .privacy import Why, hidden_cells, suppress, why
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
    #: per competency position: [people answering its scenarios, generous, modest, points
    #: in thirds, most points in thirds, below the chance band, above it]
    cells: list[list[int]] = field(default_factory=list)

    def add(self, judged: list[Judged]) -> None:
        if not self.cells:
            self.cells = [[0] * 7 for _ in judged]
        self.people += 1
        notes = []
        for cell, j in zip(self.cells, judged, strict=False):
            if j is None:
                continue
            k, thirds, note = j
            notes.append(note)
            cell[0] += 1
            cell[1] += note == "generous"
            cell[2] += note == "modest"
            cell[3] += thirds
            cell[4] += 6 * k
            side = beyond_chance(thirds, k)
            cell[5] += side == "below"
            cell[6] += side == "above"
        self.kinds[kind_of(notes)] += 1


@dataclass
class CalibrationStats:
    overall: Tally = field(default_factory=Tally)
    groups: dict[str, Tally] = field(default_factory=dict)

    def add(self, data: bytes, group: str) -> None:
        if not data:  # answered no scenario
            return
        judged = decode_judgements(data)
        self.overall.add(judged)
        self.groups.setdefault(group, Tally()).add(judged)


def _share(points: int, most: int) -> float | None:
    return round(points / most, 3) if most else None


def _column(key: str, label: str, t: Tally, profiles: Profiles) -> CalibrationColumn:
    comps = []
    for i, (cid, comp) in enumerate(profiles.competencies.items()):
        answered, generous, modest, points, most, below, above = (
            t.cells[i] if i < len(t.cells) else (0,) * 7)
        comps.append(CalibrationCompetency(id=cid, label=comp.label, answered=answered,
                                           share=_share(points, most), below_chance=below,
                                           above_chance=above, generous=generous, modest=modest))
    kinds, share = t.kinds, {k: round(t.kinds[k] / t.people, 3) for k in KINDS}
    return CalibrationColumn(
        group=key, label=label, people=t.people,
        calibrated=kinds["calibrated"], generous=kinds["generous"], modest=kinds["modest"],
        mixed=kinds["mixed"], calibrated_share=share["calibrated"],
        generous_share=share["generous"], modest_share=share["modest"],
        mixed_share=share["mixed"],
        share=_share(sum(c[3] for c in t.cells), sum(c[4] for c in t.cells)),
        competencies=comps)


def calibration_summary(stats: CalibrationStats, labels: dict[str, str], hidden: Collection[str],
                        min_group: int, profiles: Profiles) -> CalibrationSummary | None:
    """The calibration section of `qim cohort`; None when nobody answered scenarios."""
    if stats.overall.people == 0:
        return None
    if stats.overall.people < min_group:
        return CalibrationSummary(
            notice=NOTICE, chance=chance_share(), people=None, columns=[], withheld=[],
            note=f"Fewer than {min_group} people answered scenarios, so no calibration "
                 "figures are shown.")
    sizes = {g: t.people for g, t in stats.groups.items()}
    withheld = hidden_cells(sizes, min_group, already=[g for g in hidden if g in sizes])
    columns = [_column("overall", "Overall", stats.overall, profiles)]
    columns += [_column(g, labels.get(g, g), stats.groups[g], profiles)
                for g in sorted(sizes) if g not in withheld]
    columns = _withhold(columns, len(withheld), min_group)
    note = None
    if withheld:
        note = (f"{', '.join(sorted(labels.get(g, g) for g in withheld))}: not shown on their "
                f"own here (fewer than {min_group} people answered scenarios, or withheld "
                "with such a group); counted in the overall figures.")
    return CalibrationSummary(notice=NOTICE, chance=chance_share(), people=stats.overall.people,
                              columns=columns, withheld=sorted(withheld), note=note)


FIELDS = ("answered", "below_chance", "above_chance", "generous", "modest")


def _withhold(columns: list[CalibrationColumn], hidden_groups: int,
              min_group: int) -> list[CalibrationColumn]:
    """Every count of people below `min_group` withheld (null), with complementary
    suppression: the kinds of a column add up to its people, and the groups of a row to
    the overall figure (groups withheld as a whole count as withheld parts of it)."""
    cells: dict[tuple[str, str, str], int] = {}
    for col in columns:
        for kind, people, _ in col.kinds():
            cells[(col.group, "kind", kind)] = people or 0
        for c in col.competencies:
            for name in FIELDS:
                cells[(col.group, name, c.id)] = getattr(c, name) or 0
    groups = [c.group for c in columns if c.group != "overall"]
    lines: list[list[tuple[str, str, str]]] = [[(col.group, "kind", k) for k in KINDS]
                                                for col in columns]
    rows: list[tuple[str, str]] = [("kind", k) for k in KINDS]
    rows += [(name, c.id) for name in FIELDS for c in columns[0].competencies]
    across = [[(g, name, x) for g in groups] for name, x in rows]
    gone = suppress(cells, lines + across, min_group,
                    {len(lines) + i: hidden_groups for i in range(len(across))})
    out = []
    for col in columns:
        update: dict[str, object] = {}
        reasons: dict[str, Why] = {}
        for kind in KINDS:
            if (col.group, "kind", kind) in gone:
                update[kind] = update[f"{kind}_share"] = None
                reasons[kind] = why(cells[(col.group, "kind", kind)], min_group)
        comps = []
        for c in col.competencies:
            mine: dict[str, object] = {}
            own: dict[str, Why] = {}
            for name in FIELDS:
                if (col.group, name, c.id) in gone:
                    mine[name] = None
                    own[name] = why(cells[(col.group, name, c.id)], min_group)
            if "answered" in mine:
                mine["share"] = None
            comps.append(c.model_copy(update=mine | {"suppressed": True, "withheld": own})
                         if mine else c)
        out.append(col.model_copy(update=update | {"competencies": comps, "withheld": reasons}))
    return out
