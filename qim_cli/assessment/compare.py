"""Before and after for one person: two results of the same respondent, compared.

First the review of the earlier plan: for each of its objectives, whether its
competencies reached their target, changed beyond measurement error, or did not (the
review of last year's personal development plan that an appraisal begins with). Then,
per competency: the old and new score, the change, whether the change is beyond
measurement error, and the old and new gap and level (targets can change when the
person moves into the next career stage).

**A change is judged against measurement error**, never by its sign alone: the reliable
change index of Jacobson & Truax (1991), ``RCI = change / sqrt(2 x SEM^2)``, the SEM of
each competency from its reliability and SD in ``profiles/precision.toml``
(assessment/precision.py). ``|RCI| >= 1.96`` is "changed beyond measurement error" (up
or down); anything smaller is "within measurement error", however it moved. With the
bundled convention (reliability 0.70, SD 0.70) a change must be about 1.06 score points
to count. An objective's competency has reached its target when its new score is at
the target, or below it by less than the score's band (at target within measurement
error). Then the recommendations now
resolved (in the old result, not in the new), the new ones and those that remain; and
the same for organisational barriers.

Both sheets are scored against today's role standard. When the standard changed between
the two assessments (its `adopted` date falls after the earlier sheet's `assessed_on`),
the comparison and the review of the earlier plan say so: the report the person had at
the time showed other targets.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..errors import DataError
from .precision import reliable_change, sem
from .results import Barrier, CompetencyResult, Out, PrecisionOut, Recommendation, Result

if TYPE_CHECKING:
    from ..framework.profiles import Profiles


Outcome = Literal["declined", "within_error", "not_scored", "improved", "reached"]
Verdict = Literal["beyond", "within"]


# --------------------------------------------------------------------------- the document


class StandardChange(Out):
    """That the role standard changed between the two assessments, and how."""

    adopted: dt.date
    framework_version: str
    certain: bool = Field(description="false: the earlier sheet has no assessed_on date, so "
                                      "the change is possible, not certain")
    change: str
    note: str


class ReliableChangeOut(Out):
    """A change judged against measurement error (Jacobson & Truax, 1991)."""

    rci: float | None = Field(description="the reliable change index: change / S_diff")
    smallest: float = Field(description="the smallest change beyond measurement error "
                                        "(1.96 x S_diff), in score points")
    verdict: Verdict = Field(description="beyond: changed beyond measurement error; within: "
                                         "within measurement error")


class CompetencyReview(Out):
    """A competency of the earlier plan, then and now."""

    id: str
    label: str
    old_score: float | None
    new_score: float | None
    change: float | None
    old_target: float
    new_target: float
    reliable: ReliableChangeOut | None = Field(
        description="the change against measurement error; null when a score is missing")
    at_target_within_error: bool = Field(
        description="the new score is below its target by less than its band")
    outcome: Outcome
    in_new_plan: int | None = Field(description="the objective of the new plan that carries "
                                                "it forward, if any")


class DeferredReview(CompetencyReview):
    reason: str


class ObjectiveReview(Out):
    number: int
    training: str
    title: str
    due: dt.date | None
    evidence: str
    competencies: list[CompetencyReview]
    outcome: Outcome = Field(description="its worst competency's")


class BarrierReview(Out):
    rule: str
    title: str
    status: Literal["still_reported", "no_longer_reported"]


class PlanReview(Out):
    """The review of last time's plan that an appraisal begins with."""

    standard_changed: str | None
    old_assessed_on: dt.date | None
    new_assessed_on: dt.date | None
    objectives: list[ObjectiveReview]
    deferred: list[DeferredReview]
    barriers: list[BarrierReview]
    summary: dict[Outcome, int] = Field(description="objectives by outcome")


class Side(Out):
    """One of the two sheets: whose, and where the person was then."""

    source: str
    id: str
    background: str
    role: str
    years_as_qim: float
    career_stage: str


class StandardRef(Out):
    label: str
    basis: str


class CompetencyChange(Out):
    id: str
    label: str
    old_score: float | None
    new_score: float | None
    change: float | None
    old_target: float
    new_target: float
    old_gap: float | None
    new_gap: float | None
    old_level: str
    new_level: str
    reliable: ReliableChangeOut | None = Field(
        description="the change against measurement error; null when a score is missing")


class RecommendationEntry(Out):
    id: str
    title: str
    priority: float
    competencies: list[str]


class RemainingRecommendation(RecommendationEntry):
    old_priority: float
    change: float


class RecommendationChanges(Out):
    resolved: list[RecommendationEntry]
    new: list[RecommendationEntry]
    remaining: list[RemainingRecommendation]


class BarrierEntry(Out):
    rule: str
    title: str
    actors: list[str]


class BarrierChanges(Out):
    resolved: list[BarrierEntry]
    new: list[BarrierEntry]
    remaining: list[BarrierEntry]

    @property
    def any(self) -> bool:
        return bool(self.resolved or self.new or self.remaining)


class PersonComparison(Out):
    """The JSON document of `qim compare OLD NEW`."""

    respondent: str
    old: Side
    new: Side
    same_respondent: bool
    framework_version: str
    standard: StandardRef
    standard_change: StandardChange | None
    precision: PrecisionOut
    plan_review: PlanReview
    competencies: list[CompetencyChange]
    recommendations: RecommendationChanges
    barriers: BarrierChanges


# --------------------------------------------------------------------------- comparing


class DifferentRespondents(DataError):
    """The two sheets belong to different people."""


def _delta(old: float | None, new: float | None) -> float | None:
    if old is None or new is None:
        return None
    return round(new - old, 2)


def check_same_person(old: Result, new: Result, *, allow: bool = False) -> str | None:
    """Raise when the respondent ids differ (unless allowed); return a warning when allowed."""
    a, b = old.respondent.id, new.respondent.id
    if a == b:
        return None
    message = (
        f'{new.source}: respondent.id: "{b}" is not the respondent of {old.source} ("{a}"); '
        "compare compares one person (use --allow-different-ids to compare anyway)"
    )
    if not allow:
        raise DifferentRespondents(message)
    return (f'warning: comparing different respondents ("{a}" and "{b}") because of '
            "--allow-different-ids")


def standard_change(old: Result, new: Result, profiles: Profiles) -> StandardChange | None:
    """Whether the role standard changed between the two assessments, and how.

    None when it did not (both assessed on or after the standard's adoption). A sheet
    without an assessed_on date cannot be placed, so the change is reported as possible.
    """
    st = profiles.standard
    when = old.assessed_on
    if when is not None and when >= st.adopted:
        return None
    if when is None and new.assessed_on is not None and new.assessed_on < st.adopted:
        return None
    certain = when is not None
    lead = (f"The role standard changed on {st.adopted.isoformat()} (framework "
            f"{profiles.version}), after the earlier assessment: "
            if certain else
            f"The earlier sheet has no assessed_on date, so qim cannot tell whether its report "
            f"used the standard before {st.adopted.isoformat()} (framework {profiles.version}): ")
    return StandardChange(
        adopted=st.adopted, framework_version=profiles.version, certain=certain,
        change=st.change,
        note=lead + st.change + " Both sheets are scored here against today's standard, "
                                "so the earlier report may have shown other targets and gaps.")


#: a competency's outcome, worst first; an objective takes its worst competency's
OUTCOMES: tuple[Outcome, ...] = ("declined", "within_error", "not_scored", "improved", "reached")


def judge_change(old: float | None, new: float | None, cid: str,
                 profiles: Profiles) -> ReliableChangeOut | None:
    """The change of a competency's score against its measurement error (None when a
    score is missing)."""
    if old is None or new is None:
        return None
    p = profiles.precision_of(cid)
    rc = reliable_change(old, new, sem(p.sd, p.reliability))
    return ReliableChangeOut(rci=None if rc.rci is None else round(rc.rci, 2),
                             smallest=round(rc.threshold, 2), verdict=rc.verdict)


def _outcome(old_score: float | None, n: CompetencyResult | None, new_target: float,
             reliable: ReliableChangeOut | None) -> Outcome:
    """reached: at today's target, or below it within measurement error; improved or
    declined: changed beyond measurement error; within_error: a change within it."""
    if n is None or n.score is None:
        return "not_scored"
    if n.score >= new_target or n.within_error:
        return "reached"
    if old_score is None or reliable is None:
        return "not_scored"
    if reliable.verdict == "within":
        return "within_error"
    return "improved" if n.score > old_score else "declined"


def review_plan(old: Result, new: Result, profiles: Profiles) -> PlanReview:
    """The review of last time's plan that an appraisal begins with.

    For each objective of the earlier plan: whether its competencies reached their target
    (as it is now: the career stage may have moved on; at it within measurement error
    counts), changed beyond measurement error (improved or declined), or changed within
    it; whether the new plan carries any of them forward. The same for the needs it deferred, and whether
    its organisational barriers are still reported.
    """
    new_comps = {c.id: c for c in new.competencies}
    old_comps = {c.id: c for c in old.competencies}
    carried = {c.id: o.number for o in new.plan.objectives for c in o.competencies}

    def competency(cid: str) -> CompetencyReview:
        o, n = old_comps[cid], new_comps.get(cid)
        new_score = n.score if n is not None else None
        new_target = n.target if n is not None else o.target
        reliable = judge_change(o.score, new_score, cid, profiles)
        return CompetencyReview(id=cid, label=o.label, old_score=o.score, new_score=new_score,
                                change=_delta(o.score, new_score), old_target=o.target,
                                new_target=new_target, reliable=reliable,
                                at_target_within_error=n is not None and n.within_error,
                                outcome=_outcome(o.score, n, new_target, reliable),
                                in_new_plan=carried.get(cid))

    objectives = []
    for obj in old.plan.objectives:
        comps = [competency(c.id) for c in obj.competencies]
        objectives.append(ObjectiveReview(
            number=obj.number, training=obj.how.training, title=obj.how.title, due=obj.due,
            evidence=obj.evidence, competencies=comps,
            outcome=min((c.outcome for c in comps), key=OUTCOMES.index)))
    deferred = [DeferredReview(**competency(d.competency).model_dump(), reason=d.reason)
                for d in old.plan.deferred]
    still = {b.rule for b in new.plan.barriers}
    barriers = [BarrierReview(rule=b.rule, title=b.title,
                              status="still_reported" if b.rule in still else "no_longer_reported")
                for b in old.plan.barriers]
    counts: dict[Outcome, int] = {k: sum(o.outcome == k for o in objectives)
                                  for k in reversed(OUTCOMES)}
    change = standard_change(old, new, profiles)
    return PlanReview(
        standard_changed=None if change is None else (
            "The earlier plan is rebuilt here against today's role standard; the plan made "
            "at the time used the standard before " + change.adopted.isoformat() + ", so its "
            "objectives and targets may have differed."),
        old_assessed_on=old.assessed_on, new_assessed_on=new.assessed_on,
        objectives=objectives, deferred=deferred, barriers=barriers, summary=counts)


def compare_results(old: Result, new: Result, profiles: Profiles) -> PersonComparison:
    """The comparison of two results of one person (see the module doc)."""
    new_comps = {c.id: c for c in new.competencies}
    competencies = [
        CompetencyChange(id=c.id, label=c.label, old_score=c.score, new_score=n.score,
                         change=_delta(c.score, n.score), old_target=c.target,
                         new_target=n.target, old_gap=c.gap, new_gap=n.gap,
                         old_level=c.level, new_level=n.level,
                         reliable=judge_change(c.score, n.score, c.id, profiles))
        for c in old.competencies if (n := new_comps.get(c.id)) is not None
    ]
    return PersonComparison(
        respondent=new.respondent.id,
        old=_side(old),
        new=_side(new),
        same_respondent=old.respondent.id == new.respondent.id,
        framework_version=new.framework_version,
        standard=StandardRef(label=new.standard.label, basis=new.standard.basis),
        standard_change=standard_change(old, new, profiles),
        precision=new.precision,
        plan_review=review_plan(old, new, profiles),
        competencies=competencies,
        recommendations=_recommendations(old, new),
        barriers=_barriers(old, new),
    )


def _side(r: Result) -> Side:
    p = r.respondent
    return Side(source=r.source, id=p.id, background=p.background, role=p.role,
                years_as_qim=p.years_as_qim, career_stage=p.career_stage)


def _entry(r: Recommendation) -> RecommendationEntry:
    return RecommendationEntry(id=r.training.id, title=r.training.title, priority=r.priority,
                               competencies=list(r.competencies))


def _recommendations(old: Result, new: Result) -> RecommendationChanges:
    """Recommendations now resolved (then, not now), new, and those that remain."""
    old_recs = {r.training.id: r for r in old.recommendations}
    new_recs = {r.training.id: r for r in new.recommendations}
    return RecommendationChanges(
        resolved=[_entry(r) for tid, r in old_recs.items() if tid not in new_recs],
        new=[_entry(r) for tid, r in new_recs.items() if tid not in old_recs],
        remaining=[RemainingRecommendation(
                       **_entry(r).model_dump(), old_priority=old_recs[tid].priority,
                       change=round(r.priority - old_recs[tid].priority, 2))
                   for tid, r in new_recs.items() if tid in old_recs])


def _barriers(old: Result, new: Result) -> BarrierChanges:
    old_bars = {b.rule: b for b in old.barriers}
    new_bars = {b.rule: b for b in new.barriers}

    def entry(b: Barrier) -> BarrierEntry:
        return BarrierEntry(rule=b.rule, title=b.title, actors=list(b.actors))

    return BarrierChanges(
        resolved=[entry(b) for r, b in old_bars.items() if r not in new_bars],
        new=[entry(b) for r, b in new_bars.items() if r not in old_bars],
        remaining=[entry(b) for r, b in new_bars.items() if r in old_bars])
