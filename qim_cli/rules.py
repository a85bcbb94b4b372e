"""The rule engine: declarative conditions over an assessment, explained. Nothing is eval'd."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Condition, Fired, Rule
from .profiles import Profiles
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


@dataclass(frozen=True)
class Hit:
    """A rule whose condition held for this assessment."""

    rule: Rule
    priority: float
    because: list[Fired]


def fire_rules(a: Assessment, profiles: Profiles) -> list[Hit]:
    """Every rule whose condition holds, in file order, with its priority."""
    hits = []
    for rule in profiles.rules:
        ok, because = evaluate(rule.when, a, profiles)
        if not ok:
            continue
        base = a.scores[rule.competency].priority if rule.competency else 0.0
        hits.append(Hit(rule=rule, priority=round(base + rule.weight, 2), because=because))
    return hits
