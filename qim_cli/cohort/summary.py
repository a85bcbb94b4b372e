"""The cohort summary of `qim cohort` (results.CohortSummary): what the accumulators of
`stats.py` counted, put together under the privacy rule, with the notes that say what
was withheld and why.

**Privacy** (the rule lives in `privacy.py`): a group with fewer than ``min_group``
people is not shown on its own (its people still count in the overall figures). When
exactly one group would be hidden, the smallest shown group is hidden too, so that the
hidden one cannot be worked out by subtracting the shown groups from the overall figures.
If the whole cohort is smaller than ``min_group``, nothing is shown.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..framework.study import AUTHORS_SUGGESTION
from ..printable import one_line
from .alignment import Measured
from .calibration import calibration_summary
from .groups import GroupBy, group_label
from .inference import ALPHA_MIN_N, feldt_interval
from .organisation import organisation_key, organisation_view, organisations
from .privacy import DEFAULT_MIN_GROUP, Why, fewer_than, privacy, suppress, suppressed_groups, why
from .proposal import propose
from .reliability import LOW_ITEM_TOTAL, reliability, withheld
from .results import (
    Agreement,
    BelowTarget,
    CohortSummary,
    CompetencySummary,
    GroupSummary,
    ItemTotal,
    Reliability,
    ReliabilityRow,
    Standard,
    TrainingNeed,
)

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from ..sheets.context import ContextRecord
    from .stats import Cohort, GroupStats


def summarise(cohort: Cohort, min_group: int = DEFAULT_MIN_GROUP, *, title: str | None = None,
              on: str | None = None) -> CohortSummary:
    """The cohort, with small groups withheld (see the module doc).

    `title` names the cohort in the reports; `on` is the report's date (ISO, default today).
    """
    prof = cohort.profiles
    small, secondary = suppressed_groups({k: g.n for k, g in cohort.groups.items()}, min_group)
    hidden = set(small) | set(secondary)
    shown = cohort.overall.n >= min_group
    named = {k: group_label(prof, cohort.by, k) for k in cohort.groups}
    notes = privacy_notes([named[k] for k in small], [named[k] for k in secondary], min_group,
                          shown=shown)
    notes += repeated_notes(cohort.left_out, sum(1 for k in cohort.ids.values() if k > 1),
                            min_group)
    agreement, agreement_notes = _agreement(cohort.agreement, min_group)
    notes += agreement_notes
    keys = [k for k in sorted(cohort.groups) if k not in hidden] if shown else []
    cols = {"overall": cohort.overall, **{k: cohort.groups[k] for k in keys}} if shown else {}
    withheld = _withheld_cells(cols, len(hidden), min_group, prof)
    overall = (_group("overall", "Overall", cohort.overall, prof, withheld, min_group)
               if shown else None)
    groups = [_group(key, group_label(prof, cohort.by, key), cohort.groups[key], prof, withheld,
                     min_group) for key in keys]
    labels = {k: group_label(prof, cohort.by, k) for k in cohort.calibration.groups}
    contexts: dict[str, list[ContextRecord]] = {}
    for r in cohort.contexts:
        contexts.setdefault(organisation_key(r.organisation), []).append(r)
    several = len(set(cohort.by_org.groups) | set(contexts)) > 1
    measured = (Measured(cohort.contexts, prof, min_group)
                if cohort.contexts and not several else None)
    if shown and several:
        notes.append("The sheets name more than one organisation: each organisation's view "
                     "is shown on its own, and the view of the whole cohort is the QIMs' "
                     "perception (the levels' own answers are compared within an "
                     "organisation, never across them).")
    return CohortSummary(
        title=one_line(title) or None if title is not None else None,
        date=dt.date.fromisoformat(on) if on else dt.date.today(),
        agreement=agreement,
        by=cohort.by.value,
        min_group=min_group,
        privacy=privacy(min_group),
        n=cohort.overall.n if shown else None,
        framework_version=prof.version,
        standard=standard(prof),
        overall=overall,
        groups=groups,
        suppressed=sorted(hidden),
        reliability=_reliability(cohort, min_group, hidden) if shown else None,
        low_item_total=LOW_ITEM_TOTAL,
        organisation=organisation_view(cohort.org, [g.group for g in groups], hidden,
                                       min_group, measured) if shown else None,
        organisations=organisations(cohort.by_org, contexts, min_group)
        if shown and several else [],
        notes=notes,
        most_below=most_below(overall, prof),
        proposal=propose(cohort.needs, min_group) if shown else None,
        calibration=calibration_summary(cohort.calibration, labels, hidden, min_group,
                                        prof) if shown else None,
    )


def standard(profiles: Profiles) -> Standard:
    """The role standard that every "below target" counts against (qim's convention)."""
    st = profiles.standard
    return Standard(label=st.label, basis=st.basis, framework_version=profiles.version)


def authors_note(profiles: Profiles, cid: str) -> str | None:
    """What a cohort list says of a competency the QIMs interviewed did not name."""
    comp = profiles.competencies.get(cid)
    return AUTHORS_SUGGESTION if comp is not None and comp.origin == "authors" else None


def most_below(overall: GroupSummary | None, profiles: Profiles, top: int = 3) -> list[BelowTarget]:
    """The competencies with the largest share of people below target (none at 0%)."""
    if overall is None:
        return []
    comps = [c for c in overall.competencies
             if c.below_target_share and c.below_target is not None and c.n is not None]
    comps.sort(key=lambda c: (-(c.below_target_share or 0.0), -(c.mean is None), c.label))
    return [BelowTarget(id=c.id, label=c.label, below_target=c.below_target or 0, n=c.n or 0,
                        share=c.below_target_share or 0.0, note=authors_note(profiles, c.id))
            for c in comps[:top]]


# --------------------------------------------------------------------------- sections


#: a cell of the cohort's tables: (column, "n" | "below" | "training", competency or training)
Cell = tuple[str, str, str]


def _withheld_cells(cols: dict[str, GroupStats], hidden_groups: int, min_group: int,
                    profiles: Profiles) -> set[Cell]:
    """The counts of people to withhold in the competency and training tables: each below
    `min_group`; a count whose complement in its column (the people scored and not below
    target, the people of the group not recommended the training) is below it, since the
    one gives the other; and a complement in every row whose groups add up to the overall
    figure (the groups withheld as a whole count as withheld parts of that row)."""
    cells: dict[Cell, int] = {}
    trainings = sorted({t for g in cols.values() for t in g.trainings})
    # each shown count with its complement in the column (never shown): the people scored
    # and not below target, the people not recommended a training
    pairs: list[list[Cell]] = []
    for key, g in cols.items():
        for cid in profiles.competencies:
            st = g.competencies.get(cid)
            cells[(key, "n", cid)] = st.n if st else 0
            cells[(key, "below", cid)] = st.below if st else 0
            cells[(key, "not below", cid)] = st.n - st.below if st else 0
            pairs.append([(key, "below", cid), (key, "not below", cid)])
        for tid in trainings:
            cells[(key, "training", tid)] = g.trainings.get(tid, 0)
            cells[(key, "not training", tid)] = g.n - g.trainings.get(tid, 0)
            pairs.append([(key, "training", tid), (key, "not training", tid)])
    groups = [k for k in cols if k != "overall"]
    rows = [(kind, x) for kind in ("n", "below", "not below") for x in profiles.competencies]
    rows += [(kind, t) for kind in ("training", "not training") for t in trainings]
    lines = [[(k, kind, x) for k in groups] for kind, x in rows]
    return suppress(cells, lines + pairs, min_group,
                    dict.fromkeys(range(len(lines)), hidden_groups))


def _group(key: str, label: str, g: GroupStats, profiles: Profiles,
           withheld: set[Cell], min_group: int) -> GroupSummary:
    comps = []
    for cid, comp in profiles.competencies.items():
        s = g.competencies.get(cid)
        no_n, no_below = (key, "n", cid) in withheld, (key, "below", cid) in withheld
        n, below = (s.n, s.below) if s else (0, 0)
        reasons: dict[str, Why] = {}
        if no_n:
            reasons["n"] = why(n, min_group)
        if no_n or no_below:
            reasons["below_target"] = why(below, min_group) if no_below else "complement"
        comps.append(CompetencySummary(
            id=cid, label=comp.label, n=None if no_n else n,
            mean=s.mean if s and not no_n else None,
            median=s.median if s and not no_n else None,
            below_target=None if no_n or no_below else below,
            below_target_share=s.below_share if s and not (no_n or no_below) else None,
            note=authors_note(profiles, cid), suppressed=no_n or no_below, withheld=reasons))
    # a training recommended in another column but to nobody here is a withheld count too
    counts = {t: g.trainings.get(t, 0) for (k, kind, t) in withheld
              if k == key and kind == "training"} | dict(g.trainings)
    needs = []
    for tid, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        gone = (key, "training", tid) in withheld
        needs.append(TrainingNeed(id=tid, title=profiles.trainings[tid].title,
                                  people=None if gone else count,
                                  share=None if gone else round(count / g.n, 3),
                                  suppressed=gone,
                                  withheld={"people": why(count, min_group)} if gone else {}))
    return GroupSummary(group=key, label=label, n=g.n, competencies=comps, training_needs=needs)


#: why alpha is given per background group, and what it is not
RELIABILITY_BASIS = (
    "Cronbach's alpha within each background group, with Feldt's 95% interval. It is not "
    "computed over the whole cohort: pooling groups whose means differ counts the "
    "difference between the groups as agreement between the items and inflates alpha, so "
    "a pooled figure would describe the mix of the cohort, not the scale. Below "
    f"{ALPHA_MIN_N} people in a group alpha is withheld and no item is flagged: sample "
    "alpha is biased and unstable in small samples (Yurdugul, 2008), and about 30 is a "
    "common floor (Bujang, Omar and Baharum, 2018); qim's own choice of floor.")


def synthetic_note(k: int, n: int) -> str | None:
    """What a reliability figure drawn from made-up sheets must say."""
    if not k:
        return None
    which = "every sheet of this cohort says it is" if k == n else f"{k} of its {n} sheets say they are"
    return (f"Synthetic data: {which} made up (synthetic = true), "
            "not real people's answers. These reliability figures show how qim computes "
            "them; they are no evidence about qim's questions.")


def _reliability(cohort: Cohort, min_group: int, hidden: set[str]) -> Reliability:
    """Alpha per background group and competency (see reliability.py's module doc)."""
    prof = cohort.profiles
    private = hidden if cohort.by is GroupBy.background else set()
    rows = []
    for key in sorted(cohort.item_sums):
        label = group_label(prof, GroupBy.background, key)
        for cid, sums in cohort.item_sums[key].items():
            k = len(sums.items)
            if key in private:
                r = withheld(sums, cid, ALPHA_MIN_N, "the group is not shown (privacy)")
            elif sums.n < ALPHA_MIN_N:
                r = withheld(sums, cid, ALPHA_MIN_N)
            else:
                r = reliability(sums, cid)
            ci = feldt_interval(r.alpha, r.n, k) if r.alpha is not None else None
            sd = sums.score_sd() if r.alpha is not None else None
            rows.append(ReliabilityRow(
                group=key, group_label=label, competency=cid, label=prof.competencies[cid].label,
                n=r.n if r.n >= min_group and key not in private else None, items=k,
                alpha=r.alpha, ci_low=None if ci is None else round(ci.low, 2),
                ci_high=None if ci is None else round(ci.high, 2),
                sd=None if sd is None else round(sd, 2),
                item_total=[ItemTotal(item=it.item, text=prof.items[it.item][1].text, r=it.r,
                                      low=it.low) for it in r.items],
                flagged=r.flagged, note=r.note))
    none = None
    if not any(r.alpha is not None for r in rows):
        none = (f"No alpha is shown: no background group has {ALPHA_MIN_N} people who answered "
                "every item of a competency, and below that alpha is too unstable to judge "
                "the questions by (and no item is flagged).")
    return Reliability(min_n=ALPHA_MIN_N, basis=RELIABILITY_BASIS, synthetic=cohort.synthetic,
                       note=synthetic_note(cohort.synthetic, cohort.overall.n), withheld=none,
                       rows=rows)


def _agreement(agree: Agreement | None, min_group: int) -> tuple[Agreement | None, list[str]]:
    """360° agreement as shown (its competencies withheld when too few people qualify, a
    row or a count withheld when it rests on fewer than --min-group people), and the notes
    that say so."""
    if agree is None or not agree.ratings:
        return None, []
    notes = []
    people = max((row.people or 0 for row in agree.competencies), default=0)
    if people < min_group:
        notes.append(f"360 agreement is not shown: fewer than {min_group} people have a "
                     f"self-assessment and at least {agree.min_raters} colleague ratings.")
        agree = agree.model_copy(update={"competencies": []})
    rows = []
    for row in agree.competencies:
        if (row.people or 0) < min_group:
            row = row.model_copy(update=dict.fromkeys(
                ("people", "self_mean", "others_mean", "difference_mean", "abs_difference_mean",
                 "self_higher", "hidden_strengths", "correlation")) | {
                "suppressed": True, "withheld": {"people": "fewer", "self_higher": "complement",
                                                 "hidden_strengths": "complement"}})
        for name in ("self_higher", "hidden_strengths"):
            value = getattr(row, name)
            if value is not None and value < min_group:
                row = row.model_copy(update={name: None, "suppressed": True,
                                             "withheld": row.withheld | {name: "fewer"}})
        rows.append(row)
    agree = agree.model_copy(update={"competencies": rows})
    if agree.unmatched:
        k = agree.unmatched
        many = k >= min_group
        notes.append(f"{k if many else fewer_than(min_group).capitalize()} rated "
                     f"{'people' if k > 1 or not many else 'person'} had no self-assessment in "
                     "the cohort; their ratings are not used.")
    return agree, notes


# --------------------------------------------------------------------------- notes


def privacy_notes(small: list[str], secondary: list[str], min_group: int, *,
                  shown: bool) -> list[str]:
    """What the privacy rule withheld: small groups, their complement, or everything."""
    notes = []
    if small:
        many = len(small) > 1
        notes.append(
            f"{len(small)} group{'s' if many else ''} with fewer than {min_group} people "
            f"{'are' if many else 'is'} not shown on {'their' if many else 'its'} own "
            f"({', '.join(small)}); their people are counted in the overall figures."
        )
    if secondary:
        notes.append(
            f"{', '.join(secondary)} is not shown either, so that the hidden group cannot "
            "be worked out from the overall figures."
        )
    if not shown:
        notes.append(
            f"The cohort has fewer than {min_group} people, so no figures are shown "
            "(lower --min-group to see them)."
        )
    return notes


def repeated_notes(left_out: int, repeated: int, min_group: int) -> list[str]:
    """Respondent ids in more than one sheet: left out by the batch (`left_out`), or
    counted once per sheet (`repeated`, a cohort built without the batch); a count of
    fewer than `min_group` ids reads "fewer than N"."""
    notes = []
    if left_out:
        k = left_out
        many = k > 1 or k < min_group
        ids = f"{k if k >= min_group else fewer_than(min_group).capitalize()} respondent id"
        notes.append(
            f"{ids}{'s' if many else ''} appear{'' if many else 's'} in more "
            f"than one sheet; {'their' if many else 'its'} sheets are left out, because which "
            "one is right cannot be known (keep one sheet per person)."
        )
    if repeated:
        k = repeated
        many = k > 1 or k < min_group
        ids = f"{k if k >= min_group else fewer_than(min_group).capitalize()} respondent id"
        notes.append(
            f"{ids}{'s' if many else ''} appear{'' if many else 's'} "
            "in more than one sheet; each sheet counts as one person (compare before/after "
            "sheets with qim compare-cohort instead)."
        )
    return notes
