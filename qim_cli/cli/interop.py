"""Commands for outside formats: `qim export redcap`, `qim import` and `qim form`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import ForceOpt, OutOpt, ProfilesOpt, emit, err, handle_errors
from .help import QimCommand, QimGroup

if TYPE_CHECKING:
    from ..interop.importer import ImportReport

RaterOpt = Annotated[
    bool,
    typer.Option("--rater", help="The 360° rating form (a colleague's view) instead of the "
                 "self-assessment."),
]

ContextOpt = Annotated[
    bool,
    typer.Option("--context", help="Context sheets: staff at any level (front line, middle "
                 "managers, senior leaders, board) describe their workplace."),
]


def _one_kind(rater: bool, context: bool) -> None:
    """--rater and --context name two different kinds of sheet."""
    if rater and context:
        from ..errors import UsageError

        raise UsageError("--rater and --context are two different kinds of sheet: give one")


export_app = typer.Typer(
    cls=QimGroup,
    help="Write qim's questions in another tool's format (REDCap).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@export_app.command("redcap", cls=QimCommand)
@handle_errors
def export_redcap(
    rater: RaterOpt = False,
    context: ContextOpt = False,
    output: OutOpt = None,
    force: ForceOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """A REDCap data dictionary (CSV) of the self-assessment, or with --rater of the 360°
    rating form, or with --context of the context sheet (each respondent chooses their
    level and sees each question in its words): upload it on REDCap's "Data Dictionary"
    page, then collect the answers as a survey and bring them back with `qim import`. The
    optional scenarios, when the profile set has them, come last in a section of their own.

    \b
    Examples:
      qim export redcap -o qim-redcap-dictionary.csv
      qim export redcap --context -o qim-context-dictionary.csv
    """
    from ..framework.profiles import load_profiles
    from ..interop.redcap import render_dictionary

    _one_kind(rater, context)
    prof = load_profiles(profiles)
    if context:
        from ..sheets.context import require_staff_levels

        require_staff_levels(prof)
    emit(render_dictionary(prof, rater=rater, context=context), output, force,
         inputs=prof.files)


def _quoted(names: list[str], limit: int = 8) -> str:
    shown = [f'"{n}"' for n in names[:limit]]
    if len(names) > limit:
        shown.append(f"and {len(names) - limit} more")
    return ", ".join(shown)


def _summary(report: ImportReport) -> list[str]:
    from ..reading import display_name

    how = f" ({'; '.join(report.notes)})" if report.notes else ""
    lines = [
        f"{report.source}: {report.kind}{how}; {report.rows} "
        f"row{'s' if report.rows != 1 else ''} read: {len(report.written)} written to "
        f"{display_name(report.out)}"
        + (f" ({len(report.partial)} without a scenario reported above)" if report.partial
           else "")
        + f", {len(report.bad_rows)} bad"
        + (f", {len(report.kept)} kept (already there)" if report.kept else "")
    ]
    mapping = report.mapping
    if mapping and mapping.ignored:
        one = len(mapping.ignored) == 1
        lines.append(f"{report.source}: {len(mapping.ignored)} column{'' if one else 's'} "
                     f"ignored (no question matches {'it' if one else 'them'}; name "
                     f"{'it' if one else 'them'} with --map): {_quoted(mapping.ignored)}")
    if mapping and mapping.bookkeeping:
        lines.append(f"{report.source}: skipped the form's own columns: "
                     f"{_quoted(mapping.bookkeeping)}")
    if mapping:
        unasked = [f for f in mapping.unasked if f.kind == "scale"]
        if unasked:
            lines.append(f"{report.source}: {len(unasked)} question"
                         f"{'s have' if len(unasked) != 1 else ' has'} no column (left "
                         f"unanswered): {_quoted([f.var for f in unasked])}")
    return lines


@handle_errors
def import_(
    file: Annotated[
        Path,
        typer.Argument(help="A REDCap export (raw or labels), a Microsoft Forms (.xlsx) or "
                       "Google Forms (.csv) export, or a CSV / .xlsx with question ids as "
                       "headers.", show_default=False, dir_okay=False, metavar="FILE"),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="Folder for the sheets (created if missing).",
                     show_default=False, metavar="DIR"),
    ],
    map_file: Annotated[
        Path | None,
        typer.Option("--map", help="A TOML file naming what each column holds: "
                     '[columns] "Column header" = "hc_01" (or "ignore").',
                     show_default=False, dir_okay=False, metavar="FILE"),
    ] = None,
    rater: Annotated[
        bool,
        typer.Option("--rater", help="The rows are colleagues' 360° ratings: write rating sheets."),
    ] = False,
    context: Annotated[
        bool,
        typer.Option("--context", help="The rows are context sheets (staff at any level "
                     "describing their workplace): write context sheets."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite sheets that exist.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar (shown on a "
                                        "terminal only, once an import has taken two seconds).")
                     ] = False,
    profiles: ProfilesOpt = None,
) -> None:
    """One answer sheet per respondent from a survey export (with --rater, one rating sheet
    per colleague; with --context, one context sheet per member of staff). Every row is
    checked like `qim validate`; bad rows are reported with their row and column and the
    others are still written. A bad scenario answer is reported and only that scenario is
    left out of the person's sheet. Exits 65 if any row was bad or any answer left out, 73
    if a sheet was kept because it already exists.

    \b
    Examples:
      qim import responses.csv --out returned/
      qim import workplace.csv --context --out workplace/
    """
    from ..errors import ExitCode
    from ..framework.profiles import load_profiles
    from ..interop.importer import run_import
    from .progress import progress_bar

    _one_kind(rater, context)
    prof = load_profiles(profiles)
    if context:
        from ..sheets.context import require_staff_levels

        require_staff_levels(prof)
    with progress_bar("qim import", quiet=quiet, unit="rows") as bar:
        report = run_import(file, out, prof, rater=rater, context=context, force=force,
                            map_path=map_file, progress=bar.update)
    for line in report.problems:
        err(line)
    for path in report.written:
        sys.stdout.write(f"{path}\n")
    sys.stdout.flush()
    for line in _summary(report):
        err(line)
    if report.bad_rows or report.bad_scenarios or report.lost_answers:
        raise typer.Exit(int(ExitCode.DATA_INVALID))
    if report.kept:
        raise typer.Exit(int(ExitCode.CANNOT_WRITE))


@handle_errors
def form(
    rater: RaterOpt = False,
    context: ContextOpt = False,
    output: OutOpt = None,
    force: ForceOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """One self-contained HTML questionnaire that works offline (email it, or put it on an
    intranet): the same questions as `qim assess`, one theme per page, answers kept in the
    browser as they are given, and a TOML answer sheet to download at the end (the
    scenarios, when the profile set has them, on an optional page). With --rater, the
    360° rating form; with --context, the context sheet for staff at any level (each
    question in the words of the level they choose).

    \b
    Examples:
      qim form -o qim-self-assessment.html
      qim form --context -o qim-workplace.html
    """
    from ..framework.profiles import load_profiles
    from ..interop.form import render_form

    _one_kind(rater, context)
    prof = load_profiles(profiles)
    if context:
        from ..sheets.context import require_staff_levels

        require_staff_levels(prof)
    emit(render_form(prof, rater=rater, context=context), output, force, inputs=prof.files)
