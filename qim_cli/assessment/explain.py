"""Why a rule fired, in words: each condition that held and the person's actual value.

Whether a condition holds is decided by the compiled rules alone (rules.py); this module
only describes, for a rule that fired, which parts held and with what values.
"""

from __future__ import annotations

from ..framework.models import Condition
from ..framework.profiles import Profiles
from .results import Fired
from .rules import healthcare_years, holds
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


def _competency_words(cond: Condition, label: str) -> str:
    """`Systems thinking: gap to target ≥ 0.5`, the tests of a competency condition."""
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
        return _competency_words(cond, profiles.competencies[cond.competency].label)
    if cond.importance is not None:
        label = profiles.competencies[cond.importance].label
        return f"self-rated importance of {label} {_bounds(cond)}"
    if cond.healthcare_years_below is not None:
        return f"years in healthcare < {_fmt(cond.healthcare_years_below)}"
    if cond.healthcare_years_at_least is not None:
        return f"years in healthcare ≥ {_fmt(cond.healthcare_years_at_least)}"
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
    if cond.healthcare_years_below is not None or cond.healthcare_years_at_least is not None:
        if r.years_in_healthcare is None:
            return (f"{_fmt(healthcare_years(a))} (not given: taken as the years as a QIM; "
                    "add years_in_healthcare to the sheet if you worked in healthcare before)")
        return f"{_fmt(r.years_in_healthcare)}"
    assert cond.context is not None
    answer = a.sheet.context.get(cond.context)
    if answer is None:
        return "not answered"
    if answer == "na":
        return "not applicable / don't know"
    return "answered " + _scale_word(profiles, "context", answer)


def because(cond: Condition, a: Assessment, profiles: Profiles) -> list[Fired]:
    """The parts of a condition that hold (which the caller knows it does), with values:
    every part of an "all", the branches of an "any" that held, a "not" with the value
    it checked."""
    if cond.all is not None:
        return [f for child in cond.all for f in because(child, a, profiles)]
    if cond.any is not None:
        return [f for child in cond.any if holds(child, a) for f in because(child, a, profiles)]
    if cond.not_ is not None:
        return [Fired(condition=describe(cond, profiles), value=_leaf_values(cond.not_, a, profiles))]
    return [Fired(condition=describe(cond, profiles), value=_value(cond, a, profiles))]


def _leaf_values(cond: Condition, a: Assessment, profiles: Profiles) -> str:
    children = cond.all or cond.any
    if children is not None:
        return "; ".join(_leaf_values(c, a, profiles) for c in children)
    if cond.not_ is not None:
        return _leaf_values(cond.not_, a, profiles)
    return _value(cond, a, profiles)
