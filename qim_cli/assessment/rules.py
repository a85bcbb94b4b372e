"""The rule engine: declarative conditions over an assessment, compiled once per profile
set into plain functions. Nothing is eval'd.

This is the one place where a condition's meaning lives. `explain.py` puts into words
why a rule fired (the conditions and the person's values); `decisions.py` fires the
rules and decides what a person is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..framework.models import Condition, Rule
from ..framework.profiles import Profiles
from .scoring import Assessment

Predicate = Callable[[Assessment], bool]

#: id(condition) -> (the condition, its predicate): every node of every compiled rule,
#: so that an explanation can ask whether a part of a condition held
_PREDICATES: dict[int, tuple[Condition, Predicate]] = {}


def predicate(cond: Condition) -> Predicate:
    """The compiled form of a condition (compiled on first use, then kept)."""
    cached = _PREDICATES.get(id(cond))
    if cached is not None and cached[0] is cond:
        return cached[1]
    return compile_condition(cond)


def holds(cond: Condition, a: Assessment) -> bool:
    """Whether a condition holds for this assessment."""
    return predicate(cond)(a)


def compile_condition(cond: Condition) -> Predicate:
    """A condition as a plain function, with no work repeated per sheet. Built from data;
    nothing is eval'd. Every node it compiles is kept for `predicate`."""
    pred = _compile(cond)
    _PREDICATES[id(cond)] = (cond, pred)
    return pred


def _compile(cond: Condition) -> Predicate:
    """A condition has exactly one subject (framework/models.py checks it)."""
    if cond.all is not None or cond.any is not None or cond.not_ is not None:
        return _combined(cond)
    if cond.competency is not None:
        return _competency(cond)
    if cond.importance is not None or cond.context is not None:
        return _answer(cond)
    return _respondent(cond)


def _combined(cond: Condition) -> Predicate:
    """all, any or not of other conditions."""
    if cond.all is not None:
        parts = tuple(compile_condition(c) for c in cond.all)
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            p0, p1 = parts
            return lambda a: p0(a) and p1(a)
        if len(parts) == 3:
            q0, q1, q2 = parts
            return lambda a: q0(a) and q1(a) and q2(a)

        def all_of(a: Assessment) -> bool:
            return all(p(a) for p in parts)

        return all_of
    if cond.any is not None:
        choices = tuple(compile_condition(c) for c in cond.any)

        def any_of(a: Assessment) -> bool:
            return any(p(a) for p in choices)

        return any_of
    assert cond.not_ is not None
    inner = compile_condition(cond.not_)
    return lambda a: not inner(a)


def _respondent(cond: Condition) -> Predicate:
    """Who the person is: background, role, career stage, setting, years in healthcare."""
    if cond.background is not None:
        bgs = frozenset(cond.background)
        return lambda a: a.sheet.respondent.background in bgs
    if cond.role is not None:
        roles = frozenset(cond.role)
        return lambda a: a.sheet.respondent.role in roles
    if cond.career_stage is not None:
        stages = frozenset(cond.career_stage)
        return lambda a: a.career_stage in stages
    if cond.setting is not None:
        settings = frozenset(cond.setting)
        return lambda a: a.sheet.respondent.setting in settings
    if cond.healthcare_years_below is not None:
        below = cond.healthcare_years_below
        return lambda a: healthcare_years(a) < below
    least = cond.healthcare_years_at_least
    assert least is not None
    return lambda a: healthcare_years(a) >= least


def _answer(cond: Condition) -> Predicate:
    """An importance rating or a context answer within bounds (1–5 when a bound is open)."""
    lo = cond.at_least if cond.at_least is not None else 1
    hi = cond.at_most if cond.at_most is not None else 5
    if cond.importance is not None:
        comp = cond.importance

        def importance_test(a: Assessment) -> bool:
            v = a.sheet.importance.get(comp)
            return v is not None and lo <= v <= hi

        return importance_test
    assert cond.context is not None
    ctx = cond.context

    def context_test(a: Assessment) -> bool:
        v = a.sheet.context.get(ctx)
        return isinstance(v, int) and lo <= v <= hi

    return context_test


def healthcare_years(a: Assessment) -> float:
    """The person's years in healthcare: `years_in_healthcare` when the sheet gives it,
    else the years as a QIM (a QIM's years in the role are years in healthcare)."""
    r = a.sheet.respondent
    return r.years_in_healthcare if r.years_in_healthcare is not None else r.years_as_qim


def _competency(cond: Condition) -> Predicate:
    """A test of one competency's score: never holds on missing evidence (no score),
    except `insufficient`, which holds exactly then."""
    cid = cond.competency
    assert cid is not None, "a competency condition names its competency"
    if cond.insufficient:
        return lambda a: a.scores[cid].score is None
    tests: list[Callable[[Any], bool]] = []
    if cond.score_below is not None:
        sb = cond.score_below
        tests.append(lambda s: s.score < sb)
    if cond.score_at_least is not None:
        sa = cond.score_at_least
        tests.append(lambda s: s.score >= sa)
    if cond.gap_at_least is not None:
        ga = cond.gap_at_least
        # a gap within measurement error is no gap (scoring.py)
        tests.append(lambda s: s.gap >= ga and s.gap >= s.band)
    if cond.gap_below is not None:
        gb = cond.gap_below
        tests.append(lambda s: s.gap < gb)
    if cond.level is not None:
        levels = frozenset(cond.level)
        tests.append(lambda s: s.level in levels)

    if len(tests) == 1:
        # the common case, in one call (a gap is None exactly when the score is)
        if cond.gap_at_least is not None:
            return lambda a: ((g := (s := a.scores[cid]).gap) is not None and g >= ga
                              and g >= s.band)
        if cond.gap_below is not None:
            return lambda a: (g := a.scores[cid].gap) is not None and g < gb
        if cond.score_below is not None:
            return lambda a: (v := a.scores[cid].score) is not None and v < sb
        if cond.score_at_least is not None:
            return lambda a: (v := a.scores[cid].score) is not None and v >= sa
        (only,) = tests

        def one_test(a: Assessment) -> bool:
            s = a.scores[cid]
            return s.score is not None and only(s)

        return one_test

    def competency_test(a: Assessment) -> bool:
        s = a.scores[cid]
        if s.score is None:
            return False
        return all(t(s) for t in tests)

    return competency_test


def _known(cond: Condition, background: str, stage: str) -> bool | None:
    """Whether a test of the background or career stage holds (None: another test)."""
    if cond.background is not None:
        return background in cond.background
    if cond.career_stage is not None:
        return stage in cond.career_stage
    return None


def _specialised(cond: Condition, background: str, stage: str) -> Predicate | None:
    """A rule's predicate for people of one background and career stage: a top-level test
    of either that holds for all of them is left out (it would be asked per sheet), and
    None when one fails for all of them (the rule cannot fire)."""
    known = _known(cond, background, stage)
    if known is not None:
        return (lambda a: True) if known else None
    if cond.all is None:
        return compile_condition(cond)
    parts = []
    for child in cond.all:
        child_known = _known(child, background, stage)
        if child_known is False:
            return None
        if child_known is None:
            parts.append(child)
    if len(parts) == len(cond.all):
        return compile_condition(cond)
    compiled = tuple(compile_condition(c) for c in parts)
    if not compiled:
        return lambda a: True
    if len(compiled) == 1:
        return compiled[0]
    if len(compiled) == 2:
        p0, p1 = compiled
        return lambda a: p0(a) and p1(a)
    return lambda a: all(p(a) for p in compiled)


_COMPILED: dict[tuple[int, str, str], tuple[Profiles, list[tuple[Rule, Predicate]]]] = {}


def compiled_rules(profiles: Profiles, background: str, stage: str) -> list[tuple[Rule, Predicate]]:
    """The rules that can fire for this background and career stage, in file order, as
    predicates."""
    key = (id(profiles), background, stage)
    cached = _COMPILED.get(key)
    if cached is None or cached[0] is not profiles:
        for r in profiles.rules:
            compile_condition(r.when)  # every node, for the explanations
        rules = [(r, pred) for r in profiles.rules
                 if (pred := _specialised(r.when, background, stage)) is not None]
        cached = _COMPILED[key] = (profiles, rules)
    return cached[1]
