"""The rule engine: declarative conditions over an assessment, explained. Nothing is eval'd."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..framework.models import Condition, Rule
from ..framework.profiles import Profiles
from .results import Fired
from .scoring import Assessment


def _fmt(x: float) -> str:
    return f"{x:g}"


def _choice(label: str, allowed: list[str]) -> str:
    if len(allowed) == 1:
        return f"{label} is {allowed[0]}"
    return f"{label} is one of {', '.join(allowed)}"


def _scale_word(profiles: Profiles, scale: str, value: int) -> str:
    labels = getattr(profiles.framework.scales, scale).labels
    return f"{value} ({labels[value - 1]})"


def _bounds(cond: Condition) -> str:
    parts = []
    if cond.at_least is not None:
        parts.append(f"≥ {cond.at_least}")
    if cond.at_most is not None:
        parts.append(f"≤ {cond.at_most}")
    return " and ".join(parts)


def _in_bounds(cond: Condition, value: int) -> bool:
    if cond.at_least is not None and value < cond.at_least:
        return False
    return not (cond.at_most is not None and value > cond.at_most)


def describe(cond: Condition, profiles: Profiles) -> str:
    """A condition in words, as shown in a report's "because"."""
    if cond.all is not None:
        return "all of (" + "; ".join(describe(c, profiles) for c in cond.all) + ")"
    if cond.any is not None:
        return "any of (" + "; ".join(describe(c, profiles) for c in cond.any) + ")"
    if cond.not_ is not None:
        return "not (" + describe(cond.not_, profiles) + ")"
    for key in ("background", "role", "career_stage", "setting"):
        allowed = getattr(cond, key)
        if allowed is not None:
            return _choice(key.replace("_", " "), allowed)
    if cond.competency is not None:
        label = profiles.competencies[cond.competency].label
        if cond.insufficient:
            return f"{label}: too few answers to score"
        tests = []
        if cond.score_below is not None:
            tests.append(f"score < {_fmt(cond.score_below)}")
        if cond.score_at_least is not None:
            tests.append(f"score ≥ {_fmt(cond.score_at_least)}")
        if cond.gap_at_least is not None:
            tests.append(f"gap to target ≥ {_fmt(cond.gap_at_least)}")
        if cond.gap_below is not None:
            tests.append(f"gap to target < {_fmt(cond.gap_below)}")
        if cond.level is not None:
            tests.append(_choice("level", cond.level))
        return f"{label}: " + ", ".join(tests)
    if cond.importance is not None:
        label = profiles.competencies[cond.importance].label
        return f"self-rated importance of {label} {_bounds(cond)}"
    assert cond.context is not None
    return f"context “{profiles.context_items[cond.context].text}” {_bounds(cond)}"


def _value(cond: Condition, a: Assessment, profiles: Profiles) -> str:
    """The respondent's actual value for a leaf condition."""
    r = a.sheet.respondent
    if cond.background is not None:
        return r.background
    if cond.role is not None:
        return r.role
    if cond.career_stage is not None:
        return f"{a.career_stage} ({_fmt(r.years_as_qim)} years as a QIM)"
    if cond.setting is not None:
        return r.setting or "not given"
    if cond.competency is not None:
        s = a.scores[cond.competency]
        if s.score is None:
            return f"{s.answered} of {s.items} items answered"
        return f"score {s.score:.2f}, target {_fmt(s.target)}, gap {s.gap:+.2f}, level {s.level}"
    if cond.importance is not None:
        value = a.sheet.importance.get(cond.importance)
        return "not rated" if value is None else "rated " + _scale_word(profiles, "importance", value)
    assert cond.context is not None
    answer = a.sheet.context.get(cond.context)
    if answer is None:
        return "not answered"
    if answer == "na":
        return "not applicable / don't know"
    return "answered " + _scale_word(profiles, "context", answer)


def _holds(cond: Condition, a: Assessment) -> bool:
    r = a.sheet.respondent
    if cond.background is not None:
        return r.background in cond.background
    if cond.role is not None:
        return r.role in cond.role
    if cond.career_stage is not None:
        return a.career_stage in cond.career_stage
    if cond.setting is not None:
        return r.setting is not None and r.setting in cond.setting
    if cond.competency is not None:
        s = a.scores[cond.competency]
        if cond.insufficient:
            return s.score is None
        if s.score is None or s.gap is None:
            return False
        checks = [
            cond.score_below is None or s.score < cond.score_below,
            cond.score_at_least is None or s.score >= cond.score_at_least,
            cond.gap_at_least is None or s.gap >= cond.gap_at_least,
            cond.gap_below is None or s.gap < cond.gap_below,
            cond.level is None or s.level in cond.level,
        ]
        return all(checks)
    if cond.importance is not None:
        value = a.sheet.importance.get(cond.importance)
        return value is not None and _in_bounds(cond, value)
    assert cond.context is not None
    answer = a.sheet.context.get(cond.context)
    return isinstance(answer, int) and _in_bounds(cond, answer)


def evaluate(cond: Condition, a: Assessment, profiles: Profiles) -> tuple[bool, list[Fired]]:
    """Whether a condition holds, and the leaf conditions (with actual values) that made it so."""
    if cond.all is not None:
        fired: list[Fired] = []
        for child in cond.all:
            ok, why = evaluate(child, a, profiles)
            if not ok:
                return False, []
            fired.extend(why)
        return True, fired
    if cond.any is not None:
        fired = []
        for child in cond.any:
            ok, why = evaluate(child, a, profiles)
            if ok:
                fired.extend(why)
        return bool(fired), fired
    if cond.not_ is not None:
        ok, _ = evaluate(cond.not_, a, profiles)
        if ok:
            return False, []
        return True, [Fired(condition=describe(cond, profiles), value=_leaf_values(cond.not_, a, profiles))]
    if _holds(cond, a):
        return True, [Fired(condition=describe(cond, profiles), value=_value(cond, a, profiles))]
    return False, []


def _leaf_values(cond: Condition, a: Assessment, profiles: Profiles) -> str:
    children = cond.all or cond.any
    if children is not None:
        return "; ".join(_leaf_values(c, a, profiles) for c in children)
    if cond.not_ is not None:
        return _leaf_values(cond.not_, a, profiles)
    return _value(cond, a, profiles)


@dataclass(slots=True)
class Hit:
    """A rule whose condition held for this assessment."""

    rule: Rule
    priority: float
    because: list[Fired]


Predicate = Callable[[Assessment], bool]


def compile_condition(cond: Condition) -> Predicate:
    """A condition as a plain function (the batch fast path): same meaning as `evaluate`,
    no explanation, and no work repeated per sheet. Built from data; nothing is eval'd."""
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
        parts = tuple(compile_condition(c) for c in cond.any)

        def any_of(a: Assessment) -> bool:
            return any(p(a) for p in parts)

        return any_of
    if cond.not_ is not None:
        inner = compile_condition(cond.not_)
        return lambda a: not inner(a)
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
    if cond.competency is not None:
        cid = cond.competency
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
            tests.append(lambda s: s.gap >= ga)
        if cond.gap_below is not None:
            gb = cond.gap_below
            tests.append(lambda s: s.gap < gb)
        if cond.level is not None:
            levels = frozenset(cond.level)
            tests.append(lambda s: s.level in levels)

        if len(tests) == 1:
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


def _backgrounds_of(cond: Condition) -> frozenset[str] | None:
    """The backgrounds a condition can hold for, when a top-level background test says so."""
    if cond.background is not None:
        return frozenset(cond.background)
    if cond.all is not None:
        for child in cond.all:
            found = _backgrounds_of(child)
            if found is not None:
                return found
    return None


_COMPILED: dict[int, tuple[Profiles, dict[str, list[tuple[Rule, Predicate]]]]] = {}


def compiled_rules(profiles: Profiles, background: str) -> list[tuple[Rule, Predicate]]:
    """The rules that can fire for this background, in file order, as predicates."""
    cached = _COMPILED.get(id(profiles))
    if cached is None or cached[0] is not profiles:
        compiled = [(r, compile_condition(r.when), _backgrounds_of(r.when)) for r in profiles.rules]
        by_background = {
            bg: [(r, pred) for r, pred, only in compiled if only is None or bg in only]
            for bg in profiles.backgrounds
        }
        cached = _COMPILED[id(profiles)] = (profiles, by_background)
    return cached[1][background]


def fire_rules(a: Assessment, profiles: Profiles, *, explain: bool = True) -> list[Hit]:
    """Every rule whose condition holds, in file order, with its priority.

    With explain=False the hits carry no `because` (much faster; same rules, same order).
    """
    hits = []
    for rule, predicate in compiled_rules(profiles, a.sheet.respondent.background):
        if explain:
            ok, because = evaluate(rule.when, a, profiles)
        else:
            ok, because = predicate(a), []
        if not ok:
            continue
        base = a.scores[rule.competency].priority if rule.competency else 0.0
        hits.append(Hit(rule=rule, priority=round(base + rule.weight, 2), because=because))
    return hits
