"""The draft of an unfinished self-check: what was answered, where the person was, and
how the session was started; read and written atomically as JSON.

No terminal I/O here (no Typer, no Rich). Where drafts live, one per respondent, and the
lock a session holds on its draft are in `draft_store.py`; the steps and how a typed line is
read are in `flow.py`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from ..errors import DataError, NotFoundError
from ..framework.profiles import Profiles
from ..invocation import command
from ..reading import display_name, read_file_bytes
from .models import SCHEMA_VERSION, AnswerSheet
from .scenario_steps import check_draft_table, sheet_table
from .scenario_steps import reconcile as reconcile_scenarios


class Question(Protocol):
    """What the draft needs of a step of the question flow (sheets/flow.py's Step)."""

    @property
    def key(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def id(self) -> str: ...


DRAFT_FORMAT = 1
LEGACY_NAME = "draft.json"  # the one draft of qim before drafts were kept per respondent
SECTIONS = ("answers", "importance", "context")
RESPONDENT_FIELDS = ("id", "name", "background", "role", "years_as_qim", "years_in_healthcare",
                     "setting", "organisation", "unit")
#: the respondent's details that are numbers (years), and those that may be left out
NUMBER_FIELDS = ("years_as_qim", "years_in_healthcare")
OPTIONAL_FIELDS = ("name", "years_in_healthcare", "setting", "organisation", "unit")
FORMATS = ("table", "json", "markdown", "html", "pdf")


def state_dir() -> Path:
    """$QIM_STATE_DIR, else the platform's per-user state folder for qim."""
    chosen = os.environ.get("QIM_STATE_DIR")
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_state_dir("qim"))


# --------------------------------------------------------------------------- the draft


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _respondent(respondent: Any, bad: Callable[[str], DataError]) -> dict[str, Any]:
    """A draft's respondent details: known fields, numbers where numbers go, else text."""
    if not isinstance(respondent, dict) or set(respondent) - set(RESPONDENT_FIELDS):
        raise bad("respondent")
    for key, value in respondent.items():
        ok = (value is None and key in OPTIONAL_FIELDS) or (
            isinstance(value, int | float) and not isinstance(value, bool)
            if key in NUMBER_FIELDS else isinstance(value, str))
        if not ok:
            raise bad(f"respondent.{key}")
    return dict(respondent)


def _answer_tables(data: dict[str, Any], bad: Callable[[str], DataError]) -> dict[str, Any]:
    """A draft's answers, importance ratings, context answers and scenario picks, each
    table of allowed values only (the scenarios are absent in earlier drafts)."""
    tables: dict[str, Any] = {}
    for section in SECTIONS:
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise bad(section)
        for k, v in table.items():
            allowed = (1, 2, 3, 4, 5) if section == "importance" else (1, 2, 3, 4, 5, "na")
            if isinstance(v, bool) or v not in allowed:
                raise bad(f"{section}.{k}")
        tables[section] = dict(table)
    scenarios = check_draft_table(data.get("scenarios", {}))
    if scenarios is None:
        raise bad("scenarios")
    tables["scenarios"] = scenarios
    return tables


@dataclass
class Draft:
    """Everything answered so far, and where the person was."""

    framework_version: str
    fingerprint: str
    respondent: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    importance: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    #: optional scenario answers (sheets/scenario_steps.py): "<id>.best" / "<id>.worst" -> a–d
    scenarios: dict[str, str] = field(default_factory=dict)
    position: str | None = None
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)
    # how the session was started, so that a resumed one finishes the same way
    out: str | None = None  # the answer sheet's path (absolute), None: the default name
    format: str | None = None  # the report's format, None: the default
    #: begun with the scenarios (`--scenarios`): they are asked when it is continued, also
    #: before any of them is answered
    with_scenarios: bool = False

    @classmethod
    def new(cls, profiles: Profiles) -> Draft:
        return cls(profiles.version, profiles.fingerprint)

    def _table(self, key: str) -> tuple[dict[str, Any], str]:
        section, _, name = key.partition(".")
        if section == "respondent":
            return self.respondent, name
        if section in SECTIONS or section == "scenarios":
            return getattr(self, section), name
        raise KeyError(key)

    def has(self, key: str) -> bool:
        table, name = self._table(key)
        return name in table

    def get(self, key: str) -> Any:
        table, name = self._table(key)
        return table.get(name)

    def set(self, key: str, value: Any) -> None:
        table, name = self._table(key)
        table[name] = value

    def unset(self, key: str) -> None:
        table, name = self._table(key)
        table.pop(name, None)

    @property
    def answered(self) -> int:
        """Questions answered (respondent details not counted)."""
        return sum(len(getattr(self, s)) for s in SECTIONS) + len(self.scenarios)

    def to_data(self) -> dict[str, Any]:
        return {
            "qim_draft": DRAFT_FORMAT,
            "framework_version": self.framework_version,
            "fingerprint": self.fingerprint,
            "created": self.created,
            "updated": self.updated,
            "position": self.position,
            "out": self.out,
            "format": self.format,
            "with_scenarios": self.with_scenarios,
            "respondent": self.respondent,
            "answers": self.answers,
            "importance": self.importance,
            "context": self.context,
            "scenarios": self.scenarios,
        }

    @classmethod
    def from_data(cls, data: Any, name: str, discard: str | None = None) -> Draft:
        discard = discard or command("assess --restart")

        def bad(why: str) -> DataError:
            return DataError(f"{name}: not a usable draft ({why}); `{discard}` discards it")

        if not isinstance(data, dict) or data.get("qim_draft") != DRAFT_FORMAT:
            raise bad("unknown format")
        out: dict[str, Any] = {}
        for key in ("framework_version", "fingerprint", "created", "updated"):
            if not isinstance(data.get(key), str):
                raise bad(f"{key} missing")
            out[key] = data[key]
        position = data.get("position")
        if position is not None and not isinstance(position, str):
            raise bad("position is not text")
        out_path = data.get("out")  # absent in drafts of earlier versions
        if out_path is not None and (not isinstance(out_path, str) or not out_path):
            raise bad("out is not a path")
        fmt = data.get("format")
        if fmt is not None and fmt not in FORMATS:
            raise bad("format")
        with_scenarios = data.get("with_scenarios", False)  # absent in earlier drafts
        if not isinstance(with_scenarios, bool):
            raise bad("with_scenarios")
        respondent = _respondent(data.get("respondent", {}), bad)
        tables = _answer_tables(data, bad)
        scenarios = tables["scenarios"]
        return cls(respondent=respondent, position=position, out=out_path, format=fmt,
                   with_scenarios=with_scenarios or bool(scenarios), **out, **tables)

    # ---- the finished sheet

    def sheet_data(self, steps: Sequence[Question]) -> dict[str, Any]:
        """The answer sheet as plain data, in the framework's order."""
        respondent = {k: self.respondent[k] for k in RESPONDENT_FIELDS
                      if self.respondent.get(k) is not None}
        for key in NUMBER_FIELDS:
            if key in respondent:
                respondent[key] = float(respondent[key])
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION,
                                "assessed_on": datetime.now().date(), "respondent": respondent}
        for section in SECTIONS:
            data[section] = {s.id: self.get(s.key) for s in steps
                             if s.section == section and self.has(s.key)}
        if self.scenarios:
            data["scenarios"] = sheet_table(self.scenarios, [s.id for s in steps])
        return data

    def to_sheet(self, steps: Sequence[Question], profiles: Profiles) -> AnswerSheet:
        """Validated through the same models and checks as `qim validate`."""
        from .answers import sheet_from_data

        return sheet_from_data(self.sheet_data(steps), profiles, "the self-check")


def sheet_toml(sheet: AnswerSheet, profiles: Profiles) -> str:
    """The TOML text of a finished sheet (tomli-w; a comment line first)."""
    import tomli_w

    from .answers import sheet_to_data

    head = (f"# qim self-check, framework {profiles.version}, "
            f"saved {datetime.now().date().isoformat()}\n")
    return head + tomli_w.dumps(sheet_to_data(sheet))


def default_sheet_name(respondent_id: str) -> str:
    return f"qim-{respondent_id}-{datetime.now().date().isoformat()}.toml"


def load_draft(path: Path, discard: str | None = None) -> Draft | None:
    """The draft saved at `path`, or None when there is none. `discard` is the command
    that a message about an unusable draft offers."""
    name = display_name(path)
    try:  # a regular file of at most 1 MiB, never a named pipe that would wait forever
        raw = read_file_bytes(path, name)
    except NotFoundError:
        return None
    except DataError as exc:
        raise DataError(f"{exc.message}; `{discard}` discards it") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DataError(f"{name}: not a usable draft (not JSON); `{discard}` discards it") from None
    return Draft.from_data(data, name, discard)


def save_draft(draft: Draft, path: Path) -> Path:
    """Atomically replace the draft: temp file in the same folder, fsync, os.replace.
    On any failure (a full disk, no permission) the earlier draft is left as it was."""
    from ..errors import WriteError
    from ..fileio import write_atomic

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{display_name(path.parent)}: cannot create the state folder "
                         f"({exc.strerror or exc}); set QIM_STATE_DIR to a writable folder") from None
    draft.updated = _now()
    text = json.dumps(draft.to_data(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text, force=True, inputs=())  # fsyncs the file and its folder
    return path


def discard_draft(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


# --------------------------------------------------------------------------- another framework


@dataclass(frozen=True)
class Reconciled:
    kept: list[str]
    dropped: list[str]


def reconcile(draft: Draft, profiles: Profiles) -> Reconciled:
    """Keep the answers whose ids still exist in this framework; drop (and name) the rest.

    Respondent details are dropped when the background, role or setting no longer exists
    (or the role no longer belongs to the background). The draft is re-stamped with this
    framework's version and fingerprint.
    """
    kept: list[str] = []
    dropped: list[str] = []
    known: dict[str, Mapping[str, object]] = {
        "answers": profiles.items, "importance": profiles.competencies,
        "context": profiles.context_items}
    for section in SECTIONS:
        table: dict[str, Any] = getattr(draft, section)
        for key in list(table):
            (kept if key in known[section] else dropped).append(f"{section}.{key}")
            if key not in known[section]:
                del table[key]
    more_kept, more_dropped = reconcile_scenarios(draft.scenarios, profiles)
    kept += more_kept
    dropped += more_dropped
    r = draft.respondent
    if "background" in r and r["background"] not in profiles.backgrounds:
        dropped.append("respondent.background")
        del r["background"]
    if "role" in r:
        role = profiles.roles.get(r["role"])
        if role is None or role.background != r.get("background"):
            dropped.append("respondent.role")
            del r["role"]
    if r.get("setting") is not None and r["setting"] not in profiles.settings:
        dropped.append("respondent.setting")
        del r["setting"]
    draft.framework_version = profiles.version
    draft.fingerprint = profiles.fingerprint
    return Reconciled(kept, dropped)


def is_current(draft: Draft, profiles: Profiles) -> bool:
    return draft.fingerprint == profiles.fingerprint and draft.framework_version == profiles.version
