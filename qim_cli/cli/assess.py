"""`qim assess`: the interactive self-check. Prompts go to standard error, wrapped to the
person's terminal; only the report goes to standard output.

Which draft: one per respondent in the state folder. `qim assess` lists the saved ones
(if any) and offers to continue one or start a new self-check; `--resume` continues the
only one, or asks which when there are several; `qim assess ID` / `--resume ID` names
it. A draft in use by another session is refused with exit 75.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..render.person import ReportFormat  # a tiny module (an Enum); app.py imports it already
from .common import ForceOpt, ProfilesOpt, emit, err, for_people, handle_errors

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from .assess_run import Run

def _not_a_terminal() -> str:
    from ..invocation import command

    return ("qim assess: standard input is not a terminal, so nobody can answer the questions; "
            f"in scripts use `{command('template -o sheet.toml')}`, fill it in, then "
            f"`{command('report sheet.toml')}` (--interactive forces the prompts)")


class _Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP: stop like Ctrl-C (every answer is already saved)."""


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    import signal

    earlier: dict[int, Any] = {}

    def stop(signum: int, frame: object) -> None:
        for sig in earlier:  # once: a second signal must not cut the goodbye short
            signal.signal(sig, signal.SIG_IGN)
        raise _Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):  # not the main thread
                earlier[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in earlier.items():
            signal.signal(sig, handler)


def _complete_id(incomplete: str) -> list[str]:
    """Shell completion of ID: the saved self-checks."""
    from ..sheets.draft_store import DraftStore

    return [k for k in DraftStore().keys() if k.startswith(incomplete.lower())]


# --------------------------------------------------------------------------- stopping


def _resume_command(run: Run, extra: str = "") -> str:
    """The exact command that continues this self-check (with the report's redirection
    when standard output is a file whose name is known)."""
    import shlex

    from ..sheets.draft_store import resume_command
    from .terminal import stdout_file

    rid = run.draft.respondent.get("id")
    from ..invocation import command as qim

    command = (resume_command(rid) if rid else qim("assess")) + extra
    redirected = stdout_file()
    return command + (f" > {shlex.quote(redirected)}" if redirected else "")


def _stopped(run: Run, why: str) -> None:
    """Say what was kept and the exact command that continues."""
    import signal

    from .terminal import command_lines, home_short, put, say

    for name in ("SIGTERM", "SIGHUP"):  # stopping already (the terminal may be gone, and
        sig = getattr(signal, name, None)  # a hang-up follows): nothing more to stop
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, signal.SIG_IGN)
    with contextlib.suppress(OSError, KeyboardInterrupt):
        say()
        if run.saved_answers is not None and run.session.path is not None:
            say(f"{why}: {run.saved_answers} of {run.total} questions answered; the draft is "
                f"in {home_short(run.session.path)}.")
            say("Continue with:")
            put(command_lines(_resume_command(run)))
        else:
            say("Stopped before anything was saved; nothing changed.")


# --------------------------------------------------------------------------- the command


@handle_errors
def assess(
    rid: Annotated[
        str | None,
        typer.Argument(metavar="ID", show_default=False, autocompletion=_complete_id,
                       help="Your respondent id: continue its saved self-check, or start one "
                       "under this id."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue a saved self-check at its first "
                           "unanswered question (asks which when there are several).")] = False,
    restart: Annotated[
        bool, typer.Option("--restart", help="Discard a saved self-check (after "
                           "confirmation) and start again.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for confirmation of --restart.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", dir_okay=False, show_default=False, metavar="FILE",
                     help="Write the answer sheet here [default: qim-<id>-<date>.toml in "
                     "the current folder]. Remembered when the self-check is continued."),
    ] = None,
    force: ForceOpt = False,
    format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", show_default=False,
                     help="Format of the report printed at the end [default: table]. "
                     "Remembered when the self-check is continued."),
    ] = None,
    interactive: Annotated[
        bool, typer.Option("--interactive", help="Ask even when standard input is not a "
                           "terminal (for tests and piped keystrokes).")] = False,
    scenarios: Annotated[
        bool, typer.Option("--scenarios", help="Also ask the situational-judgement scenarios "
                           "(a reflection aid, not a validated test): for each, the response "
                           "you would most and least likely give.")] = False,
    profiles: ProfilesOpt = None,
) -> None:
    """The interactive self-check: answer the questions in a terminal, get your report.

    Your answers are saved after each one; q saves and quits (exit 75), Ctrl-C stops
    (exit 130), and --resume continues. At the end the answer sheet is written (never
    over an existing file without --force) and the report is printed to standard
    output. Keys: 1-5, n (not applicable / don't know), b (back), ? (help), q (save and
    quit). Several people can keep a self-check on one computer, each under their id.

    \b
    Example:
      qim assess > my-report.txt
    """
    from ..errors import QimError
    from .terminal import command_lines, put, say

    _check_start(rid, resume=resume, restart=restart, interactive=interactive)
    if format is not None:
        _can_write(format)
    run = _new_run(profiles, scenarios, out, format)
    try:
        with _stop_on_signals():
            _ask(run, rid, resume=resume, restart=restart, yes=yes, out=out, force=force)
            _finish(run, force)
    except QimError as exc:
        command = getattr(exc, "command", None)  # the way out, kept whole
        if command:
            say(getattr(exc, "advice", exc.message))
            put(command_lines(command))
        else:
            for line in exc.lines:
                say(line)
        raise typer.Exit(int(exc.exit_code)) from None
    finally:
        run.session.release()


def _check_start(rid: str | None, *, resume: bool, restart: bool, interactive: bool) -> None:
    """Refuse at once what cannot start: both --resume and --restart, no terminal to ask
    on, an id that cannot be a respondent id."""
    from ..errors import UsageError
    from ..sheets.flow import ID_PATTERN

    if resume and restart:
        raise UsageError("qim assess: use either --resume or --restart, not both")
    if not interactive and not sys.stdin.isatty():
        err(_not_a_terminal())
        raise typer.Exit(2)
    if rid is not None and (len(rid) > 64 or not ID_PATTERN.match(rid)):
        raise UsageError(f"qim assess: the id {rid!r} is not usable: use letters, digits, "
                         '".", "_" or "-" (at most 64), starting with a letter or digit')


def _new_run(profiles: Path | None, scenarios: bool, out: Path | None,
             format: ReportFormat | None) -> Run:
    """A self-check not yet tied to a draft: the questions, a store of drafts, the options."""
    from ..framework.profiles import load_profiles
    from ..sheets import draft_file as d
    from ..sheets import flow
    from ..sheets.draft_store import DraftStore, Session
    from .assess_run import Run

    prof = load_profiles(profiles)
    store = DraftStore()
    return Run(flow.build_steps(prof, scenarios=scenarios), d.Draft.new(prof), prof, store,
               Session(store), out=str(out.absolute()) if out is not None else None,
               format=format.value if format is not None else None, scenarios=scenarios)


def _ask(run: Run, rid: str | None, *, resume: bool, restart: bool, yes: bool,
         out: Path | None, force: bool) -> None:
    """Open the draft and ask every unanswered question; a stop (q, Ctrl-C, a draft that
    cannot be saved) says where the answers are and exits with its code."""
    from ..errors import ExitCode
    from ..sheets import draft_file as d
    from .assess_open import Nothing, open_draft
    from .assess_run import CannotSave, Quit
    from .terminal import say

    try:
        open_draft(run, rid, resume, restart, yes)
        run.apply_options()
        _can_write(ReportFormat(run.draft.format or ReportFormat.table.value))
        if not d.is_current(run.draft, run.profiles):
            _tell_reconciled(run, run.profiles)
            run.save()
        if out is not None and out.exists() and not force:
            say(f"Note: {out} already exists; it will not be overwritten without --force.")
        _ask_all(run)
    except Nothing as exc:
        if not exc.said:
            say("Nothing changed.")
        raise typer.Exit(int(ExitCode.OK)) from None
    except Quit:
        _stopped(run, "Saved, not finished")
        raise typer.Exit(int(ExitCode.NOT_FINISHED)) from None
    except CannotSave as exc:
        _stopped(run, f"Stopped: your last answer could not be saved ({exc.message}). Kept")
        raise typer.Exit(int(ExitCode.CANNOT_WRITE)) from None
    except (KeyboardInterrupt, EOFError):
        _stopped(run, "Stopped")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def _can_write(format: ReportFormat) -> None:
    """A PDF report needs the extra and a file to go to: said before the first question,
    not after the last."""
    from .common import refuse_binary_on_a_terminal

    refuse_binary_on_a_terminal(format, None)
    if format is ReportFormat.pdf:
        from ..render.printing import check_available

        check_available()


def _ask_all(run: Run) -> None:
    from ..invocation import command
    from ..sheets.flow import answered, first_unanswered, time_left
    from .assess_run import ask_questions
    from .terminal import say

    start = first_unanswered(run.steps, run.draft, run.profiles)
    if start is None:
        say("Every question is answered.")
        return
    if not run.draft.answered:  # a new self-check, also one started under an id
        from ..framework import notice

        say(f"{notice.TITLE} (a collection notice):")
        for paragraph in notice.PARAGRAPHS:
            say(paragraph, indent="  ", hang="  ")
        details = sum(1 for s in run.steps if not s.is_question
                      and not answered(s, run.draft, run.profiles))
        about = f"{details} details about you, then " if details else ""
        say(f"qim self-check: {about}{run.total} questions "
            f"({time_left(run.total).replace(' left', '')}). Every answer is saved as you go: "
            f"q saves and quits, and `{command('assess --resume')}` continues later.")
        say("Keys: 1–5 answer, n not applicable / don't know, b back, ? what the question "
            "is about, q save and quit.")
    ask_questions(run, start)


def _tell_reconciled(run: Run, profiles: Profiles) -> None:
    from ..sheets.draft_file import reconcile
    from .terminal import say

    draft = run.draft
    old = f"{draft.framework_version} ({draft.fingerprint})"
    new = f"{profiles.version} ({profiles.fingerprint})"
    done = reconcile(draft, profiles)
    say(f"This draft was saved for framework {old}; qim now uses framework {new}.")
    if done.kept:
        say(f"Still apply ({len(done.kept)}): " + ", ".join(done.kept), indent="  ")
    else:
        say("No answers still apply.", indent="  ")
    if done.dropped:
        say(f"Dropped, no longer in the framework ({len(done.dropped)}): "
            + ", ".join(done.dropped), indent="  ")
    else:
        say("Nothing was dropped.", indent="  ")


def _finish(run: Run, force: bool) -> None:
    """Write the answer sheet, remove the draft, print the report."""
    from ..assessment.report import build_result
    from ..errors import ExitCode, OutputExists, WriteError
    from ..fileio import write_atomic
    from ..render.formats import Layout
    from ..render.person import render
    from ..sheets import draft_file as d
    from .common import terminal_width, use_color
    from .terminal import command_lines, local_path, put, say, shown_path

    draft, prof = run.draft, run.profiles
    sheet = draft.to_sheet(run.steps, prof)
    target = local_path(Path(draft.out)) if draft.out else Path(d.default_sheet_name(sheet.respondent.id))
    try:
        # never over the draft the answers are in, nor over a profile file
        drafts = [run.session.path] if run.session.path is not None else []
        write_atomic(target, d.sheet_toml(sheet, prof), force=force, inputs=[*drafts, *prof.files])
    except WriteError as exc:
        for line in exc.lines:
            say(line)
        replace = isinstance(exc, OutputExists)  # --force cures nothing else
        say("Your answers are kept in the draft. Finish with another file"
            + (", or replace this one:" if replace else ":"))
        put(command_lines(_resume_command(run, " --out OTHER.toml")))
        if replace:
            put(command_lines(_resume_command(run, " --force")))
        raise typer.Exit(int(ExitCode.CANNOT_WRITE)) from None
    run.session.discard()
    name = shown_path(target)
    say()

    from ..invocation import command, typed_path

    sheet_arg = typed_path(target)
    say(f"Saved your answer sheet to {name}. See the report again with:")
    put(command_lines(command(f"report {sheet_arg}")))
    say("For your appraisal, the same report as a page to print or attach:")
    put(command_lines(command(f"report {sheet_arg} --format html -o "
                              f"{typed_path(target.with_suffix('.html'))}")))
    result = build_result(sheet, prof, name)
    fmt = ReportFormat(draft.format or ReportFormat.table.value)
    emit(render(fmt, result, prof, Layout(color=use_color(), width=terminal_width())), None, False,
         human=for_people(fmt), inputs=prof.files)
