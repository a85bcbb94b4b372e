"""The cross-references of a profile set: every id that points at something (a theme, a
competency, an item, a training, a source, a background, a role...) points at something
that exists, and no id is defined twice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ..messages import one_of, suggest
from .models import (
    Background,
    BackgroundsFile,
    Competency,
    Condition,
    FrameworkFile,
    Rule,
    RulesFile,
    StandardFile,
    TrainingsFile,
)
from .study import Table2File


def _dupes(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for i in ids:
        if i in seen and i not in out:
            out.append(i)
        seen.add(i)
    return out


def _walk(cond: Condition, where: str) -> Iterator[tuple[Condition, str]]:
    yield cond, where
    for key in ("all", "any"):
        for i, child in enumerate(getattr(cond, key) or []):
            yield from _walk(child, f"{where}.{key}[{i}]")
    if cond.not_ is not None:
        yield from _walk(cond.not_, f"{where}.not")


def cross_check(
    names: Mapping[str, str], fw: FrameworkFile, bg: BackgroundsFile, tr: TrainingsFile,
    ru: RulesFile,
) -> tuple[list[str], list[str]]:
    """Every id that refers to something must refer to something that exists.

    `names`: the files as shown, by key ("framework", "backgrounds", "trainings", "rules").
    Returns (errors, warnings); each line names the file and the entry.
    """
    check = _Ids(names, fw, bg, tr, ru)
    check.framework()
    check.backgrounds()
    check.trainings()
    check.rules()
    return check.errs, check.warns


@dataclass
class _Ids:
    """The ids a profile set defines, and the problems found with what refers to them."""

    names: Mapping[str, str]
    fw: FrameworkFile
    bg: BackgroundsFile
    tr: TrainingsFile
    ru: RulesFile
    errs: list[str] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        fw, bg = self.fw, self.bg
        self.sources = set(fw.sources)
        self.theme_ids = [t.id for t in fw.themes]
        self.comp_ids = [c.id for c in fw.competencies]
        self.ctx_ids = [c.id for c in fw.context]
        self.level_ids = [lv.id for lv in fw.levels]
        self.stage_ids = [s.id for s in bg.career_stages]
        self.bg_ids = [b.id for b in bg.backgrounds]
        self.role_ids = [r.id for r in bg.roles]
        self.setting_ids = [s.id for s in bg.settings]
        self.training_ids = [t.id for t in self.tr.trainings]

    def unknown(self, file: str, where: str, what: str, value: str, known: Sequence[str]) -> None:
        """`file: where: unknown what "value"`, with did-you-mean."""
        self.errs.append(f'{file}: {where}: unknown {what} "{value}"{suggest(value, known)}')

    def defined_twice(self, file: str, label: str, ids: list[str]) -> None:
        for d in _dupes(ids):
            self.errs.append(f'{file}: {label} id "{d}" is defined twice')

    def srcs(self, file: str, where: str, ids: list[str]) -> None:
        for s in ids:
            if s not in self.sources:
                self.errs.append(f'{file}: {where}: unknown source id "{s}" '
                                 f"(known: {one_of(sorted(self.sources))})")

    # ------------------------------------------------------------------ framework.toml

    def framework(self) -> None:
        fw, fwn = self.fw, self.names["framework"]
        for label, ids in (("theme", self.theme_ids), ("competency", self.comp_ids),
                           ("item", [i.id for c in fw.competencies for i in c.items]),
                           ("code", [c.id for c in fw.codes]), ("context item", self.ctx_ids),
                           ("level", self.level_ids)):
            self.defined_twice(fwn, label, ids)
        mins = [lv.min for lv in fw.levels]
        if mins != sorted(mins) or len(set(mins)) != len(mins):
            self.errs.append(f"{fwn}: levels: min values must rise strictly")
        if mins and mins[0] != 1.0:
            self.errs.append(f"{fwn}: levels[{fw.levels[0].id}].min: the first level must "
                             "start at 1.0")
        for t in fw.themes:
            self.srcs(fwn, f"themes[{t.id}]", t.sources)
        for c in fw.competencies:
            self.competency(c)
        for code in fw.codes:
            if code.competency not in self.comp_ids:
                self.unknown(fwn, f"codes[{code.id}].competency", "competency", code.competency,
                             self.comp_ids)
        for ctx in fw.context:
            self.srcs(fwn, f"context[{ctx.id}]", ctx.sources)
        for theme in fw.themes:
            members = [i for c in fw.competencies if c.theme == theme.id for i in c.items]
            if members and not any(i.reverse for i in members):
                self.warns.append(f"{fwn}: themes[{theme.id}]: no reverse-keyed item "
                                  "(acquiescence goes unchecked)")

    def competency(self, c: Competency) -> None:
        """A competency's theme, sources and the codes of its items."""
        fwn = self.names["framework"]
        code_comp = {code.id: code.competency for code in self.fw.codes}
        if c.theme not in self.theme_ids:
            self.unknown(fwn, f"competencies[{c.id}].theme", "theme", c.theme, self.theme_ids)
        self.srcs(fwn, f"competencies[{c.id}]", c.sources)
        for item in c.items:
            for code in item.codes:
                where = f"competencies[{c.id}].items[{item.id}].codes"
                if code not in code_comp:
                    self.unknown(fwn, where, "code", code, list(code_comp))
                elif code_comp[code] != c.id:
                    self.errs.append(f'{fwn}: {where}: code "{code}" belongs to competency '
                                     f'"{code_comp[code]}"')

    # ------------------------------------------------------------------ backgrounds.toml

    def backgrounds(self) -> None:
        bg, bgn = self.bg, self.names["backgrounds"]
        for label, ids in (("career stage", self.stage_ids), ("background", self.bg_ids),
                           ("role", self.role_ids), ("setting", self.setting_ids)):
            self.defined_twice(bgn, label, ids)
        self.career_stages()
        for b in bg.backgrounds:
            self.background_notes(b)
        for r in bg.roles:
            if r.background not in self.bg_ids:
                self.unknown(bgn, f"roles[{r.id}].background", "background", r.background,
                             self.bg_ids)
        for bid in self.bg_ids:
            if not any(r.background == bid for r in bg.roles):
                self.errs.append(f"{bgn}: backgrounds[{bid}]: no role belongs to this background")

    def career_stages(self) -> None:
        """Each stage but the last ends (max_years), and the ends rise."""
        bg, bgn = self.bg, self.names["backgrounds"]
        for i, stage in enumerate(bg.career_stages):
            last = i == len(bg.career_stages) - 1
            if last and stage.max_years is not None:
                self.errs.append(f"{bgn}: career_stages[{stage.id}]: the last stage must have "
                                 "no max_years")
            if not last and stage.max_years is None:
                self.errs.append(f"{bgn}: career_stages[{stage.id}]: only the last stage may "
                                 "omit max_years")
        maxes = [s.max_years for s in bg.career_stages if s.max_years is not None]
        if maxes != sorted(maxes):
            self.errs.append(f"{bgn}: career_stages: max_years must rise")

    def background_notes(self, b: Background) -> None:
        """What a background overlooks and its known gaps: known competencies, each once,
        none both."""
        bgn = self.names["backgrounds"]
        self.srcs(bgn, f"backgrounds[{b.id}]", b.sources)
        for key, notes in (("overlooked", b.overlooked), ("known_gaps", b.known_gaps)):
            for d in _dupes([n.competency for n in notes]):
                self.errs.append(f'{bgn}: backgrounds[{b.id}].{key}: competency "{d}" is '
                                 "listed twice")
            for n in notes:
                if n.competency not in self.comp_ids:
                    self.unknown(bgn, f"backgrounds[{b.id}].{key}", "competency",
                                 n.competency, self.comp_ids)
                self.srcs(bgn, f"backgrounds[{b.id}].{key}[{n.competency}]", n.sources)
        both = {n.competency for n in b.overlooked} & {n.competency for n in b.known_gaps}
        for c in sorted(both):
            self.errs.append(f'{bgn}: backgrounds[{b.id}]: "{c}" is both overlooked and a '
                             "known gap; a competency is one or the other")

    # ------------------------------------------------------------------ trainings.toml

    def trainings(self) -> None:
        trn = self.names["trainings"]
        self.defined_twice(trn, "training", self.training_ids)
        for t in self.tr.trainings:
            where = f"trainings[{t.id}]"
            self.srcs(trn, where, t.sources)
            if t.actors and t.kind != "organisational_action":
                self.errs.append(f"{trn}: {where}.actors: only organisational actions have actors")
            if t.kind == "organisational_action":
                if t.helpers:
                    self.errs.append(f"{trn}: {where}.helpers: organisational actions name "
                                     "their actors instead")
            elif not t.helpers:
                self.errs.append(f"{trn}: {where}.helpers: a personal activity needs at least "
                                 "one helper (who can help)")
            if not t.evidence.strip() or t.evidence.strip() == t.description.strip():
                self.errs.append(f"{trn}: {where}.evidence: must say how the person will show "
                                 "the activity is done (a checkable outcome), not repeat the "
                                 "description")

    # ------------------------------------------------------------------ rules.toml

    def rules(self) -> None:
        run = self.names["rules"]
        self.defined_twice(run, "rule", [r.id for r in self.ru.rules])
        for rule in self.ru.rules:
            self.rule(rule)

    def rule(self, rule: Rule) -> None:
        """A rule's competency, the competencies it constrains, its trainings and every id
        its condition names."""
        run, where, comps = self.names["rules"], f"rules[{rule.id}]", self.comp_ids
        self.srcs(run, where, rule.sources)
        if rule.competency is not None and rule.competency not in comps:
            self.unknown(run, f"{where}.competency", "competency", rule.competency, comps)
        for comp in rule.constrains:
            if comp not in comps:
                self.unknown(run, f"{where}.constrains", "competency", comp, comps)
        for tid in rule.trainings:
            if tid not in self.training_ids:
                self.unknown(run, f"{where}.trainings", "training", tid, self.training_ids)
        for cond, cwhere in _walk(rule.when, f"{where}.when"):
            self.condition(cond, cwhere)

    def condition(self, cond: Condition, where: str) -> None:
        """The ids one condition (not its parts) names."""
        comps = self.comp_ids
        checks: list[tuple[str, list[str], str, list[str]]] = [
            ("background", cond.background or [], "background", self.bg_ids),
            ("role", cond.role or [], "role", self.role_ids),
            ("career_stage", cond.career_stage or [], "career stage", self.stage_ids),
            ("setting", cond.setting or [], "setting", self.setting_ids),
            ("level", cond.level or [], "level", self.level_ids),
            ("competency", [cond.competency] if cond.competency else [], "competency", comps),
            ("importance", [cond.importance] if cond.importance else [], "competency", comps),
            ("context", [cond.context] if cond.context else [], "context item", self.ctx_ids),
        ]
        for key, values, what, known in checks:
            for v in values:
                if v not in known:
                    self.unknown(self.names["rules"], f"{where}.{key}", what, v, known)


def check_study_and_standard(
    names: Mapping[str, str], fw: FrameworkFile, t2: Table2File, st: StandardFile,
    bg: BackgroundsFile,
) -> tuple[list[str], list[str]]:
    """Table 2 is well formed and the framework points into it; the role standard has a
    target for every competency and career stage, and nothing else.

    Returns (errors, warnings); each line names the file and the entry.
    """
    errs = _table2(names["table2"], fw, t2)
    errs += _rows_of_table2(names["framework"], fw, t2)
    errs += _targets(names["standard"], fw, st, bg)
    return errs, []


def _table2(t2n: str, fw: FrameworkFile, t2: Table2File) -> list[str]:
    """Its source is known, no row twice, and each row's counts are within the groups."""
    errs = []
    if t2.source not in fw.sources:
        errs.append(f'{t2n}: source: unknown source id "{t2.source}" '
                    f"(known: {one_of(sorted(fw.sources))})")
    for d in _dupes([r.id for r in t2.rows]):
        errs.append(f'{t2n}: row id "{d}" is defined twice')
    groups = {"clinical": t2.groups.clinical.of, "traditional": t2.groups.traditional.of}
    for r in t2.rows:
        counts = {"clinical": r.clinical, "traditional": r.traditional}
        if r.kind == "theme":
            if any(v is not None for v in counts.values()):
                errs.append(f"{t2n}: rows[{r.id}]: a theme row carries no counts")
            continue
        for g, v in counts.items():
            if v is None:
                errs.append(f"{t2n}: rows[{r.id}].{g}: missing (a {r.kind} row has both counts)")
            elif v > groups[g]:
                errs.append(f"{t2n}: rows[{r.id}].{g}: {v} is more than the {groups[g]} "
                            f"{g} QIMs interviewed")
    return errs


def _rows_of_table2(fwn: str, fw: FrameworkFile, t2: Table2File) -> list[str]:
    """The framework points into Table 2: a competency the QIMs named at its row, each of
    its items at a code; one the authors suggest at none."""
    errs: list[str] = []
    rows = {r.id: r for r in t2.rows}

    def row_of(where: str, rid: str, kind: str) -> None:
        row = rows.get(rid)
        if row is None:
            errs.append(f'{fwn}: {where}: unknown row "{rid}" of Table 2 (table2.toml)'
                        f"{suggest(rid, list(rows))}")
        elif row.kind != kind:
            errs.append(f'{fwn}: {where}: row "{rid}" of Table 2 is a {row.kind} row, not a '
                        f"{kind} row")

    for c in fw.competencies:
        where = f"competencies[{c.id}]"
        if c.origin == "interviews":
            if c.row is None:
                errs.append(f"{fwn}: {where}.row: missing; a competency the QIMs named has its "
                            'row of Table 2 (or origin = "authors": suggested by the study\'s '
                            "authors, not named by the QIMs)")
            else:
                row_of(f"{where}.row", c.row, "competency")
            errs += [f"{fwn}: {where}.items[{item.id}].codes: at least one row of Table 2 "
                     "that the item measures" for item in c.items if not item.codes]
            continue
        if c.row is not None:
            errs.append(f'{fwn}: {where}.row: a competency of origin "authors" was not '
                        "named by the QIMs interviewed, so it has no row of Table 2")
        errs += [f"{fwn}: {where}.items[{item.id}].codes: a competency of origin "
                 '"authors" has no Table 2 codes' for item in c.items if item.codes]
    for code in fw.codes:
        row_of(f"codes[{code.id}]", code.id, "code")
    for d in _dupes([c.row for c in fw.competencies if c.row]):
        errs.append(f'{fwn}: competencies: row "{d}" belongs to two competencies')
    return errs


def _targets(stn: str, fw: FrameworkFile, st: StandardFile, bg: BackgroundsFile) -> list[str]:
    """A target for every competency and career stage, and for nothing else."""
    errs = []
    comp_ids = [c.id for c in fw.competencies]
    stage_ids = [s.id for s in bg.career_stages]
    for comp, by_stage in st.targets.items():
        if comp not in comp_ids:
            errs.append(f"{stn}: targets.{comp}: unknown competency{suggest(comp, comp_ids)}")
            continue
        for stage in by_stage:
            if stage not in stage_ids:
                errs.append(f"{stn}: targets.{comp}.{stage}: unknown career stage"
                            f"{suggest(stage, stage_ids)}")
        for stage in stage_ids:
            if stage not in by_stage:
                errs.append(f'{stn}: targets.{comp}: no target for career stage "{stage}"')
    for comp in comp_ids:
        if comp not in st.targets:
            errs.append(f'{stn}: targets: no targets for competency "{comp}"')
    return errs
