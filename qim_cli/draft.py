"""The unfinished self-check: its steps, its draft file, and where to go next.

This is the core of `qim assess` without any terminal I/O (no Typer, no Rich): the list
of steps built from the profile set, the draft kept in the state directory (saved
atomically after every answer), how a typed line is read, and how a draft written for
another version of the framework is reconciled with the current one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from .errors import DataError
from .loading import display_name
from .models import SCHEMA_VERSION, AnswerSheet
from .profiles import Profiles

DRAFT_FORMAT = 1
DRAFT_NAME = "draft.json"
SECTIONS = ("answers", "importance", "context")
RESPONDENT_FIELDS = ("id", "name", "background", "role", "years_as_qim", "setting")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_YEARS = 60.0


# --------------------------------------------------------------------------- locations


def state_dir() -> Path:
    """$QIM_STATE_DIR, else the platform's per-user state folder for qim."""
    chosen = os.environ.get("QIM_STATE_DIR")
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_state_dir("qim"))


def draft_path() -> Path:
    return state_dir() / DRAFT_NAME


# --------------------------------------------------------------------------- steps

StepKind = Literal["text", "choice", "number", "scale"]


@dataclass(frozen=True)
class Step:
    """One screen of the self-check: a respondent detail or a question."""

    key: str  # "respondent.id", "answers.hc_01", "importance.qi_methods", "context.protected_time"
    section: str  # respondent | answers | importance | context
    id: str
    kind: StepKind
    text: str
    help: str
    optional: bool = False
    scale_name: str = ""
    labels: tuple[str, ...] = ()
    allow_na: bool = False
    na_label: str = ""
    theme: str = ""  # label, for questions
    competency: str = ""  # label, for items and importance questions
    number: int = 0  # 1-based among the questions (0 for respondent details)
    total: int = 0

    @property
    def is_question(self) -> bool:
        return self.section != "respondent"


def build_steps(profiles: Profiles) -> list[Step]:
    """Respondent details, then the items theme by theme, the importance questions, the context."""
    fw = profiles.framework
    stages = "; ".join(s.label for s in profiles.stages.values())
    details = [
        Step("respondent.id", "respondent", "id", "text",
             "Your id for this self-check (letters, digits, \".\", \"_\" or \"-\"; e.g. jsmith-2026)",
             "The id names your answer sheet (qim-<id>-<date>.toml) so that you can repeat the "
             "self-check later and compare. It need not be your name."),
        Step("respondent.name", "respondent", "name", "text",
             "Your name (optional; Enter or - to leave it out)",
             "Shown at the top of your report. Leave it out if the sheet may be shared.",
             optional=True),
        Step("respondent.background", "respondent", "background", "choice",
             "Your background", "\n\n".join(f"{b.label}: {b.description}"
                                           for b in profiles.backgrounds.values())),
        Step("respondent.role", "respondent", "role", "choice",
             "Your role before (or besides) quality improvement",
             "The profession you came from. It is shown in your report; some recommendations "
             "depend on it."),
        Step("respondent.years_as_qim", "respondent", "years_as_qim", "number",
             "Years as a QIM (a number, e.g. 3 or 1.5)",
             f"Your years in a quality improvement role set your career stage: {stages}. "
             "Targets differ by stage."),
    ]
    if profiles.settings:
        details.append(Step(
            "respondent.setting", "respondent", "setting", "choice",
            "Your setting (optional; Enter or - to leave it out)",
            "Where you work. Some recommendations depend on it.", optional=True))

    perf, imp, ctx = fw.scales.performance, fw.scales.importance, fw.scales.context
    questions: list[dict[str, Any]] = []
    for theme in fw.themes:
        for comp in (c for c in fw.competencies if c.theme == theme.id):
            for item in comp.items:
                questions.append(dict(
                    key=f"answers.{item.id}", section="answers", id=item.id, kind="scale",
                    text=item.text, help=item.help, scale_name=perf.name,
                    labels=tuple(perf.labels), allow_na=True,
                    na_label="not applicable / don't know",
                    theme=theme.label, competency=comp.label))
    for theme in fw.themes:
        for comp in (c for c in fw.competencies if c.theme == theme.id):
            questions.append(dict(
                key=f"importance.{comp.id}", section="importance", id=comp.id, kind="scale",
                text=comp.importance_question, help=comp.description, scale_name=imp.name,
                labels=tuple(imp.labels), theme="Importance to your role",
                competency=comp.label))
    for item in fw.context:
        questions.append(dict(
            key=f"context.{item.id}", section="context", id=item.id, kind="scale",
            text=item.text, help=item.help, scale_name=ctx.name, labels=tuple(ctx.labels),
            allow_na=True, na_label="don't know", theme="Your organisation"))
    total = len(questions)
    return details + [Step(**q, number=n, total=total) for n, q in enumerate(questions, 1)]


def choices(step: Step, draft: Draft, profiles: Profiles) -> list[tuple[str, str]]:
    """(id, label) of a choice step; the roles offered depend on the chosen background."""
    if step.id == "background":
        return [(b.id, b.label) for b in profiles.backgrounds.values()]
    if step.id == "role":
        bg = draft.respondent.get("background")
        return [(r.id, r.label) for r in profiles.roles.values() if r.background == bg]
    if step.id == "setting":
        return list(profiles.settings.items())
    return []


# --------------------------------------------------------------------------- reading a line


@dataclass(frozen=True)
class Reply:
    """What a typed line means: an answer, a command, or a hint to show before asking again."""

    action: Literal["answer", "keep", "back", "help", "quit", "invalid"]
    value: Any = None
    hint: str = ""


def keys_hint(step: Step, opts: list[tuple[str, str]] | None = None) -> str:
    if step.kind == "scale":
        na = ", n" if step.allow_na else ""
        return f"type 1–5{na}; b back, ? help, q save and quit"
    if step.kind == "choice":
        skip = " (or - to leave it out)" if step.optional else ""
        return f"type a number 1–{len(opts or [])}{skip}; b back, ? help, q save and quit"
    if step.kind == "number":
        return f"type a number of years from 0 to {MAX_YEARS:g}; b back, ? help, q save and quit"
    return "b back, ? help, q save and quit"


def interpret(
    step: Step,
    line: str,
    *,
    has_earlier: bool,
    opts: list[tuple[str, str]] | None = None,
) -> Reply:
    """Read one typed line for a step. Nothing is ever recorded by default: Enter keeps an
    earlier answer, leaves out an optional detail, and otherwise asks again."""
    text = line.strip()
    low = text.lower()
    if low == "q":
        return Reply("quit")
    if low == "b":
        return Reply("back")
    if low == "?":
        return Reply("help")
    if step.optional and text == "-":
        return Reply("answer", None)
    if text == "":
        if has_earlier:
            return Reply("keep")
        if step.optional:
            return Reply("answer", None)
        return Reply("invalid", hint="an answer is needed: " + keys_hint(step, opts))
    if step.kind == "scale":
        if low in ("1", "2", "3", "4", "5"):
            return Reply("answer", int(low))
        if low in ("n", "na") and step.allow_na:
            return Reply("answer", "na")
        if low in ("n", "na"):
            return Reply("invalid", hint='"n" is not offered here: type 1–5; b back, ? help, q save and quit')
        return Reply("invalid", hint=keys_hint(step))
    if step.kind == "choice":
        options = opts or []
        if low.isdigit() and 1 <= int(low) <= len(options):
            return Reply("answer", options[int(low) - 1][0])
        for oid, _label in options:  # the id itself is accepted too
            if low == oid:
                return Reply("answer", oid)
        return Reply("invalid", hint=keys_hint(step, options))
    if step.kind == "number":
        try:
            years = float(text.replace(",", "."))
        except ValueError:
            return Reply("invalid", hint=keys_hint(step))
        if not (0 <= years <= MAX_YEARS):  # also refuses nan
            return Reply("invalid", hint=keys_hint(step))
        return Reply("answer", years)
    # free text
    if step.id == "id":
        if len(text) > 64 or not ID_PATTERN.match(text):
            return Reply("invalid", hint='use letters, digits, ".", "_" or "-" (at most 64), '
                                         "starting with a letter or digit")
        return Reply("answer", text)
    if len(text) > 200 or not text.isprintable():
        return Reply("invalid", hint="at most 200 printable characters")
    return Reply("answer", text)


# --------------------------------------------------------------------------- the draft


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Draft:
    """Everything answered so far, and where the person was."""

    framework_version: str
    fingerprint: str
    respondent: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    importance: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    position: str | None = None
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)

    @classmethod
    def new(cls, profiles: Profiles) -> Draft:
        return cls(profiles.version, profiles.fingerprint)

    def _table(self, key: str) -> tuple[dict[str, Any], str]:
        section, _, name = key.partition(".")
        if section == "respondent":
            return self.respondent, name
        if section in SECTIONS:
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
        return sum(len(getattr(self, s)) for s in SECTIONS)

    def to_data(self) -> dict[str, Any]:
        return {
            "qim_draft": DRAFT_FORMAT,
            "framework_version": self.framework_version,
            "fingerprint": self.fingerprint,
            "created": self.created,
            "updated": self.updated,
            "position": self.position,
            "respondent": self.respondent,
            "answers": self.answers,
            "importance": self.importance,
            "context": self.context,
        }

    @classmethod
    def from_data(cls, data: Any, name: str) -> Draft:
        def bad(why: str) -> DataError:
            return DataError(f"{name}: not a usable draft ({why}); "
                             "run `qim assess --restart` to discard it")

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
        respondent = data.get("respondent", {})
        if not isinstance(respondent, dict) or set(respondent) - set(RESPONDENT_FIELDS):
            raise bad("respondent")
        for key, value in respondent.items():
            ok = (value is None and key in ("name", "setting")) or (
                isinstance(value, int | float) and not isinstance(value, bool)
                if key == "years_as_qim" else isinstance(value, str))
            if not ok:
                raise bad(f"respondent.{key}")
        tables: dict[str, dict[str, Any]] = {}
        for section in SECTIONS:
            table = data.get(section, {})
            if not isinstance(table, dict):
                raise bad(section)
            for k, v in table.items():
                allowed = (1, 2, 3, 4, 5) if section == "importance" else (1, 2, 3, 4, 5, "na")
                if isinstance(v, bool) or v not in allowed:
                    raise bad(f"{section}.{k}")
            tables[section] = dict(table)
        return cls(respondent=dict(respondent), position=position, **out, **tables)

    # ---- the finished sheet

    def sheet_data(self, steps: list[Step]) -> dict[str, Any]:
        """The answer sheet as plain data, in the framework's order."""
        respondent = {k: self.respondent[k] for k in RESPONDENT_FIELDS
                      if self.respondent.get(k) is not None}
        if "years_as_qim" in respondent:
            respondent["years_as_qim"] = float(respondent["years_as_qim"])
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "respondent": respondent}
        for section in SECTIONS:
            data[section] = {s.id: self.get(s.key) for s in steps
                             if s.section == section and self.has(s.key)}
        return data

    def to_sheet(self, steps: list[Step], profiles: Profiles) -> AnswerSheet:
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


def load_draft(path: Path | None = None) -> Draft | None:
    """The saved draft, or None when there is none."""
    path = path or draft_path()
    name = display_name(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DataError(f"{name}: cannot read the draft ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DataError(f"{name}: not a usable draft (not JSON); "
                        "run `qim assess --restart` to discard it") from None
    return Draft.from_data(data, name)


def save_draft(draft: Draft, path: Path | None = None) -> Path:
    """Atomically replace the draft: temp file in the same folder, fsync, os.replace."""
    from .errors import WriteError
    from .fileio import write_atomic

    path = path or draft_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{display_name(path.parent)}: cannot create the state folder "
                         f"({exc.strerror or exc}); set QIM_STATE_DIR to a writable folder") from None
    draft.updated = _now()
    text = json.dumps(draft.to_data(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text, force=True)
    with contextlib.suppress(OSError):  # make the rename itself durable
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return path


def discard_draft(path: Path | None = None) -> bool:
    path = path or draft_path()
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
    known = {"answers": profiles.items, "importance": profiles.competencies,
             "context": profiles.context_items}
    for section in SECTIONS:
        table: dict[str, Any] = getattr(draft, section)
        for key in list(table):
            (kept if key in known[section] else dropped).append(f"{section}.{key}")
            if key not in known[section]:
                del table[key]
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


# --------------------------------------------------------------------------- navigation


def answered(step: Step, draft: Draft, profiles: Profiles) -> bool:
    """A role that does not belong to the chosen background does not count as answered."""
    if not draft.has(step.key):
        return False
    if step.key == "respondent.role":
        role = profiles.roles.get(draft.get(step.key))
        return role is not None and role.background == draft.respondent.get("background")
    return True


def first_unanswered(steps: list[Step], draft: Draft, profiles: Profiles) -> int | None:
    for i, step in enumerate(steps):
        if not answered(step, draft, profiles):
            return i
    return None


def next_index(
    steps: list[Step], draft: Draft, profiles: Profiles, current: int, furthest: int
) -> int | None:
    """Where to go after answering step `current`.

    Within the stretch already visited this session (after going back), step forward one
    at a time, each earlier answer offered as the default. Beyond it, go to the next
    unanswered step (so a resumed draft skips what was already answered). None: done.
    """
    if current + 1 < len(steps) and current + 1 <= furthest:
        return current + 1
    for i in range(current + 1, len(steps)):
        if not answered(steps[i], draft, profiles):
            return i
    return first_unanswered(steps, draft, profiles)
