"""The cross-references of a profile set: every id that points at something (a theme, a
competency, an item, a training, a source, a background, a role...) points at something
that exists, and no id is defined twice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..messages import one_of, suggest
from .models import (
    BackgroundsFile,
    Condition,
    FrameworkFile,
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
    errs: list[str] = []
    warns: list[str] = []
    fwn, bgn, trn, run = (names[k] for k in ("framework", "backgrounds", "trainings", "rules"))
    sources = set(fw.sources)

    def srcs(file: str, where: str, ids: list[str]) -> None:
        for s in ids:
            if s not in sources:
                errs.append(f'{file}: {where}: unknown source id "{s}" (known: {one_of(sorted(sources))})')

    # framework
    theme_ids = [t.id for t in fw.themes]
    comp_ids = [c.id for c in fw.competencies]
    item_ids = [i.id for c in fw.competencies for i in c.items]
    code_ids = [c.id for c in fw.codes]
    ctx_ids = [c.id for c in fw.context]
    for label, ids in (
        ("theme", theme_ids),
        ("competency", comp_ids),
        ("item", item_ids),
        ("code", code_ids),
        ("context item", ctx_ids),
        ("level", [lv.id for lv in fw.levels]),
    ):
        for d in _dupes(ids):
            errs.append(f'{fwn}: {label} id "{d}" is defined twice')
    mins = [lv.min for lv in fw.levels]
    if mins != sorted(mins) or len(set(mins)) != len(mins):
        errs.append(f"{fwn}: levels: min values must rise strictly")
    if mins and mins[0] != 1.0:
        errs.append(f"{fwn}: levels[{fw.levels[0].id}].min: the first level must start at 1.0")
    code_comp = {c.id: c.competency for c in fw.codes}
    for t in fw.themes:
        srcs(fwn, f"themes[{t.id}]", t.sources)
    for c in fw.competencies:
        if c.theme not in theme_ids:
            errs.append(
                f'{fwn}: competencies[{c.id}].theme: unknown theme "{c.theme}"{suggest(c.theme, theme_ids)}'
            )
        srcs(fwn, f"competencies[{c.id}]", c.sources)
        for item in c.items:
            for code in item.codes:
                if code not in code_comp:
                    errs.append(
                        f'{fwn}: competencies[{c.id}].items[{item.id}].codes: unknown code "{code}"{suggest(code, code_ids)}'
                    )
                elif code_comp[code] != c.id:
                    errs.append(
                        f'{fwn}: competencies[{c.id}].items[{item.id}].codes: code "{code}" belongs to competency "{code_comp[code]}"'
                    )
    for code in fw.codes:
        if code.competency not in comp_ids:
            errs.append(
                f'{fwn}: codes[{code.id}].competency: unknown competency "{code.competency}"{suggest(code.competency, comp_ids)}'
            )
    for ctx in fw.context:
        srcs(fwn, f"context[{ctx.id}]", ctx.sources)
    for theme in fw.themes:
        members = [i for c in fw.competencies if c.theme == theme.id for i in c.items]
        if members and not any(i.reverse for i in members):
            warns.append(f"{fwn}: themes[{theme.id}]: no reverse-keyed item (acquiescence goes unchecked)")

    # backgrounds
    stage_ids = [s.id for s in bg.career_stages]
    bg_ids = [b.id for b in bg.backgrounds]
    role_ids = [r.id for r in bg.roles]
    setting_ids = [s.id for s in bg.settings]
    for label, ids in (
        ("career stage", stage_ids),
        ("background", bg_ids),
        ("role", role_ids),
        ("setting", setting_ids),
    ):
        for d in _dupes(ids):
            errs.append(f'{bgn}: {label} id "{d}" is defined twice')
    for i, stage in enumerate(bg.career_stages):
        last = i == len(bg.career_stages) - 1
        if last and stage.max_years is not None:
            errs.append(f"{bgn}: career_stages[{stage.id}]: the last stage must have no max_years")
        if not last and stage.max_years is None:
            errs.append(f"{bgn}: career_stages[{stage.id}]: only the last stage may omit max_years")
    maxes = [s.max_years for s in bg.career_stages if s.max_years is not None]
    if maxes != sorted(maxes):
        errs.append(f"{bgn}: career_stages: max_years must rise")
    for b in bg.backgrounds:
        srcs(bgn, f"backgrounds[{b.id}]", b.sources)
        for key in ("overlooked", "known_gaps"):
            notes = getattr(b, key)
            for d in _dupes([n.competency for n in notes]):
                errs.append(f'{bgn}: backgrounds[{b.id}].{key}: competency "{d}" is listed twice')
            for n in notes:
                if n.competency not in comp_ids:
                    errs.append(
                        f'{bgn}: backgrounds[{b.id}].{key}: unknown competency "{n.competency}"{suggest(n.competency, comp_ids)}'
                    )
                srcs(bgn, f"backgrounds[{b.id}].{key}[{n.competency}]", n.sources)
        both = {n.competency for n in b.overlooked} & {n.competency for n in b.known_gaps}
        for c in sorted(both):
            errs.append(f'{bgn}: backgrounds[{b.id}]: "{c}" is both overlooked and a known gap; '
                        "a competency is one or the other")
    for r in bg.roles:
        if r.background not in bg_ids:
            errs.append(
                f'{bgn}: roles[{r.id}].background: unknown background "{r.background}"{suggest(r.background, bg_ids)}'
            )
    for b in bg_ids:
        if not any(r.background == b for r in bg.roles):
            errs.append(f"{bgn}: backgrounds[{b}]: no role belongs to this background")

    # trainings
    training_ids = [t.id for t in tr.trainings]
    for d in _dupes(training_ids):
        errs.append(f'{trn}: training id "{d}" is defined twice')
    for t in tr.trainings:
        srcs(trn, f"trainings[{t.id}]", t.sources)
        if t.actors and t.kind != "organisational_action":
            errs.append(f"{trn}: trainings[{t.id}].actors: only organisational actions have actors")
        if t.kind == "organisational_action":
            if t.helpers:
                errs.append(f"{trn}: trainings[{t.id}].helpers: organisational actions name their "
                            "actors instead")
        elif not t.helpers:
            errs.append(f"{trn}: trainings[{t.id}].helpers: a personal activity needs at least one "
                        "helper (who can help)")
        if not t.evidence.strip() or t.evidence.strip() == t.description.strip():
            errs.append(f"{trn}: trainings[{t.id}].evidence: must say how the person will show "
                        "the activity is done (a checkable outcome), not repeat the description")

    # rules
    for d in _dupes([r.id for r in ru.rules]):
        errs.append(f'{run}: rule id "{d}" is defined twice')
    level_ids = [lv.id for lv in fw.levels]
    for rule in ru.rules:
        where = f"rules[{rule.id}]"
        srcs(run, where, rule.sources)
        if rule.competency is not None and rule.competency not in comp_ids:
            errs.append(
                f'{run}: {where}.competency: unknown competency "{rule.competency}"{suggest(rule.competency, comp_ids)}'
            )
        for comp in rule.constrains:
            if comp not in comp_ids:
                errs.append(f'{run}: {where}.constrains: unknown competency "{comp}"{suggest(comp, comp_ids)}')
        for tid in rule.trainings:
            if tid not in training_ids:
                errs.append(f'{run}: {where}.trainings: unknown training "{tid}"{suggest(tid, training_ids)}')
        for cond, cwhere in _walk(rule.when, f"{where}.when"):
            checks: list[tuple[str, list[str] | None, list[str]]] = [
                ("background", cond.background, bg_ids),
                ("role", cond.role, role_ids),
                ("career_stage", cond.career_stage, stage_ids),
                ("setting", cond.setting, setting_ids),
                ("level", cond.level, level_ids),
                ("competency", [cond.competency] if cond.competency else None, comp_ids),
                ("importance", [cond.importance] if cond.importance else None, comp_ids),
                ("context", [cond.context] if cond.context else None, ctx_ids),
            ]
            for key, values, known in checks:
                for v in values or []:
                    if v not in known:
                        what = "competency" if key == "importance" else key.replace("_", " ")
                        what = "context item" if key == "context" else what
                        errs.append(f'{run}: {cwhere}.{key}: unknown {what} "{v}"{suggest(v, known)}')
    return errs, warns


def check_study_and_standard(
    names: Mapping[str, str], fw: FrameworkFile, t2: Table2File, st: StandardFile,
    bg: BackgroundsFile,
) -> tuple[list[str], list[str]]:
    """Table 2 is well formed and the framework points into it; the role standard has a
    target for every competency and career stage, and nothing else.

    Returns (errors, warnings); each line names the file and the entry.
    """
    errs: list[str] = []
    warns: list[str] = []
    fwn, t2n, stn = names["framework"], names["table2"], names["standard"]
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
    rows = {r.id: r for r in t2.rows}
    comp_ids = [c.id for c in fw.competencies]

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
        else:
            if c.row is not None:
                errs.append(f'{fwn}: {where}.row: a competency of origin "authors" was not '
                            "named by the QIMs interviewed, so it has no row of Table 2")
            for item in c.items:
                if item.codes:
                    errs.append(f"{fwn}: {where}.items[{item.id}].codes: a competency of origin "
                                '"authors" has no Table 2 codes')
        if c.origin == "interviews":
            for item in c.items:
                if not item.codes:
                    errs.append(f"{fwn}: {where}.items[{item.id}].codes: at least one row of "
                                "Table 2 that the item measures")
    for code in fw.codes:
        row_of(f"codes[{code.id}]", code.id, "code")
    for d in _dupes([r for c in fw.competencies if c.row for r in [c.row]]):
        errs.append(f'{fwn}: competencies: row "{d}" belongs to two competencies')

    stage_ids = [s.id for s in bg.career_stages]
    for comp, by_stage in st.targets.items():
        if comp not in comp_ids:
            errs.append(f"{stn}: targets.{comp}: unknown competency{suggest(comp, comp_ids)}")
            continue
        for stage in by_stage:
            if stage not in stage_ids:
                errs.append(f"{stn}: targets.{comp}.{stage}: unknown career stage{suggest(stage, stage_ids)}")
        for stage in stage_ids:
            if stage not in by_stage:
                errs.append(f'{stn}: targets.{comp}: no target for career stage "{stage}"')
    for comp in comp_ids:
        if comp not in st.targets:
            errs.append(f'{stn}: targets: no targets for competency "{comp}"')
    return errs, warns
