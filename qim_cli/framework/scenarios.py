"""Situational-judgement scenarios: the optional `profiles/scenarios.toml`.

Each scenario is a short workplace situation for one competency with four responses
(keys a–d) ranked from best (1) to worst (4) on the evidence, each with its rationale and
source ids. `check_scenarios` cross-checks the file against the rest of the profile set;
every problem is one line naming the file and the entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import Field

from ..messages import one_of, suggest
from .models import Id, Passage, SourceIds, Strict
from .passages import passage_problems

KEYS: tuple[str, ...] = ("a", "b", "c", "d")
RANKS: tuple[int, ...] = (1, 2, 3, 4)
OptionKey = Literal["a", "b", "c", "d"]
ScenarioId = Annotated[str, Field(pattern=r"^sc_[a-z0-9_]+$", max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]

#: how a situation reads best, in sentences (outside it: a warning, not an error)
SITUATION_SENTENCES = (3, 5)


class Option(Strict):
    key: OptionKey
    text: Text
    #: 1 = the best response on the evidence, 4 = the worst
    rank: int = Field(ge=1, le=4)
    rationale: Text
    source: SourceIds
    #: where in the sources to look (a pointer, never a quotation): "A: Results, supportiveness"
    passage: Passage | None = None


class Scenario(Strict):
    id: ScenarioId
    competency: Id
    title: Annotated[str, Field(min_length=1, max_length=120)]
    situation: Text
    question: Annotated[str, Field(min_length=1, max_length=200)]
    source: SourceIds
    #: a background whose typical error is the option ranked 4 [A]
    tripwire: Id | None = None
    option: list[Option] = Field(min_length=4, max_length=4)

    def by_key(self, key: str) -> Option:
        return next(o for o in self.option if o.key == key)

    def by_rank(self, rank: int) -> Option:
        return next(o for o in self.option if o.rank == rank)


class ScenariosFile(Strict):
    schema_version: Literal[1]
    scenario: list[Scenario] = Field(min_length=1)


def sentences(text: str) -> int:
    """How many sentences a text has (a full stop, ! or ? followed by space ends one)."""
    return len([s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s])


def _blank(text: str) -> bool:
    return not text.strip()


def check_scenarios(
    name: str, sf: ScenariosFile, competencies: list[str], sources: set[str], backgrounds: list[str]
) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a scenarios file against the profile set."""
    check = _ScenarioCheck(name, competencies, sources, backgrounds)
    seen: set[str] = set()
    for sc in sf.scenario:
        if sc.id in seen:
            check.errs.append(f'{name}: scenario id "{sc.id}" is defined twice')
        seen.add(sc.id)
        check.scenario(sc)
    for comp in competencies:
        if not any(sc.competency == comp for sc in sf.scenario):
            check.warns.append(f'{name}: no scenario for competency "{comp}"')
    return check.errs, check.warns


@dataclass
class _ScenarioCheck:
    name: str
    competencies: list[str]
    sources: set[str]
    backgrounds: list[str]
    errs: list[str] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)

    def srcs(self, where: str, ids: list[str]) -> None:
        for s in ids:
            if s not in self.sources:
                self.errs.append(f'{self.name}: {where}: unknown source id "{s}" '
                                 f"(known: {one_of(sorted(self.sources))})")
        for d in sorted(s for s, n in Counter(ids).items() if n > 1):
            self.errs.append(f'{self.name}: {where}: source id "{d}" is listed twice')

    def blank(self, where: str, obj: object, fields: tuple[str, ...]) -> None:
        for field_name in fields:
            if _blank(getattr(obj, field_name)):
                self.errs.append(f"{self.name}: {where}.{field_name}: must not be blank")

    def scenario(self, sc: Scenario) -> None:
        name, where = self.name, f"scenario[{sc.id}]"
        if sc.competency not in self.competencies:
            self.errs.append(f'{name}: {where}.competency: unknown competency "{sc.competency}"'
                             f"{suggest(sc.competency, self.competencies)}")
        if sc.tripwire is not None and sc.tripwire not in self.backgrounds:
            self.errs.append(f'{name}: {where}.tripwire: unknown background "{sc.tripwire}" '
                             f"(known: {one_of(self.backgrounds)})")
        self.blank(where, sc, ("title", "situation", "question"))
        self.srcs(f"{where}.source", sc.source)
        self.options(sc, where)
        # style: warnings only (a trainer's own scenarios may differ)
        low, high = SITUATION_SENTENCES
        n = sentences(sc.situation)
        if not low <= n <= high:
            self.warns.append(f"{name}: {where}.situation: {n} sentences ({low}–{high} read best)")
        keys = [o.key for o in sc.option]
        if sorted(keys) == list(KEYS) and [sc.by_key(k).rank for k in KEYS] == list(RANKS):
            self.warns.append(f"{name}: {where}.option: listed best to worst; shuffle them so "
                              "the order gives nothing away")

    def options(self, sc: Scenario, where: str) -> None:
        """Four options, a to d, ranked 1 to 4, each with its own text, rationale and sources."""
        name = self.name
        keys = [o.key for o in sc.option]
        if sorted(keys) != list(KEYS):
            self.errs.append(f"{name}: {where}.option: keys must be a, b, c and d, each once "
                             f"(got {', '.join(keys)})")
        ranks = [o.rank for o in sc.option]
        if sorted(ranks) != list(RANKS):
            self.errs.append(f"{name}: {where}.option: ranks must be 1, 2, 3 and 4, each once "
                             f"(got {', '.join(str(r) for r in ranks)})")
        texts = Counter(" ".join(o.text.lower().split()) for o in sc.option)
        if any(n > 1 for n in texts.values()):
            self.errs.append(f"{name}: {where}.option: two options have the same text")
        for o in sc.option:
            owhere = f"{where}.option[{o.key}]"
            self.blank(owhere, o, ("text", "rationale"))
            self.srcs(f"{owhere}.source", o.source)
            if o.passage is not None:  # "A: Results, x; Table 2, y; P: Box 2"
                self.errs += [f"{name}: {owhere}.passage: {p}" for p in passage_problems(
                    o.passage, o.source, "the option's source does not list")]
