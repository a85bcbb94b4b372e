"""Assemble the explained result of one answer sheet: scores, recommendations, barriers."""

from __future__ import annotations

from .. import __version__
from ..framework.models import Condition, Rule
from ..framework.profiles import Profiles
from ..sheets.models import AnswerSheet
from .plan import build_plan
from .results import (
    Barrier,
    CompetencyResult,
    Evidence,
    Reason,
    Recommendation,
    RespondentOut,
    Result,
    TrainingRef,
)
from .rules import Hit, fire_rules
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


def _reason(hit: Hit) -> Reason:
    r = hit.rule
    return Reason(
        rule=r.id,
        title=r.title,
        message=r.message,
        competency=r.competency,
        priority=hit.priority,
        because=hit.because,
        sources=list(r.sources),
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


def tests_score(cond: Condition, competency: str) -> bool:
    """Whether a condition looks at the score, gap or level of this competency."""
    if cond.competency == competency and not cond.insufficient:
        return True
    children = (cond.all or []) + (cond.any or []) + ([cond.not_] if cond.not_ else [])
    return any(tests_score(c, competency) for c in children)


_SCORE_DRIVEN: dict[int, tuple[Rule, bool]] = {}


def _score_driven(rule: Rule) -> bool:
    """Whether a development rule fires on its own competency's score (cached per rule)."""
    cached = _SCORE_DRIVEN.get(id(rule))
    if cached is None or cached[0] is not rule:
        value = rule.competency is not None and tests_score(rule.when, rule.competency)
        cached = _SCORE_DRIVEN[id(rule)] = (rule, value)
    return cached[1]


def _held_back(hit: Hit, explained: set[str]) -> bool:
    """A development rule fired by a low score that a barrier may explain.

    Rules that fire on something else (a low importance rating, the career stage) are
    not held back: the workplace cannot explain those.
    """
    return hit.rule.competency in explained and _score_driven(hit.rule)



def _split(hits: list[Hit]) -> tuple[list[Hit], list[Hit], list[Hit]]:
    """(barrier hits, personal development hits, development hits held back by a barrier)."""
    barrier_hits = [h for h in hits if h.rule.kind == "barrier"]
    development = [h for h in hits if h.rule.kind == "development"]
    explained = {c for h in barrier_hits for c in h.rule.explains}
    if not explained:
        return barrier_hits, development, []
    personal = [h for h in development if not _held_back(h, explained)]
    held = [h for h in development if _held_back(h, explained)]
    return barrier_hits, personal, held


def _rank(personal: list[Hit]) -> list[tuple[str, list[Hit]]]:
    """Each training once, with the hits that named it (highest priority first); ranked."""
    by_training: dict[str, list[Hit]] = {}
    for h in personal:
        for tid in h.rule.trainings:
            by_training.setdefault(tid, []).append(h)
    ranked = sorted(by_training.items(), key=lambda kv: (-max(h.priority for h in kv[1]), kv[0]))
    return [(tid, sorted(hs, key=lambda h: -h.priority)) for tid, hs in ranked]


def ranked_trainings(a: Assessment, profiles: Profiles) -> list[tuple[str, float]]:
    """The recommended training ids and priorities, in rank order, without explanations.

    The same rules, order and dedupe as `recommend`, for batch scoring.
    """
    return quick_summary(a, profiles)[0]


def quick_summary(a: Assessment, profiles: Profiles) -> tuple[list[tuple[str, float]], list[str]]:
    """(ranked (training id, priority) pairs, fired barrier rule ids): `recommend` without
    the explanations, for scoring thousands of sheets. Same rules, same hold-back, same
    dedupe and order (a property test checks it against `recommend`)."""
    ranked, barriers, _, _ = batch_summary(a, profiles)
    return ranked, barriers


NO_HELD: tuple[tuple[str, str], ...] = ()


def batch_summary(
    a: Assessment, profiles: Profiles
) -> tuple[list[tuple[str, float]], list[str], tuple[tuple[str, str], ...], dict[str, set[str]]]:
    """`quick_summary` plus the needs held back: (barrier rule id, development rule id) for
    every development rule that `recommend` shows under a barrier instead of as a need; and
    for each competency the trainings recommended for it (the competency of every personal
    development rule that named them)."""
    from .rules import compiled_rules

    scores = a.scores
    development: list[tuple[Rule, float]] = []
    barriers: list[Rule] = []
    for rule, predicate in compiled_rules(profiles, a.sheet.respondent.background):
        if not predicate(a):
            continue
        if rule.kind == "barrier":
            barriers.append(rule)
        else:
            base = scores[rule.competency].priority if rule.competency else 0.0
            development.append((rule, round(base + rule.weight, 2)))
    explained = {c for r in barriers for c in r.explains}
    best: dict[str, float] = {}
    held: list[tuple[str, str]] = []
    for_competency: dict[str, set[str]] = {}
    for rule, priority in development:
        if explained and rule.competency in explained and _score_driven(rule):
            held.extend((b.id, rule.id) for b in barriers if rule.competency in b.explains)
            continue
        if rule.competency:
            for_competency.setdefault(rule.competency, set()).update(rule.trainings)
        for tid in rule.trainings:
            if priority > best.get(tid, -1.0):
                best[tid] = priority
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked, [r.id for r in barriers], tuple(held) if held else NO_HELD, for_competency


def recommend(a: Assessment, profiles: Profiles) -> tuple[list[Recommendation], list[Barrier]]:
    """Personal recommendations (each training once, at its highest priority) and barriers.

    A development rule that fires on a low score of a competency that a fired barrier
    `explains` is not shown as a personal need: it is held back under that barrier,
    because the workplace, not the person, may be what keeps the score low.
    """
    barrier_hits, personal, held = _split(fire_rules(a, profiles))
    barriers = []
    for h in barrier_hits:
        actions = [_training(profiles, t) for t in h.rule.trainings]
        actors = sorted(
            {actor for t in actions for actor in t.actors},
            key=["front_line", "middle_managers", "board"].index,
        )
        barriers.append(
            Barrier(
                rule=h.rule.id,
                title=h.rule.title,
                message=h.rule.message,
                actors=actors,
                actions=actions,
                because=h.because,
                explains=list(h.rule.explains),
                held_back=[_reason(x) for x in held if x.rule.competency in h.rule.explains],
                sources=list(h.rule.sources),
            )
        )
    recs = []
    for rank, (tid, tid_hits) in enumerate(_rank(personal), start=1):
        top = tid_hits[0].priority
        comps = list(dict.fromkeys(h.rule.competency for h in tid_hits if h.rule.competency))
        recs.append(
            Recommendation(
                rank=rank,
                priority=top,
                priority_label=recommendation_label(top),  # type: ignore[arg-type]
                training=_training(profiles, tid),
                competencies=comps,
                reasons=[_reason(h) for h in tid_hits],
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
    )
