"""`qim assess`: the interactive self-check. Prompts go to stderr; only the report goes to stdout."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..render import ReportFormat  # a tiny module (an Enum); app.py imports it already
from .common import ForceOpt, ProfilesOpt, err, handle_errors, use_color

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from ..sheets.draft import Draft
    from ..sheets.flow import Step

NOT_A_TERMINAL = (
    "qim assess: standard input is not a terminal, so nobody can answer the questions; "
    "in scripts use `qim template -o sheet.toml`, fill it in, then `qim report sheet.toml` "
    "(--interactive forces the prompts)"
)
RESUME_HINT = "qim assess --resume"


class _Quit(Exception):
    """The person typed q."""


# --------------------------------------------------------------------------- terminal I/O


def _say(text: str = "") -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _ask(prompt: str) -> str:
    """One line from standard input, the prompt on stderr. EOF counts as an interruption."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if line == "":
        raise EOFError
    return line.rstrip("\r\n")


def _width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


def _wrap(text: str, indent: str = "  ") -> str:
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        textwrap.fill(p, _width(), initial_indent=indent, subsequent_indent=indent)
        for p in paragraphs
    )


def _pack(entries: list[str], indent: str = "  ", gap: str = "   ") -> str:
    """Lay scale labels side by side, never breaking inside a label."""
    lines: list[str] = []
    line = ""
    for entry in entries:
        candidate = entry if not line else line + gap + entry
        if line and len(indent) + len(candidate) > _width():
            lines.append(indent + line)
            line = entry
        else:
            line = candidate
    if line:
        lines.append(indent + line)
    return "\n".join(lines)


def _shown(step: Step, value: object, opts: list[tuple[str, str]]) -> str:
    """An earlier answer as the person sees it, e.g. `3 Sometimes`."""
    if step.kind == "scale":
        if value == "na":
            return "n"
        return f"{value} {step.labels[int(value) - 1]}"  # type: ignore[call-overload]
    if step.kind == "choice":
        for n, (oid, label) in enumerate(opts, 1):
            if oid == value:
                return f"{n} {label}"
    if step.kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "(left out)" if value is None else str(value)


def _screen(step: Step, opts: list[tuple[str, str]], details_total: int, index: int) -> None:
    _say()
    if step.is_question:
        where = " › ".join(x for x in (step.theme, step.competency) if x)
        _say(f"{where} · question {step.number} of {step.total}")
        _say(_wrap(step.text))
        _say(f"  {step.scale_name}")
        entries = [f"{n} {label}" for n, label in enumerate(step.labels, 1)]
        if step.allow_na:
            entries.append(f"n {step.na_label}")
        _say(_pack(entries, indent="    "))
    else:
        _say(f"About you · {index + 1} of {details_total}")
        _say(f"  {step.text}")
        if opts:
            for n, (_oid, label) in enumerate(opts, 1):
                _say(f"    {n} {label}")


def _prompt(step: Step, default: str | None) -> str:
    if step.kind == "scale":
        keys = "1–5, n" if step.allow_na else "1–5"
    elif step.kind == "choice":
        keys = "number"
    else:
        keys = "answer"
    tail = f" [Enter keeps {default}]" if default is not None else ""
    return f"  {keys}, b back, ? help, q quit{tail} > "


# --------------------------------------------------------------------------- the flow


def _stopped(draft: Draft | None, saved: bool, path: Path, total: int) -> None:
    _say()
    if draft is not None and saved:
        _say(f"Stopped. {draft.answered} of {total} questions answered; saved in {path}.")
        _say(f"Continue where you left off with: {RESUME_HINT}")
    elif path.exists():
        _say(f"Stopped. Nothing changed; the saved self-check is kept ({RESUME_HINT} "
             "continues it).")
    else:
        _say("Stopped. Nothing was answered yet, so nothing was saved.")


def _describe(draft: Draft, total: int) -> str:
    who = draft.respondent.get("id") or "no id yet"
    when = draft.updated.replace("T", " ").replace("+00:00", " UTC")
    return f"{who}, {draft.answered} of {total} questions answered, last saved {when}"


def _confirm(question: str) -> bool:
    while True:
        answer = _ask(f"{question} [y/N] > ").strip().lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("", "n", "no"):
            return False
        _say("  ↳ type y or n")


def _choose(draft: Draft, total: int) -> str:
    _say(f"A self-check in progress was found ({_describe(draft, total)}).")
    while True:
        answer = _ask("  r resume, s start over (discards it), q quit > ").strip().lower()
        if answer in ("r", "s", "q"):
            return answer
        _say("  ↳ type r, s or q")


def _tell_reconciled(draft: Draft, profiles: Profiles) -> None:
    from ..sheets.draft import reconcile

    old = f"{draft.framework_version} ({draft.fingerprint})"
    new = f"{profiles.version} ({profiles.fingerprint})"
    done = reconcile(draft, profiles)
    _say(f"This draft was saved for framework {old}; qim now uses framework {new}.")
    if done.kept:
        _say(_wrap(f"Still apply ({len(done.kept)}): " + ", ".join(done.kept)))
    else:
        _say("  No answers still apply.")
    if done.dropped:
        _say(_wrap(f"Dropped, no longer in the framework ({len(done.dropped)}): "
                   + ", ".join(done.dropped)))
    else:
        _say("  Nothing was dropped.")


def _run(
    steps: list[Step], draft: Draft, profiles: Profiles, start: int, path: Path,
    saved: list[bool],
) -> None:
    """Ask from step `start` until every step is answered; save after every answer."""
    from ..sheets.draft import save_draft
    from ..sheets.flow import answered, choices, interpret, next_index

    details_total = sum(1 for s in steps if not s.is_question)
    i: int | None = start
    furthest = start
    while i is not None:
        furthest = max(furthest, i)
        step = steps[i]
        opts = choices(step, draft, profiles)
        earlier = answered(step, draft, profiles)
        default = _shown(step, draft.get(step.key), opts) if earlier else None
        _screen(step, opts, details_total, i)
        while True:
            reply = interpret(step, _ask(_prompt(step, default)), has_earlier=earlier, opts=opts)
            if reply.action == "invalid":
                _say(f"  ↳ {reply.hint}")
                continue
            if reply.action == "help":
                _say(_wrap(step.help, "    "))
                continue
            if reply.action == "quit":
                raise _Quit
            if reply.action == "back":
                if i == 0:
                    _say("  ↳ this is the first question")
                    continue
                i -= 1
                break
            if reply.action == "answer":
                draft.set(step.key, reply.value)
            nxt = next_index(steps, draft, profiles, i, furthest)
            draft.position = steps[nxt].key if nxt is not None else None
            save_draft(draft, path)
            saved[0] = True
            i = nxt
            break


@handle_errors
def assess(
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the saved self-check at its first "
                           "unanswered question.")] = False,
    restart: Annotated[
        bool, typer.Option("--restart", help="Discard the saved self-check (after "
                           "confirmation) and start again.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for confirmation of --restart.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", dir_okay=False, show_default=False,
                     help="Write the answer sheet here [default: qim-<id>-<date>.toml in "
                     "the current folder]."),
    ] = None,
    force: ForceOpt = False,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Format of the report printed at the end.")
    ] = ReportFormat.table,
    interactive: Annotated[
        bool, typer.Option("--interactive", help="Ask even when standard input is not a "
                           "terminal (for tests and piped keystrokes).")] = False,
    profiles: ProfilesOpt = None,
) -> None:
    """The interactive self-check: answer the questions in a terminal, get your report.

    Your answers are saved after each one; q or Ctrl-C stops, --resume continues. At the
    end the answer sheet is written (never over an existing file without --force) and the
    report is printed to standard output. Keys: 1-5, n (not applicable / don't know),
    b (back), ? (help), q (save and quit).

    Example: qim assess > my-report.txt
    """
    from ..errors import UsageError

    if resume and restart:
        raise UsageError("qim assess: use either --resume or --restart, not both")
    if not interactive and not sys.stdin.isatty():
        err(NOT_A_TERMINAL)
        raise typer.Exit(2)

    from ..errors import ExitCode, QimError, WriteError
    from ..fileio import write_atomic
    from ..framework.profiles import load_profiles
    from ..loading import display_name
    from ..sheets import draft as d
    from ..sheets import flow

    prof = load_profiles(profiles)
    steps = flow.build_steps(prof)
    total = sum(1 for s in steps if s.is_question)
    path = d.draft_path()
    draft: Draft | None = None
    saved = [False]
    try:
        # ---- which draft
        if restart:
            if path.exists():
                try:
                    old = d.load_draft(path)
                    what = _describe(old, total) if old else "an empty draft"
                except QimError:  # an unreadable draft can still be discarded
                    what = "an unreadable draft"
                if not yes and not _confirm(f"Discard the saved self-check ({what})?"):
                    _say(f"Kept it. Continue it with: {RESUME_HINT}")
                    return
                d.discard_draft(path)
                _say("Discarded the saved self-check.")
            else:
                _say("There is no saved self-check to discard; starting a new one.")
        else:
            draft = d.load_draft(path)
            saved[0] = draft is not None
            if draft is not None and not resume:
                choice = _choose(draft, total)
                if choice == "q":
                    draft = None
                    _say("Nothing changed.")
                    raise typer.Exit(int(ExitCode.OK))
                if choice == "s":
                    d.discard_draft(path)
                    draft = None
                    saved[0] = False
                    _say("Discarded the saved self-check; starting again.")
            elif draft is None and resume:
                _say("There is no saved self-check to resume; starting a new one.")
        if draft is not None:
            saved[0] = True
            if not d.is_current(draft, prof):
                _tell_reconciled(draft, prof)
                d.save_draft(draft, path)
        else:
            draft = d.Draft.new(prof)
        if out is not None and out.exists() and not force:
            _say(f"Note: {display_name(out)} already exists; it will not be overwritten "
                 "without --force.")

        # ---- the questions
        start = flow.first_unanswered(steps, draft, prof)
        if start is None:
            _say("Every question is answered.")
        else:
            if draft.answered or draft.respondent:
                who = draft.respondent.get("id") or "a new respondent"
                _say(f"Resuming the self-check of {who} ({draft.answered} of {total} "
                     "questions answered).")
            else:
                details = len(steps) - total
                _say(_wrap(f"qim self-check: {details} details about you, then {total} "
                           "questions (about 15 minutes). Your answers are saved after each "
                           f"one: q or Ctrl-C stops, `{RESUME_HINT}` continues.", ""))
                _say(_wrap("Keys: 1–5 answer, n not applicable / don't know, b back, "
                           "? what the question is about, q save and quit.", ""))
            _run(steps, draft, prof, start, path, saved)
    except (KeyboardInterrupt, EOFError, _Quit):
        _stopped(draft, saved[0], path, total)
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None

    # ---- the finished sheet, then the report
    from ..assessment.report import build_result
    from ..render import render

    sheet = draft.to_sheet(steps, prof)
    target = out if out is not None else Path(d.default_sheet_name(sheet.respondent.id))
    try:
        write_atomic(target, d.sheet_toml(sheet, prof), force=force)
    except WriteError as exc:
        for line in exc.lines:
            err(line)
        err(f"Your answers are kept in the draft: finish with `{RESUME_HINT} --out OTHER.toml`, "
            "or add --force to overwrite.")
        raise typer.Exit(int(ExitCode.CANNOT_WRITE)) from None
    d.discard_draft(path)
    name = display_name(target)
    _say()
    _say(f"Saved your answer sheet to {name}")
    _say(f"(see the report again with: qim report {name}).")
    result = build_result(sheet, prof, name)
    text = render(format, result, prof, color=use_color())
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
