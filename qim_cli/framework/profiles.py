"""Load and cross-check the profile set: framework, the study's table, the role standard,
backgrounds, trainings and rules."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import DataError, NotFoundError, ProfileError
from ..messages import validation_lines
from ..parsing import read_toml_bytes
from ..reading import display_name, read_file_bytes
from .claims import check_claims
from .models import (
    Background,
    BackgroundsFile,
    CareerStage,
    Competency,
    ContextItem,
    FrameworkFile,
    Item,
    Role,
    Rule,
    RulesFile,
    StandardFile,
    Training,
    TrainingsFile,
)
from .organisation import AlignmentFile, StaffLevel, barrier_values, check_alignment, check_wordings
from .precision import CompetencyPrecision, PrecisionFile, check_precision
from .references import check_study_and_standard, cross_check
from .scenarios import Scenario, ScenariosFile, check_scenarios
from .study import Table2File, Table2Row

#: how a background's advice flags a competency: it overlooks it, or it is a known gap
BackgroundFlag = Literal["overlooked", "known_gap"]

FILES = {
    "framework": "framework.toml",
    #: Table 2 of [A]: the one table every figure quoted from the study comes from
    "table2": "table2.toml",
    #: the role standard: one target per competency and career stage, for every background
    "standard": "standard.toml",
    #: how precise each competency's score is: its reliability and SD (qim's convention)
    "precision": "precision.toml",
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
    table2: Table2File
    standard: StandardFile
    warnings: tuple[str, ...] = field(default=())
    alignment: AlignmentFile = field(default_factory=lambda: AlignmentFile(schema_version=1))
    scenarios_file: ScenariosFile | None = None
    precision_file: PrecisionFile | None = None

    @cached_property
    def scenarios(self) -> dict[str, Scenario]:
        """The situational-judgement scenarios by id (empty without scenarios.toml)."""
        return {s.id: s for s in self.scenarios_file.scenario} if self.scenarios_file else {}

    @property
    def files(self) -> list[Path]:  # the set's files: inputs no output may ever replace
        return [self.directory / name for name in FILES.values()]

    @property
    def precision(self) -> PrecisionFile:
        """Each competency's reliability and SD (precision.toml), with their basis."""
        assert self.precision_file is not None, "a loaded profile set has precision.toml"
        return self.precision_file

    def precision_of(self, competency: str) -> CompetencyPrecision:
        return self.precision.competencies[competency]

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

    @property
    def staff_levels(self) -> dict[str, StaffLevel]:
        """Who answers a context sheet (alignment.toml's `staff_levels`), front line first."""
        return self.alignment.staff_levels

    def context_text(self, question: str, level: str | None = None) -> str:
        """A context question as a level of staff is asked it (framework.toml's `by_level`),
        else as a QIM is asked it."""
        item = self.context_items[question]
        if level is not None and item.by_level is not None:
            return item.by_level.text.get(level, item.text)
        return item.text

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
    def overlooked(self) -> dict[str, dict[str, str]]:
        """background id -> competency id -> note: what the study says the background overlooks."""
        return {b.id: {n.competency: n.note for n in b.overlooked}
                for b in self.backgrounds_file.backgrounds}

    @cached_property
    def known_gaps(self) -> dict[str, dict[str, str]]:
        """background id -> competency id -> note: what the background lacks when it comes
        from outside healthcare."""
        return {b.id: {n.competency: n.note for n in b.known_gaps}
                for b in self.backgrounds_file.backgrounds}

    def background_flag(self, background: str, competency: str) -> BackgroundFlag | None:
        """"overlooked", "known_gap" or None: how a background's advice flags a competency."""
        if competency in self.overlooked.get(background, {}):
            return "overlooked"
        if competency in self.known_gaps.get(background, {}):
            return "known_gap"
        return None

    def background_note(self, background: str, competency: str) -> str | None:
        return (self.overlooked.get(background, {}).get(competency)
                or self.known_gaps.get(background, {}).get(competency))

    @cached_property
    def table2_rows(self) -> dict[str, Table2Row]:
        return {r.id: r for r in self.table2.rows}

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

    def target(self, stage: str, competency: str) -> float:
        """The role standard's target: the same for every background (standard.toml)."""
        return self.standard.targets[competency][stage]

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


def load_profiles_uncached(directory: Path) -> Profiles:
    fw, fw_bytes = _parse(directory, "framework", FrameworkFile)
    t2, t2_bytes = _parse(directory, "table2", Table2File)
    st, st_bytes = _parse(directory, "standard", StandardFile)
    bg, _ = _parse(directory, "backgrounds", BackgroundsFile)
    tr, _ = _parse(directory, "trainings", TrainingsFile)
    ru, _ = _parse(directory, "rules", RulesFile)
    pr, _ = _parse(directory, "precision", PrecisionFile)
    names = {k: display_name(directory / FILES[k]) for k in FILES}
    errs, warns = cross_check(names, fw, bg, tr, ru)
    more_errs, more_warns = check_study_and_standard(names, fw, t2, st, bg)
    errs += more_errs
    warns += more_warns
    errs += check_precision(names["precision"], pr, [c.id for c in fw.competencies])
    al = AlignmentFile(schema_version=1)
    if (directory / FILES["alignment"]).exists():  # a pipe or folder is reported, not skipped
        al, _ = _parse(directory, "alignment", AlignmentFile)
        more_errs, more_warns = check_alignment(
            display_name(directory / FILES["alignment"]), al,
            {c.id: c.level for c in fw.context}, set(fw.sources), set(barrier_values(ru)),
        )
        errs += more_errs
        warns += more_warns
        errs += check_wordings(names["framework"], fw.context, al, set(fw.sources))
    else:
        warns.append(f"{display_name(directory / FILES['alignment'])}: not found, so cohort "
                     "reports show no alignment findings and there are no context sheets")
        errs += check_wordings(names["framework"], fw.context, None, set(fw.sources))
    sc: ScenariosFile | None = None
    if (directory / FILES["scenarios"]).exists():
        sc, _ = _parse(directory, "scenarios", ScenariosFile)
        more_errs, more_warns = check_scenarios(
            display_name(directory / FILES["scenarios"]), sc, [c.id for c in fw.competencies],
            set(fw.sources), [b.id for b in bg.backgrounds])
        errs += more_errs
        warns += more_warns
    more_errs, more_warns = check_claims(names, fw, bg, tr, ru, al, sc, t2)
    errs += more_errs
    warns += more_warns
    if errs:
        raise ProfileError(errs[0], lines=errs)
    # the questions, the study's table and the standard: what a draft's answers and a
    # report's targets depend on
    fingerprint = hashlib.sha256(fw_bytes + t2_bytes + st_bytes).hexdigest()[:12]
    return Profiles(directory, fw, bg, tr, ru, fingerprint, t2, st, tuple(warns), al, sc, pr)


_CACHE: dict[Path, Profiles] = {}


def load_profiles(directory: str | Path | None = None) -> Profiles:
    """Load (once per process) the profile set from --profiles, $QIM_PROFILES or the bundle."""
    path = profiles_dir(directory).resolve()
    cached = _CACHE.get(path)
    if cached is None:
        cached = _CACHE[path] = load_profiles_uncached(path)
    return cached


def as_plain(obj: Any) -> Any:
    """A model as JSON-ready data (used by `qim framework --format json`)."""
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json", by_alias=True, exclude_none=True)
    return obj
