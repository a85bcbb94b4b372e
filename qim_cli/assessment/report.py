"""Assemble the explained result of one answer sheet: scores, recommendations, barriers.

Built on the decisions of decisions.py (the same ones a batch row is made of): this
module adds the words, the person's values behind each fired rule and the sources.
"""

from __future__ import annotations

from .. import __version__
from ..framework.models import Rule
from ..framework.profiles import Profiles
from ..sheets.models import AnswerSheet
from .calibration import calibrate
from .decisions import decide
from .explain import because
from .plan import build_plan
from .results import (
    Barrier,
    CompetencyResult,
    Evidence,
    Fired,
    Reason,
    Recommendation,
    RespondentOut,
    Result,
    TrainingRef,
)
from .scoring import Assessment, score_sheet

HIGH = 4.0
MEDIUM = 2.5


def recommendation_label(priority: float) -> str:
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


def _competencies(a: Assessment, profiles: Profiles) -> list[CompetencyResult]:
    study = profiles.framework.study
    out = []
    for cid, s in a.scores.items():
        comp = profiles.competencies[cid]
        evidence = None
        if comp.cited is not None:
            evidence = Evidence(
                clinical=comp.cited.clinical,
                clinical_of=study.clinical,
                traditional=comp.cited.traditional,
                traditional_of=study.traditional,
                source=study.source,
            )
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
                blind_spot=s.blind_spot,
                priority=s.priority,
                priority_label=s.priority_label,  # type: ignore[arg-type]
                evidence=evidence,
            )
        )
    return out


def ranked_trainings(a: Assessment, profiles: Profiles) -> list[tuple[str, float]]:
    """The recommended training ids and priorities, in rank order, without explanations."""
    return decide(a, profiles).ranked


def recommend(a: Assessment, profiles: Profiles) -> tuple[list[Recommendation], list[Barrier]]:
    """Personal recommendations (each training once, at its highest priority) and barriers.

    A development rule that fires on a low score of a competency that a fired barrier
    `explains` is not shown as a personal need: it is held back under that barrier,
    because the workplace, not the person, may be what keeps the score low.
    """
    d = decide(a, profiles)
    whys: dict[str, list[Fired]] = {}

    def why(rule: Rule) -> list[Fired]:
        if rule.id not in whys:
            whys[rule.id] = because(rule.when, a, profiles)
        return whys[rule.id]

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
                explains=list(rule.explains),
                held_back=[_reason(r, p, why(r)) for r, p in d.held if r.competency in rule.explains],
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
                priority_label=recommendation_label(top),  # type: ignore[arg-type]
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
    respondent = RespondentOut(
        id=r.id,
        name=r.name,
        background=r.background,
        background_label=profiles.backgrounds[r.background].label,
        role=r.role,
        role_label=profiles.roles[r.role].label,
        years_as_qim=r.years_as_qim,
        career_stage=stage.id,
        career_stage_label=stage.label,
        setting=r.setting,
    )
    competencies = _competencies(a, profiles)
    return Result(
        qim_version=__version__,
        framework_version=profiles.version,
        source=source,
        assessed_on=sheet.assessed_on,
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
