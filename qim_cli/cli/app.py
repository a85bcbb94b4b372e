"""The `qim` command: thin Typer commands over the core library."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from ..render import ReportFormat
from .common import ForceOpt, OutOpt, ProfilesOpt, emit, err, handle_errors, use_color
from .framework import framework_app

app = typer.Typer(
    name="qim",
    help=(
        "Assess a healthcare Quality Improvement Manager against an evidence-based "
        "competency framework and get an explained, tailored development plan."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(framework_app, name="framework")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"qim {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Show the version and exit."),
    ] = False,
) -> None:
    """Assess a healthcare Quality Improvement Manager against an evidence-based
    competency framework and get an explained, tailored development plan.

    Exit codes: 0 ok, 1 unexpected, 2 usage, 65 invalid data, 66 not found,
    73 cannot write, 130 interrupted.
    """


def _read_input(path: str, profiles_dir: Path | None):
    from ..answers import load_sheet, load_sheet_bytes
    from ..loading import MAX_FILE_BYTES
    from ..profiles import load_profiles

    profiles = load_profiles(profiles_dir)
    if path == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        return profiles, load_sheet_bytes(data, profiles, "<stdin>"), "<stdin>"
    return profiles, load_sheet(Path(path), profiles), path


@app.command()
@handle_errors
def report(
    file: Annotated[str, typer.Argument(help="An answer sheet (TOML), or - for standard input.")],
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.table,
    output: OutOpt = None,
    force: ForceOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """The individual report: scores against targets, prioritised recommendations with
    their reasons and sources, and organisational barriers.

    Example: qim report examples/nurse-early-career.toml --format json
    """
    from ..render import render
    from ..report import build_result

    prof, sheet, source = _read_input(file, profiles)
    result = build_result(sheet, prof, source)
    color = use_color() and output is None
    emit(render(format, result, prof, color=color), output, force)


@app.command()
@handle_errors
def template(
    background: Annotated[
        str | None,
        typer.Option("--background", "-b", help="Fill in the background and list only its roles."),
    ] = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """A blank answer sheet with every question as a comment; fill it in, then validate it.

    Example: qim template --background clinical -o new-hire.toml
    """
    from ..errors import UsageError
    from ..profiles import load_profiles
    from ..template import render_template

    prof = load_profiles(profiles)
    if background is not None and background not in prof.backgrounds:
        raise UsageError(
            f"--background: must be one of {', '.join(prof.backgrounds)} (got \"{background}\")"
        )
    emit(render_template(prof, background), output, force)


@app.command()
@handle_errors
def validate(
    files: Annotated[
        list[str], typer.Argument(help="Answer sheets to check; - reads standard input.")
    ],
    complete: Annotated[
        bool,
        typer.Option("--complete", help="Also require every item, importance and context "
                     "question to be answered (\"na\" counts as an answer)."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
    profiles: ProfilesOpt = None,
) -> None:
    """Check answer sheets: one line per problem naming the file and the field.

    Exits 0 when all are valid, 65 when any is invalid, 66 when a file is missing.

    Example: qim validate returned/*.toml
    """
    from ..answers import load_sheet, load_sheet_bytes
    from ..errors import DataError, ExitCode, QimError
    from ..loading import MAX_FILE_BYTES, display_name
    from ..profiles import load_profiles

    prof = load_profiles(profiles)
    codes: set[int] = set()
    for f in files:
        name = "<stdin>" if f == "-" else display_name(f)
        try:
            if f == "-":
                sheet = load_sheet_bytes(sys.stdin.buffer.read(MAX_FILE_BYTES + 1), prof, name)
            else:
                sheet = load_sheet(Path(f), prof, name)
            if complete:
                missing = (
                    [f"answers.{i}" for i in prof.items if i not in sheet.answers]
                    + [f"importance.{c}" for c in prof.competencies if c not in sheet.importance]
                    + [f"context.{c}" for c in prof.context_items if c not in sheet.context]
                )
                if missing:
                    lines = [f"{name}: {m}: not answered" for m in missing]
                    raise DataError(lines[0], lines=lines)
        except QimError as exc:
            for line in exc.lines:
                err(line)
            codes.add(int(exc.exit_code))
            continue
        if not quiet:
            answered = sum(isinstance(v, int) for v in sheet.answers.values())
            sys.stdout.write(
                f"{name}: valid ({sheet.respondent.id}, {sheet.respondent.background}, "
                f"{answered} of {len(prof.items)} items answered)\n"
            )
    if ExitCode.DATA_INVALID in codes:
        raise typer.Exit(int(ExitCode.DATA_INVALID))
    if codes:
        raise typer.Exit(max(codes))


class Schema(str, Enum):
    answers = "answers"
    result = "result"


@app.command()
@handle_errors
def schema(
    kind: Annotated[Schema, typer.Argument(help="answers: the answer sheet; result: the JSON report.")],
    profiles: ProfilesOpt = None,
) -> None:
    """Print the JSON Schema of the answer sheet or of the JSON result.

    Example: qim schema result > qim-result.schema.json
    """
    import json

    from ..profiles import load_profiles
    from ..schema import answers_schema, result_schema

    if kind is Schema.answers:
        doc = answers_schema(load_profiles(profiles))
    else:
        doc = result_schema()
    emit(json.dumps(doc, indent=2, ensure_ascii=False), None, False)


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err("qim: interrupted")
        sys.exit(130)


__all__ = ["app", "main"]


# --- feature commands: each module decorates `app` when imported (keep their top-level
# imports to typer only, so `qim --help` stays fast) ---
