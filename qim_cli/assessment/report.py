"""Assemble the explained result of one answer sheet: scores, recommendations, barriers.

Built on the decisions of decisions.py (the same ones a batch row is made of): this
module adds the words, the person's values behind each fired rule and the sources.
"""

from __future__ import annotations

from typing import Literal

from .. import __version__
from ..framework.labels import AUTHORS_SUGGESTION
from ..framework.models import Rule
from ..framework.profiles import Profiles
from ..sheets.models import AnswerSheet
from .calibration import calibrate
from .decisions import Decisions, decide
from .explain import because
from .plan import build_plan, need_tiers
from .precision import CONFIDENCE
from .results import (
    Barrier,
    CompetencyResult,
    Evidence,
    Fired,
    PrecisionOut,
    Reason,
    Recommendation,
    RespondentOut,
    Result,
    StandardOut,
    TrainingRef,
)
from .scoring import Assessment, competency_band, score_sheet

HIGH = 4.0
MEDIUM = 2.5


def recommendation_label(priority: float) -> Literal["high", "medium", "low"]:
    if priority >= HIGH:
        return "high"
    if priority >= MEDIUM:
        return "medium"
    return "low"


def _training(profiles: Profiles, tid: str) -> TrainingRef:
    t = profiles.trainings[tid]
    return TrainingRef(
        id=t.id,
        title=t.title,
        kind=t.kind,
        tier=t.tier,
        effort=t.effort,
        hours=t.hours,
        weeks=t.weeks,
        evidence=t.evidence,
        helpers=list(t.helpers),
        description=t.description,
        actors=list(t.actors),
        sources=list(t.sources),
    )


def _reason(rule: Rule, priority: float, why: list[Fired]) -> Reason:
    return Reason(
        rule=rule.id,
        title=rule.title,
        message=rule.message,
        competency=rule.competency,
        priority=priority,
        because=why,
        sources=list(rule.sources),
    )


def table2_evidence(profiles: Profiles, row_id: str | None) -> Evidence | None:
    """A row of Table 2 (table2.toml) as quoted in a report: the only source of figures."""
    row = profiles.table2_rows.get(row_id) if row_id else None
    if row is None or row.clinical is None or row.traditional is None:
        return None
    t2 = profiles.table2
    return Evidence(row=row.id, printed=row.printed, clinical=row.clinical,
                    clinical_of=t2.groups.clinical.of, traditional=row.traditional,
                    traditional_of=t2.groups.traditional.of, source=t2.source,
                    passage=t2.passage)


def standard_out(profiles: Profiles) -> StandardOut:
    st = profiles.standard
    return StandardOut(label=st.label, basis=st.basis, framework_version=profiles.version,
                       adopted=st.adopted)


def precision_out(profiles: Profiles) -> PrecisionOut:
    """How precise the scores are: the narrowest and widest band, and their basis."""
    bands = [competency_band(profiles, cid) for cid in profiles.competencies]
    pr = profiles.precision
    return PrecisionOut(label=pr.label, basis=pr.basis, confidence=CONFIDENCE,
                        band_low=min(bands), band_high=max(bands))


def _competencies(a: Assessment, profiles: Profiles) -> list[CompetencyResult]:
    out = []
    for cid, s in a.scores.items():
        comp = profiles.competencies[cid]
        evidence = table2_evidence(profiles, comp.row)
        out.append(
            CompetencyResult(
                id=cid,
                label=comp.label,
                theme=comp.theme,
                score=s.score,
                answered=s.answered,
                items=s.items,
                status="scored" if s.scored else "insufficient",
                target=s.target,
                gap=s.gap,
                level=s.level,
                level_label=s.level_label,
                importance=s.importance,
                background_flag=s.flag,
                priority=s.priority,
                priority_label=s.priority_label,
                band=s.band,
                within_error=s.within_error,
                origin=comp.origin,
                origin_note=AUTHORS_SUGGESTION if comp.origin == "authors" else None,
                evidence=evidence,
            )
        )
    return out


def recommend(a: Assessment, profiles: Profiles, d: Decisions | None = None, *,
              explain: bool = True) -> tuple[list[Recommendation], list[Barrier]]:
    """Personal recommendations (each training once, at its highest priority) and barriers.

    A barrier never removes a need: every development rule that fired is a
    recommendation, and each barrier lists the needs it occurs with (`with_needs`), the
    competencies it may constrain that have a need. `d`: the decisions, when the caller
    has them; `explain=False` leaves out the values behind each rule (`because`), for a
    caller that needs only the choices (a batch's plan tiers).
    """
    if d is None:
        d = decide(a, profiles)
    whys: dict[str, list[Fired]] = {}

    def why(rule: Rule) -> list[Fired]:
        if not explain:
            return []
        if rule.id not in whys:
            whys[rule.id] = because(rule.when, a, profiles)
        return whys[rule.id]

    needs = {r.competency for r, _ in d.personal if r.competency}
    barriers = []
    for rule in d.barriers:
        actions = [_training(profiles, t) for t in rule.trainings]
        actors = sorted(
            {actor for t in actions for actor in t.actors},
            key=["front_line", "middle_managers", "board"].index,
        )
        barriers.append(
            Barrier(
                rule=rule.id,
                title=rule.title,
                message=rule.message,
                actors=actors,
                actions=actions,
                because=why(rule),
                constrains=list(rule.constrains),
                with_needs=[c for c in rule.constrains if c in needs],
                sources=list(rule.sources),
            )
        )
    by_training: dict[str, list[tuple[Rule, float]]] = {}
    for rule, priority in d.personal:
        for tid in rule.trainings:
            by_training.setdefault(tid, []).append((rule, priority))
    recs = []
    for rank, (tid, top) in enumerate(d.ranked, start=1):
        hits = sorted(by_training[tid], key=lambda h: -h[1])
        comps = list(dict.fromkeys(r.competency for r, _ in hits if r.competency))
        recs.append(
            Recommendation(
                rank=rank,
                priority=top,
                priority_label=recommendation_label(top),
                training=_training(profiles, tid),
                competencies=comps,
                reasons=[_reason(r, p, why(r)) for r, p in hits],
            )
        )
    return recs, barriers


def build_result(
    sheet: AnswerSheet, profiles: Profiles, source: str, assessment: Assessment | None = None
) -> Result:
    """Score, fire the rules and explain: the whole report of one sheet.

    `assessment` replaces the sheet's own scores (a 360 report passes the others' view).
    """
    a = assessment if assessment is not None else score_sheet(sheet, profiles)
    recs, barriers = recommend(a, profiles)
    r = sheet.respondent
    stage = profiles.stages[a.career_stage]
    unanswered = {
        "items": [i for i in profiles.items if not isinstance(sheet.answers.get(i), int)],
        "importance": [c for c in profiles.competencies if c not in sheet.importance],
        "context": [c for c in profiles.context_items if not isinstance(sheet.context.get(c), int)],
    }
    role = profiles.roles[r.role]
    respondent = RespondentOut(
        id=r.id,
        name=r.name,
        background=r.background,
        background_label=profiles.backgrounds[r.background].label,
        role=r.role,
        role_label=role.label,
        years_as_qim=r.years_as_qim,
        years_in_healthcare=r.years_in_healthcare,
        career_stage=stage.id,
        career_stage_label=stage.label,
        setting=r.setting,
        organisation=r.organisation,
        unit=r.unit,
        beyond_study=[n for n in (stage.beyond_study, role.beyond_study) if n],
    )
    competencies = _competencies(a, profiles)
    return Result(
        qim_version=__version__,
        framework_version=profiles.version,
        source=source,
        assessed_on=sheet.assessed_on,
        standard=standard_out(profiles),
        precision=precision_out(profiles),
        respondent=respondent,
        competencies=competencies,
        plan=build_plan(respondent, competencies, recs, barriers, sheet.assessed_on, profiles),
        recommendations=recs,
        barriers=barriers,
        unanswered=unanswered,
        notes=sheet.notes,
        # scenario judgement is set beside the person's own rating, also in a 360 report
        calibration=calibrate(sheet, profiles, a if assessment is None else score_sheet(sheet, profiles))
        if sheet.scenarios else None,
    )


def high_need_sessions(a: Assessment, d: Decisions, profiles: Profiles, high: list[str]
                       ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """For each high-priority competency, the trainings recommended to the person for it,
    split by the tier the person's own plan asks for (plan.py's `need_tiers`): (those at
    that tier or higher, which meet the need; the lighter ones, which prepare for it)."""
    recs, barriers = recommend(a, profiles, d, explain=False)
    r = a.sheet.respondent
    respondent = RespondentOut(
        id=r.id, name=r.name, background=r.background, background_label="", role=r.role,
        role_label="", years_as_qim=r.years_as_qim, years_in_healthcare=r.years_in_healthcare,
        career_stage=a.career_stage, career_stage_label="", setting=r.setting,
        organisation=r.organisation, unit=r.unit, beyond_study=[])
    plan = build_plan(respondent, _competencies(a, profiles), recs, barriers, None, profiles)
    return need_tiers(plan, recs, profiles, a.career_stage, high)
