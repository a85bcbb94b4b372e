"""Every claim of the profile set with its sources and its passage pointer.

A claim is an entry that says something on the evidence and cites sources for it: a
theme, a competency, a context question and its wording for each level of staff, a
background and what it overlooks or lacks, a training, a rule, a level, level of staff,
QUASER challenge or finding of the organisation's view, a
scenario's option, and Table 2 itself. Each carries a ``passage``: where in its sources a
reader can check it (passages.py). `claims` lists them all (profiles/EVIDENCE.md has one
row for each, and a test keeps the two together); `check_claims` reports a passage that
points nowhere as an error and a claim without a passage as a warning, so that an edited
profile set from before passages still loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .models import BackgroundsFile, FrameworkFile, RulesFile, TrainingsFile
from .organisation import AlignmentFile, Named
from .passages import passage_problems
from .scenarios import ScenariosFile
from .study import Table2File


@dataclass(frozen=True)
class Claim:
    file: str  # the profile file's key: framework, backgrounds, trainings ...
    where: str  # the entry, as messages name it: rules[barrier-no-protected-time]
    sources: tuple[str, ...]
    passage: str | None
    text: str  # what it says (the first of its texts: a message, a note, a description)


def claims(fw: FrameworkFile, bg: BackgroundsFile, tr: TrainingsFile, ru: RulesFile,
           al: AlignmentFile | None = None, sc: ScenariosFile | None = None,
           t2: Table2File | None = None) -> Iterator[Claim]:
    """Every claim of the profile set, file by file in the order written."""
    yield from _framework(fw)
    if t2 is not None:
        yield Claim("table2", "table2", (t2.source,), t2.passage, t2.title)
    yield from _backgrounds(bg)
    for tg in tr.trainings:
        yield Claim("trainings", f"trainings[{tg.id}]", tuple(tg.sources), tg.passage,
                    tg.description)
    for r in ru.rules:
        yield Claim("rules", f"rules[{r.id}]", tuple(r.sources), r.passage, r.message)
    if al is not None:
        yield from _alignment(al)
    if sc is not None:
        for s in sc.scenario:
            for o in s.option:
                yield Claim("scenarios", f"scenario[{s.id}].option[{o.key}]", tuple(o.source),
                            o.passage, o.rationale)


def _framework(fw: FrameworkFile) -> Iterator[Claim]:
    for t in fw.themes:
        yield Claim("framework", f"themes[{t.id}]", tuple(t.sources), t.passage, t.description)
    for c in fw.competencies:
        yield Claim("framework", f"competencies[{c.id}]", tuple(c.sources), c.passage,
                    c.description)
    for x in fw.context:
        yield Claim("framework", f"context[{x.id}]", tuple(x.sources), x.passage, x.help)
        if x.by_level is not None:
            yield Claim("framework", f"context[{x.id}].by_level", tuple(x.by_level.sources),
                        x.by_level.passage, next(iter(x.by_level.text.values())))


def _backgrounds(bg: BackgroundsFile) -> Iterator[Claim]:
    for b in bg.backgrounds:
        yield Claim("backgrounds", f"backgrounds[{b.id}]", tuple(b.sources), b.passage,
                    b.description)
        for key, notes in (("overlooked", b.overlooked), ("known_gaps", b.known_gaps)):
            for n in notes:
                yield Claim("backgrounds", f"backgrounds[{b.id}].{key}[{n.competency}]",
                            tuple(n.sources), n.passage, n.note)


def _alignment(al: AlignmentFile) -> Iterator[Claim]:
    yield from _named("levels", al.levels.items())
    yield from _named("quaser", al.quaser.items())
    yield from _named("staff_levels", al.staff_levels.items())
    for f in al.findings:
        yield Claim("alignment", f"findings[{f.id}]", tuple(f.sources), f.passage, f.message)


def _named(key: str, table: Iterable[tuple[str, Named]]) -> Iterator[Claim]:
    for k, named in table:
        yield Claim("alignment", f"{key}.{k}", tuple(named.sources), named.passage,
                    named.description)


def check_claims(
    names: Mapping[str, str], fw: FrameworkFile, bg: BackgroundsFile, tr: TrainingsFile,
    ru: RulesFile, al: AlignmentFile | None, sc: ScenariosFile | None, t2: Table2File,
) -> tuple[list[str], list[str]]:
    """(errors, warnings): a passage that points into a source the entry does not cite, or
    that names no source, is an error; a claim without a passage is a warning. Scenario
    options' passages are checked with the scenarios (scenarios.py)."""
    errs: list[str] = []
    warns: list[str] = []
    for c in claims(fw, bg, tr, ru, al, sc, t2):
        name = names.get(c.file, c.file)
        if c.passage is None:
            warns.append(f"{name}: {c.where}: no passage: say where in its sources "
                         f"({', '.join(c.sources)}) this rests, e.g. "
                         '"A: Results, trustworthiness" (qim: for qim\'s own choice)')
        elif c.file != "scenarios":
            errs += [f"{name}: {c.where}.passage: {p}"
                     for p in passage_problems(c.passage, list(c.sources))]
    return errs, warns
