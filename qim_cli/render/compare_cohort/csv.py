"""A programme's before and after as CSV in long format: section is ``privacy`` (first:
id ``not_for_sharing`` with the mark when --min-group is below qim's default; id ``rule``,
n = --min-group: a count of fewer people is empty), ``count``,
``competency`` (group ``overall`` or a group id), ``training``, ``barrier``,
``organisation_barrier`` (group the organisation, n its paired people; when the paired
people name more than one), ``method`` (the effect sizes, the adjustment of p and its
family, the reliability behind ``reliable_up`` and ``reliable_down``, the targets behind
``at_target_before`` and ``at_target_after``, the caution on
figures that select on the first score), ``limitation`` or ``note``. A reliable count
that is empty while its row is shown was withheld: fewer than ``min_group`` people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..spreadsheet import LongCsv

if TYPE_CHECKING:
    from ...cohort.compare_results import CohortComparison
    from ...framework.profiles import Profiles
    from ..formats import Layout

COLUMNS = [
    "section", "by", "group", "id", "n", "before_mean", "after_mean", "change_mean",
    "change_sd", "ci_low", "ci_high", "p", "p_holm", "d_z", "d_av", "reliable_up",
    "reliable_down", "at_target_before", "at_target_after",
    "before", "after", "resolved", "new", "text",
]


def render(doc: CohortComparison, profiles: Profiles, layout: Layout) -> str:
    out = LongCsv(COLUMNS, by=doc.by)
    if doc.privacy.not_for_sharing:
        out.row(section="privacy", group="", id="not_for_sharing",
                text=doc.privacy.not_for_sharing)
    out.row(section="privacy", group="", id="rule", n=doc.min_group, text=doc.privacy.rule)
    for key, value in doc.counts.model_dump(exclude={"withheld"}).items():
        out.row(section="count", group="", id=key, n=value)
    for group, rows in [("overall", doc.competencies)] + [
            (g.group, g.competencies) for g in doc.groups]:
        for r in rows:
            out.row(section="competency", group=group, id=r.id, n=r.n,
                    before_mean=r.before_mean, after_mean=r.after_mean,
                    change_mean=r.change_mean, change_sd=r.change_sd, ci_low=r.ci_low,
                    ci_high=r.ci_high, p=r.p, p_holm=r.p_holm, d_z=r.d_z, d_av=r.d_av,
                    reliable_up=r.reliable_up, reliable_down=r.reliable_down,
                    at_target_before=r.at_target_before,
                    at_target_after=r.at_target_after)
    for t in doc.training_needs:
        out.row(section="training", group="overall", id=t.id, before=t.before, after=t.after,
                resolved=t.resolved, new=t.new)
    for b in doc.barriers:
        out.row(section="barrier", group="overall", id=b.rule, before=b.before, after=b.after,
                resolved=b.resolved, new=b.new)
    for o in doc.organisations:
        for b in o.barriers:
            out.row(section="organisation_barrier", group=o.organisation, n=o.n,
                    id=b.rule, before=b.before, after=b.after, resolved=b.resolved, new=b.new)
        if o.suppressed:
            out.row(section="organisation_barrier", group=o.organisation,
                    text=f"fewer than {doc.min_group} paired")
    targets = (f"Targets: the {doc.standard.label}, {doc.standard.basis} "
               f"{doc.standard.within_error}")
    for text in (doc.effect_size, doc.adjustment, doc.reliability, targets,
                 doc.selection_caution):
        out.row(section="method", group="", text=text)
    for text in doc.limitations:
        out.row(section="limitation", group="", text=text)
    for text in doc.notes:
        out.row(section="note", group="", text=text)
    return out.text()
