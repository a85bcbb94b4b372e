"""The organisation in the profile set: its levels and QUASER challenges, the alignment
findings of `profiles/alignment.toml`, and when a context answer counts as a barrier.

A context answer counts as a barrier when it meets the condition that a barrier rule of
`rules.toml` puts on that question (for example ``context = "protected_time", at_most = 2``).
The threshold is read from the rules, never written down a second time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from .models import Condition, ContextItem, Id, Passage, RuleId, RulesFile, SourceIds, Strict

LevelId = Literal["front_line", "middle_managers", "board", "organisation"]
QuaserId = Literal[
    "leadership", "political", "cultural", "educational", "emotional",
    "physical_technological", "structural", "external_demands",
]
#: the levels, top of the report first is the front line (the order of the model of alignment)
LEVELS: tuple[str, ...] = ("front_line", "middle_managers", "board", "organisation")
QUASER: tuple[str, ...] = (
    "leadership", "political", "cultural", "educational", "emotional",
    "physical_technological", "structural", "external_demands",
)
Share = float


class Named(Strict):
    label: str
    description: str
    sources: SourceIds
    passage: Passage | None = None


class StaffLevel(Named):
    """A level of staff who answer a context sheet (front line, middle managers, senior
    leaders, board): its name, and the level of the organisation it belongs to, whose
    context questions it answers in the first person."""

    level: LevelId


class Finding(Strict):
    """Two sides of the organisation that disagree: one reported as in place, one as a barrier."""

    id: RuleId
    title: str
    message: str
    in_place: list[Id] = Field(min_length=1)
    barrier: list[Id] = Field(min_length=1)
    in_place_share_at_most: Share = Field(ge=0, le=1)
    barrier_share_at_least: Share = Field(ge=0, le=1)
    sources: SourceIds
    passage: Passage | None = None


class AlignmentFile(Strict):
    schema_version: Literal[1]
    levels: dict[LevelId, Named] = {}
    quaser: dict[QuaserId, Named] = {}
    findings: list[Finding] = []
    #: who answers a context sheet, in the order shown (front line first)
    staff_levels: dict[Id, StaffLevel] = {}


def _positive_leaves(cond: Condition) -> Iterator[Condition]:
    """Leaf conditions that make a rule fire when they hold (not those under `not`)."""
    for child in (cond.all or []) + (cond.any or []):
        yield from _positive_leaves(child)
    if cond.all is None and cond.any is None and cond.not_ is None:
        yield cond


def barrier_values(rules: RulesFile) -> dict[str, frozenset[int]]:
    """Per context question, the answers (1–5) that a barrier rule treats as a barrier.

    Questions no barrier rule looks at are absent: for them no share is reported.
    """
    out: dict[str, set[int]] = {}
    for rule in rules.rules:
        if rule.kind != "barrier":
            continue
        for leaf in _positive_leaves(rule.when):
            if leaf.context is None:
                continue
            lo = leaf.at_least if leaf.at_least is not None else 1
            hi = leaf.at_most if leaf.at_most is not None else 5
            out.setdefault(leaf.context, set()).update(range(lo, hi + 1))
    return {k: frozenset(v) for k, v in out.items()}


def barrier_rules_of(rules: RulesFile) -> dict[str, list[str]]:
    """Per context question, the ids of the barrier rules that look at it (file order)."""
    out: dict[str, list[str]] = {}
    for rule in rules.rules:
        if rule.kind != "barrier":
            continue
        for leaf in _positive_leaves(rule.when):
            if leaf.context is not None and rule.id not in out.setdefault(leaf.context, []):
                out[leaf.context].append(rule.id)
    return out


def check_alignment(
    name: str, al: AlignmentFile, context_levels: dict[str, str], sources: set[str],
    barrier_questions: set[str],
) -> tuple[list[str], list[str]]:
    """(errors, warnings) of alignment.toml against the rest of the profile set."""
    errs: list[str] = []
    for key, table in (("levels", al.levels.items()), ("quaser", al.quaser.items()),
                       ("staff_levels", al.staff_levels.items())):
        for k, v in table:
            errs += _unknown_sources(name, f"{key}.{k}", v.sources, sources)
    for k, staff in al.staff_levels.items():
        if staff.level == "organisation":
            errs.append(f'{name}: staff_levels.{k}.level: must be front_line, middle_managers or '
                        'board (the organisation as a whole is what questions are about, not a '
                        'level of staff)')
    seen: set[str] = set()
    for f in al.findings:
        if f.id in seen:
            errs.append(f'{name}: finding id "{f.id}" is defined twice')
        seen.add(f.id)
        errs += _unknown_sources(name, f"findings[{f.id}]", f.sources, sources)
        errs += _finding_sides(name, f, context_levels, barrier_questions)
    warns = [f'{name}: context item "{q}" has no barrier rule, so no cohort share of people '
             "reporting it as a barrier" for q in context_levels if q not in barrier_questions]
    return errs, warns


def _unknown_sources(name: str, where: str, ids: list[str], sources: set[str]) -> list[str]:
    return [f'{name}: {where}: unknown source id "{s}"' for s in ids if s not in sources]


def _finding_sides(name: str, f: Finding, context_levels: dict[str, str],
                   barrier_questions: set[str]) -> list[str]:
    """Both sides ask known questions that a barrier rule reads, none on both sides, and
    about different levels of the organisation."""
    errs = []
    where = f"findings[{f.id}]"
    for side, questions in (("in_place", f.in_place), ("barrier", f.barrier)):
        for q in questions:
            if q not in context_levels:
                errs.append(f'{name}: {where}.{side}: unknown context item "{q}"')
            elif q not in barrier_questions:
                errs.append(f'{name}: {where}.{side}: no barrier rule in rules.toml says when '
                            f'"{q}" is a barrier')
    both = set(f.in_place) & set(f.barrier)
    if both:
        errs.append(f"{name}: {where}: {', '.join(sorted(both))} is on both sides")
    lv_in = {context_levels[q] for q in f.in_place if q in context_levels}
    lv_bar = {context_levels[q] for q in f.barrier if q in context_levels}
    if lv_in & lv_bar:
        errs.append(f"{name}: {where}: both sides ask about the same level "
                    f"({', '.join(sorted(lv_in & lv_bar))}); a finding compares levels")
    return errs


def check_wordings(name: str, context: list[ContextItem], al: AlignmentFile | None,
                   sources: set[str]) -> list[str]:
    """Errors of the context questions' wordings for each level of staff (framework.toml's
    `by_level`): unknown source ids, and (given alignment.toml) levels its `staff_levels`
    does not name."""
    errs: list[str] = []
    for item in context:
        if item.by_level is None:
            continue
        where = f"context[{item.id}].by_level"
        errs += [f'{name}: {where}: unknown source id "{s}"' for s in item.by_level.sources
                 if s not in sources]
        if al is None:
            continue
        for level in item.by_level.text:
            if level not in al.staff_levels:
                known = ", ".join(al.staff_levels) or "none: alignment.toml names no staff_levels"
                errs.append(f"{name}: {where}.text.{level}: unknown level of staff (known: "
                            f"{known})")
    return errs
