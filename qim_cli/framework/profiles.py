"""Load and cross-check the profile set: framework, backgrounds, trainings and rules."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import DataError, NotFoundError, ProfileError
from ..loading import (
    display_name,
    one_of,
    read_file_bytes,
    read_toml_bytes,
    suggest,
    validation_lines,
)
from .alignment import AlignmentFile, barrier_values, check_alignment
from .models import (
    Background,
    BackgroundsFile,
    CareerStage,
    Competency,
    Condition,
    ContextItem,
    FrameworkFile,
    Item,
    Role,
    Rule,
    RulesFile,
    Training,
    TrainingsFile,
)
from .scenarios import Scenario, ScenariosFile, check_scenarios

FILES = {
    "framework": "framework.toml",
    "backgrounds": "backgrounds.toml",
    "trainings": "trainings.toml",
    "rules": "rules.toml",
    #: optional: without it a cohort report names levels by their ids and has no findings
    "alignment": "alignment.toml",
    #: optional: situational-judgement scenarios (`qim assess --scenarios`, calibration notes)
    "scenarios": "scenarios.toml",
}

M = TypeVar("M", bound=BaseModel)


def bundled_profiles_dir() -> Path:
    """The profile set shipped with qim: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent  # the qim_cli package
    for candidate in (here / "_profiles", here.parent / "profiles"):
        if (candidate / FILES["framework"]).is_file():
            return candidate
    raise NotFoundError("the bundled profile set is missing; reinstall qim or pass --profiles DIR")


def profiles_dir(explicit: str | Path | None = None) -> Path:
    """--profiles DIR, else $QIM_PROFILES, else the bundled set."""
    chosen = explicit or os.environ.get("QIM_PROFILES") or None
    if chosen is None:
        return bundled_profiles_dir()
    path = Path(chosen)
    if not path.is_dir():
        raise NotFoundError(f"{display_name(path)}: profile folder not found")
    return path


@dataclass(frozen=True)
class Profiles:
    """A loaded, cross-checked profile set with lookup tables."""

    directory: Path
    framework: FrameworkFile
    backgrounds_file: BackgroundsFile
    trainings_file: TrainingsFile
    rules_file: RulesFile
    fingerprint: str
    warnings: tuple[str, ...] = field(default=())
    alignment: AlignmentFile = field(default_factory=lambda: AlignmentFile(schema_version=1))
    scenarios_file: ScenariosFile | None = None

    @cached_property
    def scenarios(self) -> dict[str, Scenario]:
        """The situational-judgement scenarios by id (empty without scenarios.toml)."""
        return {s.id: s for s in self.scenarios_file.scenario} if self.scenarios_file else {}

    @property
    def files(self) -> list[Path]:  # the set's files: inputs no output may ever replace
        return [self.directory / name for name in FILES.values()]

    # ---- lookups
    @cached_property
    def competencies(self) -> dict[str, Competency]:
        return {c.id: c for c in self.framework.competencies}

    @cached_property
    def items(self) -> dict[str, tuple[Competency, Item]]:
        return {i.id: (c, i) for c in self.framework.competencies for i in c.items}

    @cached_property
    def context_items(self) -> dict[str, ContextItem]:
        return {c.id: c for c in self.framework.context}

    @cached_property
    def backgrounds(self) -> dict[str, Background]:
        return {b.id: b for b in self.backgrounds_file.backgrounds}

    @cached_property
    def roles(self) -> dict[str, Role]:
        return {r.id: r for r in self.backgrounds_file.roles}

    @cached_property
    def stages(self) -> dict[str, CareerStage]:
        return {s.id: s for s in self.backgrounds_file.career_stages}

    @cached_property
    def settings(self) -> dict[str, str]:
        return {s.id: s.label for s in self.backgrounds_file.settings}

    @cached_property
    def trainings(self) -> dict[str, Training]:
        return {t.id: t for t in self.trainings_file.trainings}

    @property
    def rules(self) -> list[Rule]:
        return self.rules_file.rules

    @cached_property
    def themes(self) -> dict[str, str]:
        return {t.id: t.label for t in self.framework.themes}

    @cached_property
    def blind_spots(self) -> dict[str, dict[str, str]]:
        """background id -> competency id -> note."""
        return {
            b.id: {s.competency: s.note for s in b.blind_spots} for b in self.backgrounds_file.backgrounds
        }

    @property
    def version(self) -> str:
        return self.framework.framework_version

    def career_stage(self, years: float) -> CareerStage:
        for stage in self.backgrounds_file.career_stages:
            if stage.max_years is None:
                return stage
            if years < stage.max_years or (stage.max_inclusive and years == stage.max_years):
                return stage
        return self.backgrounds_file.career_stages[-1]

    def target(self, background: str, stage: str, competency: str) -> float:
        return self.backgrounds[background].targets[competency][stage]

    @cached_property
    def _levels(self) -> tuple[tuple[float, str, str], ...]:
        return tuple((lv.min - 1e-9, lv.id, lv.label) for lv in reversed(self.framework.levels))

    def level_for(self, score: float) -> tuple[str, str]:
        for floor, lid, label in self._levels:
            if score >= floor:
                return lid, label
        return self._levels[-1][1], self._levels[-1][2]


def _parse(directory: Path, key: str, model: type[M]) -> tuple[M, bytes]:
    path = directory / FILES[key]
    name = display_name(path)
    try:
        data = read_file_bytes(path, name)
    except NotFoundError:
        raise ProfileError(f"{name}: profile file not found") from None
    except DataError as exc:  # a folder, a named pipe, unreadable: a profile error all the same
        raise ProfileError(exc.message, lines=exc.lines) from None
    raw = read_toml_bytes(data, name)
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        lines = validation_lines(name, exc, raw)
        raise ProfileError(lines[0], lines=lines) from None
    return parsed, data  # the bytes parsed are the bytes fingerprinted (read once)


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
    directory: Path, fw: FrameworkFile, bg: BackgroundsFile, tr: TrainingsFile, ru: RulesFile
) -> tuple[list[str], list[str]]:
    """Every id that refers to something must refer to something that exists.

    Returns (errors, warnings); each line names the file and the entry.
    """
    errs: list[str] = []
    warns: list[str] = []
    fwn = display_name(directory / FILES["framework"])
    bgn = display_name(directory / FILES["backgrounds"])
    trn = display_name(directory / FILES["trainings"])
    run = display_name(directory / FILES["rules"])
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


def load_profiles_uncached(directory: Path) -> Profiles:
    fw, fw_bytes = _parse(directory, "framework", FrameworkFile)
    bg, _ = _parse(directory, "backgrounds", BackgroundsFile)
    tr, _ = _parse(directory, "trainings", TrainingsFile)
    ru, _ = _parse(directory, "rules", RulesFile)
    errs, warns = cross_check(directory, fw, bg, tr, ru)
    al = AlignmentFile(schema_version=1)
    if (directory / FILES["alignment"]).exists():  # a pipe or folder is reported, not skipped
        al, _ = _parse(directory, "alignment", AlignmentFile)
        more_errs, more_warns = check_alignment(
            display_name(directory / FILES["alignment"]), al,
            {c.id: c.level for c in fw.context}, set(fw.sources), set(barrier_values(ru)),
        )
        errs += more_errs
        warns += more_warns
    else:
        warns.append(f"{display_name(directory / FILES['alignment'])}: not found, so cohort "
                     "reports show no alignment findings")
    sc: ScenariosFile | None = None
    if (directory / FILES["scenarios"]).exists():
        sc, _ = _parse(directory, "scenarios", ScenariosFile)
        more_errs, more_warns = check_scenarios(
            display_name(directory / FILES["scenarios"]), sc, [c.id for c in fw.competencies],
            set(fw.sources), [b.id for b in bg.backgrounds])
        errs += more_errs
        warns += more_warns
    if errs:
        raise ProfileError(errs[0], lines=errs)
    fingerprint = hashlib.sha256(fw_bytes).hexdigest()[:12]
    return Profiles(directory, fw, bg, tr, ru, fingerprint, tuple(warns), al, sc)


_CACHE: dict[Path, Profiles] = {}


def load_profiles(directory: str | Path | None = None) -> Profiles:
    """Load (once per process) the profile set from --profiles, $QIM_PROFILES or the bundle."""
    path = profiles_dir(directory).resolve()
    cached = _CACHE.get(path)
    if cached is None:
        cached = _CACHE[path] = load_profiles_uncached(path)
    return cached


def clear_cache() -> None:
    _CACHE.clear()


def as_plain(obj: Any) -> Any:
    """A model as JSON-ready data (used by `qim framework --format json`)."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json", by_alias=True, exclude_none=True)
    return obj
