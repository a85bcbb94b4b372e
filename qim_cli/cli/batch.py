"""Commands for trainers and HR: `qim score` and `qim cohort`, and what every batch
command shares (its options, running the batch, the summary line).

Top-level imports are Typer, the standard library and the (stdlib-only) format enums;
the core is imported inside each command so that `qim --help` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..render.cohort import CohortFormat
from ..render.score import ScoreFormat
from .common import (
    ForceOpt,
    OutOpt,
    ProfilesOpt,
    emit,
    err,
    for_people,
    handle_errors,
    stdout_fd,
    stdout_guard,
    table_width,
    use_color,
)
from .streams import DataOut

if TYPE_CHECKING:
    from ..cohort.records import Record
    from ..cohort.runner import Batch, Purpose
    from ..framework.profiles import Profiles
    from ..render.formats import TextOut


class By(str, Enum):
    background = "background"
    role = "role"
    career_stage = "career_stage"
    setting = "setting"
    organisation = "organisation"
    unit = "unit"


PathsArg = Annotated[
    list[Path],
    typer.Argument(help="Answer sheets (TOML) and folders, searched recursively for *.toml.",
                   show_default=False, metavar="PATH"),
]
QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q",
                 help="No progress bar. (A bar is shown on standard error only when it is a "
                      "terminal, once a run has taken two seconds.)"),
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, show_default=False, metavar="N",
                 help="Score in this many processes (default: every core for 200 files "
                      "or more, else 1; never more than the cores available to qim). The "
                      "output order does not depend on it."),
]


VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", "-v",
                 help="List the other files found in the folders (not *.toml), which are "
                      "skipped; the summary line counts them."),
]


def open_batch(paths: list[Path], prof: Profiles, purpose: Purpose, *, jobs: int | None = None,
               output: Path | None = None, label: str | None = None,
               verbose: bool = False) -> Batch:
    """The batch of sheets (cohort/runner.py), its messages on standard error, checked
    against the output (neither the -o file nor standard output may be one of them)."""
    from ..cohort.runner import Batch

    batch = Batch(paths, prof, purpose, jobs=jobs, label=label, notify=err, verbose=verbose)
    to_file = output is not None and str(output) != "-"
    batch.refuse_output(output if to_file and output is not None else stdout_fd())
    return batch


def run_batch(batch: Batch, *, quiet: bool, render: Callable[[Record], str] | None = None) -> None:
    """Score the batch, with a progress bar on a terminal (see cli/progress.py)."""
    from .progress import progress_bar

    with progress_bar(f"qim {batch.label}", quiet=quiet, total=batch.files.count) as bar:
        batch.run(render=render, tick=bar.tick)


def finish(*batches: Batch) -> None:
    """Each batch's summary line on stderr, then the worst exit code (65 before 66)."""
    from ..cohort.batch import batch_exit_code

    for batch in batches:
        err(batch.tally.line(verbose=batch.verbose))
    code = batch_exit_code(b.tally.exit_code for b in batches)
    if code:
        raise typer.Exit(code)


@handle_errors
def score(
    paths: PathsArg,
    format: Annotated[
        ScoreFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScoreFormat.csv,
    output: OutOpt = None,
    force: ForceOpt = False,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """Score many answer sheets: one row per respondent with every competency's score and
    gap, the number of recommendations and the top three trainings.

    CSV and JSON are written as each sheet is scored (memory does not grow with the
    number of files); CSV cells of free text that a spreadsheet would run as a formula
    are prefixed with '. A bad sheet is reported on stderr and the batch goes on; the
    exit code is then 65.

    \b
    Example:
      qim score returned/ --format csv -o scores.csv
    """
    from ..cohort.runner import Purpose
    from ..fileio import atomic_writer, check_writable
    from ..framework.profiles import load_profiles
    from ..render import score as formats
    from ..render.formats import Layout

    prof = load_profiles(profiles)
    to_file = output is not None and str(output) != "-"
    if to_file:
        assert output is not None
        check_writable(output, force=force, inputs=prof.files)
    batch = open_batch(paths, prof, Purpose.SCORE, jobs=jobs, output=output, verbose=verbose)
    # each row made where its sheet is scored (and kept as text until the batch is done)
    rows = formats.row_maker(format)
    # no bar on the terminal the rows are written to
    streaming = not to_file and format is not ScoreFormat.table and sys.stdout.isatty()

    def write(out: TextOut, color: bool) -> None:
        run_batch(batch, quiet=quiet or streaming, render=rows)
        if rows is not None:
            formats.write_texts(format, batch.texts(), out, prof)
        else:
            formats.write(format, batch.records(), out, prof,
                          Layout(color=color, width=table_width()))

    if to_file:
        assert output is not None
        # the temporary file is there from the start: an interrupted run removes it
        with atomic_writer(output, force=force, inputs=()) as fh:  # inputs: checked above
            write(fh, False)
        err(f"wrote {output}")
    else:
        out = sys.stdout if for_people(format) else DataOut()
        with stdout_guard():
            write(out, use_color())
            out.flush()
    finish(batch)


@handle_errors
def cohort(
    paths: PathsArg,
    by: Annotated[By, typer.Option("--by", help="Group people by this.")] = By.background,
    min_group: Annotated[
        int,
        typer.Option("--min-group", min=1, metavar="N",
                     help="Groups with fewer people are not shown on their own (privacy)."),
    ] = 5,
    min_raters: Annotated[
        int,
        typer.Option("--min-raters", min=1, metavar="N",
                     help="360 sets: the fewest colleagues whose view is compared with the self view."),
    ] = 3,
    title: Annotated[
        str | None,
        typer.Option("--title", show_default=False, metavar="TEXT",
                     help='The cohort\'s name at the top of the report (e.g. "2026 QIM cohort").'),
    ] = None,
    format: Annotated[
        CohortFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CohortFormat.table,
    output: OutOpt = None,
    force: ForceOpt = False,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """Where a cohort is weak: per group and overall, mean and median per competency, the
    share below target and the trainings most often recommended; a programme proposal (the
    fewest sessions that meet every high-priority need); Cronbach's alpha per competency with
    weak items flagged. Small groups are withheld (--min-group).

    \b
    Examples:
      qim cohort returned/ --by role
      qim cohort returned/ --title "2026 cohort" -f html -o cohort.html
    """
    from ..cohort.groups import GroupBy
    from ..cohort.runner import Purpose
    from ..cohort.stats import Cohort
    from ..cohort.summary import summarise
    from ..fileio import check_writable
    from ..framework.profiles import load_profiles
    from ..render.cohort import render
    from ..render.formats import Layout

    prof = load_profiles(profiles)
    to_file = output is not None and str(output) != "-"
    if to_file:
        assert output is not None
        check_writable(output, force=force, inputs=prof.files)
    batch = open_batch(paths, prof, Purpose.COHORT, jobs=jobs, output=output, verbose=verbose)
    run_batch(batch, quiet=quiet)
    cohort = Cohort(prof, GroupBy(by.value)).add_all(batch.records())
    cohort.add_ratings(batch.ratings, min_raters=min_raters)
    cohort.add_contexts(batch.contexts)
    cohort.left_out = batch.tally.repeated_ids
    summary = summarise(cohort, min_group, title=title)
    layout = Layout(color=use_color() and not to_file, width=table_width())
    emit(render(format, summary, prof, layout), output, force,
         human=for_people(format), inputs=prof.files)  # the sheets: checked before scoring
    finish(batch)
