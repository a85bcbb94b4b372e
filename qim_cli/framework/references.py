"""The cross-references of a profile set: every id that points at something (a theme, a
competency, an item, a training, a source, a background, a role...) points at something
that exists, and no id is defined twice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..loading import one_of, suggest
from .models import BackgroundsFile, Condition, FrameworkFile, RulesFile, TrainingsFile


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
        srcs(fwn, f"codes[{code.id}]", [code.source])
    for ctx in fw.context:
        srcs(fwn, f"context[{ctx.id}]", ctx.sources)
    srcs(fwn, "study", [fw.study.source])
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
        for comp, by_stage in b.targets.items():
            if comp not in comp_ids:
                errs.append(
                    f"{bgn}: backgrounds[{b.id}].targets.{comp}: unknown competency{suggest(comp, comp_ids)}"
                )
                continue
            for stage in by_stage:
                if stage not in stage_ids:
                    errs.append(
                        f"{bgn}: backgrounds[{b.id}].targets.{comp}.{stage}: unknown career stage{suggest(stage, stage_ids)}"
                    )
            for stage in stage_ids:
                if stage not in by_stage:
                    errs.append(
                        f'{bgn}: backgrounds[{b.id}].targets.{comp}: no target for career stage "{stage}"'
                    )
        for comp in comp_ids:
            if comp not in b.targets:
                errs.append(f'{bgn}: backgrounds[{b.id}].targets: no targets for competency "{comp}"')
        for spot in b.blind_spots:
            if spot.competency not in comp_ids:
                errs.append(
                    f'{bgn}: backgrounds[{b.id}].blind_spots: unknown competency "{spot.competency}"{suggest(spot.competency, comp_ids)}'
                )
            srcs(bgn, f"backgrounds[{b.id}].blind_spots[{spot.competency}]", spot.sources)
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
        for comp in rule.explains:
            if comp not in comp_ids:
                errs.append(f'{run}: {where}.explains: unknown competency "{comp}"{suggest(comp, comp_ids)}')
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
