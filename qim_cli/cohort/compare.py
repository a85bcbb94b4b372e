"""`qim compare-cohort`: a programme's before and after, two sets of answer sheets paired
by respondent id (the document: `CohortComparison`).

People are paired by ``respondent.id`` only, never by a guess; an id that appears more
than once within one set cannot be paired and is left out (and counted). Over the paired
people, per competency (people scored both times):

* the mean before and after, and the **mean change** (after − before);
* a **95% confidence interval** of the mean change from the paired t distribution
  (``scipy.stats.ttest_rel``), and its p value;
* two **effect sizes**, each named (Lakens, 2013; cohort/inference.py): **d_z**, the mean
  change over the SD of the changes ("how consistent was the change across people"), and
  **d_av**, the mean change over the average of the SDs before and after (the change on
  the scale of differences between people). When before and after correlate highly, d_z
  is much larger than d_av: a small, consistent shift;
* the p values of a family of competencies are **Holm-adjusted** (Holm, 1979): the ten
  competencies of the overall table are one family, each group's ten another. With ten
  tests at 5%, one "significant" change is expected by chance about every other time;
  the adjusted p keeps the chance of even one false finding in the family at 5%;
* how many people **changed beyond measurement error**, up and down (the reliable change
  index of Jacobson & Truax, each competency's SEM from ``profiles/precision.toml``); a
  count of fewer than ``min_group`` people is withheld;
* the **share at target** before and after, each against the target for the person's
  career stage at that time: at or above it, or below it within measurement error
  (`Record.below_target`), as `qim compare` and the person's report count it.

The needs resolved, the barriers resolved and the share at target select people on
their first score (who needed a training, who reported a barrier, who was below target
then): such figures move towards improvement even when nothing changed, because a
first score that was low partly by chance tends to be higher the next time (regression
to the mean). Every output says so beside them (``SELECTION_CAUTION``). The mean change
of everyone paired selects no one and is not subject to it.

Then the change in training needs (resolved, new: a barrier never removes a need, so a
need that is gone is resolved) and in organisational barriers, and the same competency figures per
group (``--by``, the group a person was in before) under the cohort privacy rule.

What this design cannot show is said in `LIMITATIONS`, and every output carries it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ..assessment.precision import reliable_change, sem
from .compare_results import (
    BarrierChange,
    ChangeRow,
    CohortComparison,
    Counts,
    GroupChange,
    NeedChange,
    OrganisationChange,
)
from .groups import NOT_GIVEN, GroupBy, group_key, group_label
from .inference import PairedChange, holm, paired_change, paired_change_p
from .privacy import (
    fewer_than,
    hidden_cells,
    privacy,
    suppressed_groups,
    withhold,
)
from .results import Standard

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from .records import Record

_M = TypeVar("_M", NeedChange, BarrierChange)
CONFIDENCE = 0.95
__all__ = ["PairedChange", "paired_change"]  # (their home is inference.py)
EFFECT_SIZE = ("d_z, the mean change over the standard deviation of the changes; d_av, the "
               "mean change over the average of the standard deviations before and after "
               "(Lakens, 2013)")
SELECTION_CAUTION = (
    "These figures pick people by their first score (who needed a training, who reported a "
    "barrier, who was below target then). A first score that was low partly by chance tends "
    "to be higher the next time even when nothing changed (regression to the mean), so they "
    "flatter the programme; the mean change of everyone paired does not.")
LIMITATIONS = (
    "No control group: people also change through their work, time and other changes in "
    "the organisation over the same months, so the change cannot be put down to the "
    "programme alone.",
    "Self-ratings: both sheets are people's own ratings. A programme can change how people "
    "judge themselves (often more strictly once they know what good looks like) without "
    "any change in what they do; colleagues' 360° ratings are a check on this.",
    "Regression to the mean: the figures that pick people by their first score (needs "
    "resolved, barriers resolved, the share at target) improve even without a programme, "
    "because the lowest first scores tend to be higher the next time; the mean change of "
    "everyone paired picks no one and is not subject to it.",
    "Only people who answered both times are compared. Those who left may differ from "
    "those who stayed, and those who joined are not counted at all.",
    "The confidence interval reflects only the chance in which people happened to take "
    "part; it does not correct for any of the above.",
)


# --------------------------------------------------------------------------- people


@dataclass(slots=True)
class Snapshot:
    """One person at one time: what the comparison needs, nothing more."""

    group: str
    organisation: str
    scores: tuple[float | None, ...]
    at_target: tuple[bool | None, ...]
    needs: frozenset[str]
    barriers: frozenset[str]


def snapshot(rec: Record, comps: list[str], by: GroupBy) -> Snapshot:
    return Snapshot(
        group=group_key(rec, by),
        organisation=group_key(rec, GroupBy.organisation),
        scores=tuple(rec.scores.get(c) for c in comps),
        # at target, or below it within measurement error (as `qim compare` counts one person)
        at_target=tuple(None if (below := rec.below(c)) is None else not below for c in comps),
        needs=frozenset(rec.recommendations),
        barriers=frozenset(rec.barriers),
    )


def _collect(records: Iterable[Record], comps: list[str],
             by: GroupBy) -> tuple[dict[str, Snapshot], int, int]:
    """(snapshots by id for ids seen once, number of sheets, number of repeated ids)."""
    seen: dict[str, Snapshot] = {}
    repeated: set[str] = set()
    total = 0
    for rec in records:
        total += 1
        if rec.id in seen or rec.id in repeated:
            repeated.add(rec.id)
            seen.pop(rec.id, None)
            continue
        seen[rec.id] = snapshot(rec, comps, by)
    return seen, total, len(repeated)


# --------------------------------------------------------------------------- statistics


def _share(flags: list[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    return round(sum(known) / len(known), 3) if known else None


def _shown_count(k: int, min_group: int) -> int | None:
    """A count of people as shown: withheld (None) when 1 to min_group - 1."""
    return None if 0 < k < min_group else k


def _competency_rows(pairs: list[tuple[Snapshot, Snapshot]], profiles: Profiles,
                     min_group: int) -> list[ChangeRow]:
    rows, raw_p = [], []
    for i, (cid, comp) in enumerate(profiles.competencies.items()):
        both = [(b, a, bs, as_) for b, a in pairs
                if (bs := b.scores[i]) is not None and (as_ := a.scores[i]) is not None]
        olds, news = [bs for _, _, bs, _ in both], [as_ for _, _, _, as_ in both]
        change, p = paired_change_p(olds, news)
        raw_p.append(p)
        prec = profiles.precision_of(cid)
        error = sem(prec.sd, prec.reliability)
        verdicts = [reliable_change(o, n, error) for o, n in zip(olds, news, strict=True)]
        up = sum(v.beyond and v.change > 0 for v in verdicts)
        down = sum(v.beyond and v.change < 0 for v in verdicts)
        rows.append(ChangeRow(
            id=cid, label=comp.label, n=len(both), **change.model_dump(), p_holm=None,
            reliable_up=_shown_count(up, min_group),
            reliable_down=_shown_count(down, min_group),
            at_target_before=_share([b.at_target[i] for b, _, _, _ in both]),
            at_target_after=_share([a.at_target[i] for _, a, _, _ in both]),
            suppressed=False))
    adjusted = holm(raw_p)
    return [r.model_copy(update={"p_holm": None if q is None else round(q, 4)})
            for r, q in zip(rows, adjusted, strict=True)]


def _withheld(row: ChangeRow) -> ChangeRow:
    """The row with every figure withheld."""
    return ChangeRow(id=row.id, label=row.label, n=None, before_mean=None, after_mean=None,
                     change_mean=None, change_sd=None, ci_low=None, ci_high=None, p=None,
                     p_holm=None, d_z=None, d_av=None, reliable_up=None, reliable_down=None,
                     at_target_before=None, at_target_after=None, suppressed=True)


def adjustment_words(rows: list[ChangeRow]) -> str:
    """How a table's p values are adjusted, with the size of its family."""
    k = sum(r.p is not None for r in rows)
    return (f"Holm's step-down adjustment over the family of {k} competencies with a p value "
            "in the overall table (each group's table is its own family): it keeps the chance "
            "of even one false \"significant\" change in a family at 5%, so a lone change with "
            "p < 0.05 but an adjusted p above it is not a finding")


# --------------------------------------------------------------------------- the comparison


def compare_cohorts(
    before: Iterable[Record], after: Iterable[Record], profiles: Profiles,
    by: GroupBy = GroupBy.background, min_group: int = 5, *,
    left_out: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (0, 0)),
) -> CohortComparison:
    """The programme's before and after (see the module doc).

    `left_out` is, before and after, (respondent ids, sheets) that the batch already left
    out as repeated (cohort/runner.py): they are counted as if they had been given here.
    """
    comps = list(profiles.competencies)
    old, n_old, rep_old = _collect(before, comps, by)
    new, n_new, rep_new = _collect(after, comps, by)
    (ids_old, sheets_old), (ids_new, sheets_new) = left_out
    counts = Counts(before=n_old + sheets_old, after=n_new + sheets_new,
                    paired=len(set(old) & set(new)), only_before=len(set(old) - set(new)),
                    only_after=len(set(new) - set(old)), repeated_before=rep_old + ids_old,
                    repeated_after=rep_new + ids_new)
    pairs = [(old[i], new[i]) for i in sorted(set(old) & set(new))]
    notes = _repeated_notes(counts, min_group)
    shown = len(pairs) >= min_group
    if not shown:
        notes.append(f"Fewer than {min_group} people are paired, so no figures are shown "
                     "(lower --min-group to see them).")
    overall = _competency_rows(pairs, profiles, min_group)
    groups: list[GroupChange] = []
    hidden: set[str] = set()
    if shown:
        groups, hidden, group_notes = _groups(pairs, profiles, by, min_group)
        overall = [_at_target(r, min_group) for r in overall]
        groups = [g.model_copy(update={"competencies": [_at_target(r, min_group)
                                                        for r in g.competencies]})
                  for g in groups]
        notes += group_notes
    else:
        overall = [_withheld(r) for r in overall]
    needs, barriers = _needs_and_barriers(pairs, profiles) if shown else ([], [])
    st = profiles.standard
    return CohortComparison(
        kind="programme",
        framework_version=profiles.version,
        standard=Standard(label=st.label, basis=st.basis, framework_version=profiles.version),
        by=by.value,
        min_group=min_group,
        privacy=privacy(min_group),
        confidence=CONFIDENCE,
        effect_size=EFFECT_SIZE,
        adjustment=adjustment_words(overall),
        reliability=f"{profiles.precision.label} (the profile set's precision.toml)",
        selection_caution=SELECTION_CAUTION,
        counts=_counts(counts, min_group),
        competencies=overall,
        training_needs=[_changes(t, len(pairs), min_group) for t in needs],
        barriers=[_changes(b, len(pairs), min_group) for b in barriers],
        organisations=_organisations(pairs, profiles, min_group) if shown else [],
        groups=groups,
        suppressed=sorted(hidden),
        limitations=list(LIMITATIONS),
        notes=notes,
    )


def _repeated_notes(counts: Counts, min_group: int) -> list[str]:
    notes = []
    for when, k in (("before", counts.repeated_before), ("after", counts.repeated_after)):
        if k:
            many = k > 1 or k < min_group
            ids = f"{k} respondent id" if k >= min_group else \
                f"{fewer_than(min_group).capitalize()} respondent id"
            notes.append(f"{ids}{'s' if many else ''} appear{'' if many else 's'} "
                         f"more than once {when}; {'they are' if many else 'it is'} not paired, "
                         "because which sheet belongs with which cannot be known.")
    return notes


# --------------------------------------------------------------------------- small counts


def _counts(c: Counts, min_group: int) -> Counts:
    """Every count below `min_group` withheld; the paired and the left (or the joined) add
    up to the sheets of a set, so one withheld count takes the other with it. The ids
    repeated within a set (sheets left out as the data's fault, named on standard error
    to whoever ran it) are withheld when small but take no complement."""
    cells = {k: v or 0 for k, v in c.model_dump(exclude={"withheld"}).items()}
    return withhold(c, cells, [["paired", "only_before"], ["paired", "only_after"]], min_group)


def _changes(row: _M, paired: int, min_group: int) -> _M:
    """A training's or a barrier's people: after = before - resolved + new, and the
    paired people not counted before (or after) are a complement."""
    cells = {"before": row.before or 0, "after": row.after or 0, "resolved": row.resolved or 0,
             "new": row.new or 0, "not before": paired - (row.before or 0),
             "not after": paired - (row.after or 0)}
    return withhold(row, cells, [["before", "after", "resolved", "new"],
                                 ["before", "not before"], ["after", "not after"]], min_group)


def _at_target(row: ChangeRow, min_group: int) -> ChangeRow:
    """A share at target withheld when the people at target, or not, are below `min_group`."""
    if row.n is None:
        return row
    cells = {}
    for name in ("at_target_before", "at_target_after"):
        value = getattr(row, name)
        if value is not None:
            cells[name] = round(value * row.n)
            cells["not " + name] = row.n - cells[name]
    return withhold(row, cells, [[k, "not " + k] for k in cells if not k.startswith("not ")],
                    min_group)


def _groups(pairs: list[tuple[Snapshot, Snapshot]], profiles: Profiles, by: GroupBy,
            min_group: int) -> tuple[list[GroupChange], set[str], list[str]]:
    """The groups shown (by the group people were in before), those hidden as a whole, and
    the note that says so; a competency of a shown group is withheld when too few of its
    people were scored both times."""
    by_group: dict[str, list[tuple[Snapshot, Snapshot]]] = {}
    for b, a in pairs:
        by_group.setdefault(b.group, []).append((b, a))
    small, secondary = suppressed_groups({g: len(p) for g, p in by_group.items()}, min_group)
    hidden = set(small) | set(secondary)
    notes = []
    if small:
        named = [group_label(profiles, by, g) for g in small]
        also = [group_label(profiles, by, g) for g in secondary]
        notes.append(f"Groups with fewer than {min_group} paired people are not shown on "
                     f"their own ({', '.join(named)})"
                     + (f", nor is {', '.join(also)}, so that they cannot be worked "
                        "out from the overall figures" if secondary else "") + ".")
    rows = {g: _competency_rows(p, profiles, min_group) for g, p in by_group.items()}
    for i in range(len(profiles.competencies)):
        cell_hidden = hidden_cells({g: r[i].n or 0 for g, r in rows.items()}, min_group, hidden)
        for g in rows:
            if g in cell_hidden:
                rows[g][i] = _withheld(rows[g][i])
    groups = [GroupChange(group=g, label=group_label(profiles, by, g), n=len(by_group[g]),
                          competencies=rows[g]) for g in sorted(rows) if g not in hidden]
    return groups, hidden, notes


def _organisations(pairs: list[tuple[Snapshot, Snapshot]], profiles: Profiles,
                   min_group: int) -> list[OrganisationChange]:
    """Each organisation's barriers before and after, when the pairs name more than one."""
    by_org: dict[str, list[tuple[Snapshot, Snapshot]]] = {}
    for b, a in pairs:
        by_org.setdefault(b.organisation, []).append((b, a))
    if len(by_org) < 2:
        return []
    small, secondary = suppressed_groups({k: len(v) for k, v in by_org.items()}, min_group)
    hidden = set(small) | set(secondary)
    return [OrganisationChange(
                organisation=k, label="Not given" if k == NOT_GIVEN else k,
                n=None if k in hidden else len(by_org[k]), suppressed=k in hidden,
                reason="fewer_than_min_group" if k in small
                else "complementary" if k in hidden else None,
                barriers=[] if k in hidden else [_changes(b, len(by_org[k]), min_group)
                                                 for b in _needs_and_barriers(by_org[k], profiles)[1]])
            for k in sorted(by_org, key=lambda k: (k == NOT_GIVEN, k.casefold(), k))]


def _needs_and_barriers(pairs: list[tuple[Snapshot, Snapshot]],
                        profiles: Profiles) -> tuple[list[NeedChange], list[BarrierChange]]:
    tally: dict[str, Counter[str]] = {}
    for b, a in pairs:
        for tid in b.needs | a.needs:
            c = tally.setdefault(tid, Counter())
            c["before"] += tid in b.needs
            c["after"] += tid in a.needs
            if tid in b.needs and tid not in a.needs:
                c["resolved"] += 1
            if tid in a.needs and tid not in b.needs:
                c["new"] += 1
    needs = [
        NeedChange(id=tid, title=profiles.trainings[tid].title, before=c["before"],
                   after=c["after"], resolved=c["resolved"], new=c["new"])
        for tid, c in sorted(tally.items(), key=lambda kv: (-kv[1]["before"], -kv[1]["after"], kv[0]))
    ]
    barriers = []
    for rule in profiles.rules:
        if rule.kind != "barrier":
            continue
        before = sum(rule.id in b.barriers for b, _ in pairs)
        after = sum(rule.id in a.barriers for _, a in pairs)
        resolved = sum(rule.id in b.barriers and rule.id not in a.barriers for b, a in pairs)
        new = sum(rule.id in a.barriers and rule.id not in b.barriers for b, a in pairs)
        if before or after:
            barriers.append(BarrierChange(rule=rule.id, title=rule.title, before=before,
                                          after=after, resolved=resolved, new=new))
    return needs, barriers
