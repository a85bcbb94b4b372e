"""Commands for trainers and HR: `qim score`, `qim cohort` and `qim compare`.

Top-level imports are Typer, the standard library and the (stdlib-only) format enums;
the core is imported inside each command so that `qim --help` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from ..render.cohort import CohortFormat
from ..render.programme import ProgrammeFormat
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
    from ..cohort.batch import Outcome, RatingRecord, Record
    from ..framework.profiles import Profiles
    from ..render.compare import CompareFormat


class By(str, Enum):
    background = "background"
    role = "role"
    career_stage = "career_stage"
    setting = "setting"


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


class _Batch:
    """Finds and scores the sheets, reporting each bad one on stderr as it goes."""

    def __init__(self, paths: list[Path], prof: Profiles, jobs: int | None, command: str,
                 *, quiet: bool = True) -> None:
        from ..cohort.batch import PARALLEL_THRESHOLD, Detail, available_cores, default_jobs
        from ..cohort.discovery import Discovery
        from ..errors import NotFoundError
        from ..loading import display_name

        self.files = Discovery(paths)
        self.missing = self.files.missing
        if not self.missing and not self.files.at_least(1):
            shown = ", ".join(display_name(p) for p in paths)
            raise NotFoundError(f"{shown}: no answer sheets (*.toml) found")
        self.prof = prof
        if jobs is None:
            large = self.files.at_least(PARALLEL_THRESHOLD)
            jobs = default_jobs(PARALLEL_THRESHOLD if large else 1)
        elif jobs > (cores := available_cores()):
            err(f"qim {command}: --jobs {jobs} lowered to {cores}, the number of cores "
                "available to qim")
            jobs = cores
        self.jobs = jobs
        self.command = command
        self.good = 0
        self.bad = 0
        self.codes: set[int] = set()
        #: colleagues' 360 ratings met in the batch (kept only when `keep_ratings`)
        self.ratings: list[RatingRecord] = []
        self.rating_count = 0
        self.keep_ratings = False
        #: what each record keeps: item values for reliability (qim cohort) only, and
        #: only scores, gaps, recommendations and barriers for qim score
        self.detail = {"score": Detail.SCORES, "compare": Detail.COHORT}.get(command, Detail.ITEMS)
        #: no progress bar (see cli/progress.py)
        self.quiet = quiet

    def refuse_as_output(self, output: Path | None) -> None:
        """Neither the output file nor standard output may be one of the sheets."""
        from ..fileio import refuse_inputs

        to_file = output is not None and str(output) != "-"
        refuse_inputs(output if to_file and output is not None else stdout_fd(), self.files)

    def records(self) -> Iterator[Record]:
        for outcome in self._good():
            assert outcome.record is not None
            yield outcome.record

    def texts(self, render: Callable[[Record], str]) -> Iterator[str]:
        """Each good sheet's record as `render` makes it, in the scoring processes."""
        for outcome in self._good(render):
            assert outcome.text is not None
            yield outcome.text

    def _good(self, render: Callable[[Record], str] | None = None) -> Iterator[Outcome]:
        """The outcomes of self-assessments; bad files are reported, ratings counted."""
        from ..cohort.batch import one_line, score_paths
        from ..cohort.discovery import missing_outcome
        from .progress import progress_bar

        for m in self.missing:
            outcome = missing_outcome(m)
            err(one_line(outcome))
            self.codes.add(outcome.exit_code)  # counted as not found, not as bad
        with progress_bar(f"qim {self.command}", quiet=self.quiet, total=self.files.count) as bar:
            for outcome in score_paths(self.files, self.prof, self.jobs, detail=self.detail,
                                       render=render):
                bar.tick()
                if outcome.record is not None or outcome.text is not None:
                    self.good += 1
                    yield outcome
                elif outcome.rating is not None:
                    self.rating_count += 1
                    if self.keep_ratings:
                        self.ratings.append(outcome.rating)
                else:
                    err(one_line(outcome))
                    self.bad += 1
                    self.codes.add(outcome.exit_code)

    def finish(self) -> None:
        """The summary line on stderr, then exit 65 if any sheet was bad (66 if missing)."""
        from ..cohort.batch import batch_exit_code

        total = self.good + self.bad + self.rating_count + len(self.missing)
        ratings = ""
        if self.rating_count:
            n = self.rating_count
            ratings = f", {n} colleague rating{'s' if n != 1 else ''} (360)"
            if not self.keep_ratings:
                from ..invocation import command

                ratings += f" not scored ({command('report SELF.toml RATINGS...')} reports a 360 set)"
        err(f"qim {self.command}: {total} file{'s' if total != 1 else ''}: "
            f"{self.good} good, {self.bad} bad"
            f"{f', {len(self.missing)} not found' if self.missing else ''}{ratings}")
        code = batch_exit_code(self.codes)
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
    from ..fileio import atomic_writer, check_writable
    from ..framework.profiles import load_profiles
    from ..render.score import ROWS, WRITERS, write_rows

    prof = load_profiles(profiles)
    to_file = output is not None and str(output) != "-"
    if to_file:
        assert output is not None
        check_writable(output, force=force, inputs=prof.files)
    # no bar while rows stream to the terminal it would be drawn on
    streaming = not to_file and format is not ScoreFormat.table and sys.stdout.isatty()
    batch = _Batch(paths, prof, jobs, "score", quiet=quiet or streaming)
    batch.refuse_as_output(output)

    def write(out: IO[str], color: bool) -> None:
        if format in ROWS and batch.jobs > 1:  # each row made where its sheet is scored
            write_rows(format, batch.texts(ROWS[format]), out, prof)
        else:
            WRITERS[format](batch.records(), out, prof, color=color, width=table_width())

    if to_file:
        assert output is not None
        with atomic_writer(output, force=force, inputs=()) as fh:  # inputs: checked above
            write(fh, False)
        err(f"wrote {output}")
    else:
        out = sys.stdout if for_people(format) else DataOut()
        with stdout_guard():
            write(out, use_color())
            out.flush()
    batch.finish()


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
    from ..cohort.stats import Cohort, GroupBy
    from ..fileio import check_writable
    from ..framework.profiles import load_profiles
    from ..render.cohort import render

    prof = load_profiles(profiles)
    to_file = output is not None and str(output) != "-"
    if to_file:
        assert output is not None
        check_writable(output, force=force, inputs=prof.files)
    batch = _Batch(paths, prof, jobs, "cohort", quiet=quiet)
    batch.refuse_as_output(output)
    batch.keep_ratings = True
    cohort = Cohort(prof, GroupBy(by.value)).add_all(batch.records())
    cohort.add_ratings(batch.ratings, min_raters=min_raters)
    summary = cohort.summary(min_group, title=title)
    emit(render(format, summary, color=use_color() and not to_file, width=table_width()), output,
         force, human=for_people(format), inputs=prof.files)  # the sheets: checked before scoring
    batch.finish()


@handle_errors
def compare(
    old: Annotated[Path | None, typer.Argument(
        help="The earlier answer sheet, or a folder of a programme's earlier sheets.",
        show_default=False, metavar="OLD")] = None,
    new: Annotated[Path | None, typer.Argument(
        help="The later answer sheet, or a folder of the later sheets.",
        show_default=False, metavar="NEW")] = None,
    format: Annotated[
        ProgrammeFormat, typer.Option("--format", "-f", help="Output format (one person: "
                                      "table or json).")
    ] = ProgrammeFormat.table,
    force: Annotated[
        bool, typer.Option("--force", help="One person: compare even if the respondent ids "
                           "differ. Folders: overwrite an existing output file.")
    ] = False,
    before: Annotated[list[Path] | None, typer.Option(
        "--before", metavar="PATH",
        help="A programme's earlier sheets or folders (repeat it; instead of OLD).",
        show_default=False)] = None,
    after: Annotated[list[Path] | None, typer.Option(
        "--after", metavar="PATH", help="A programme's later sheets or folders (repeat it; instead of NEW).",
        show_default=False)] = None,
    by: Annotated[By, typer.Option("--by", help="Folders: group people by this (as they "
                                   "were before).")] = By.background,
    min_group: Annotated[
        int, typer.Option("--min-group", min=1, metavar="N", help="Folders: groups with fewer paired "
                          "people are not shown on their own (privacy).")
    ] = 5,
    output: OutOpt = None,
    jobs: JobsOpt = None,
    profiles: ProfilesOpt = None,
) -> None:
    """Before and after for one person, or for a whole programme.

    Two sheets: the change per competency, recommendations now resolved and new ones, and
    the change in organisational barriers. The two sheets must have the same respondent
    id (exit 65 otherwise, unless --force).

    Two folders (or --before/--after sets of sheets): people are paired by respondent
    id; per competency the mean change with its 95% confidence interval (paired t),
    Cohen's d_z and the share at target before and after; training needs and barriers
    resolved and new; per group under --min-group; and what the design cannot show.

    \b
    Examples:
      qim compare 2025/rn-ward7.toml 2026/rn-ward7.toml
      qim compare cohort-2025/ cohort-2026/ --format markdown
    """
    from ..errors import UsageError

    if before or after or (old is not None and old.is_dir()) or (new is not None and new.is_dir()):
        _compare_programme(old, new, before or [], after or [], format, by, min_group,
                           output, force, jobs, profiles)
        return
    if old is None or new is None:
        raise UsageError("qim compare: give OLD and NEW (two answer sheets, or two folders)")
    if output is not None:
        raise UsageError("qim compare: -o is for comparing folders; redirect the output instead")
    from ..render.compare import CompareFormat

    if format.value not in CompareFormat.__members__:
        raise UsageError(f"qim compare: --format {format.value} is for comparing folders; "
                         "one person's compare gives table or json")
    _compare_people(old, new, CompareFormat(format.value), force, profiles)


def _compare_people(old: Path, new: Path, format: CompareFormat, force: bool,
                    profiles: Path | None) -> None:
    """Two sheets of one person."""
    from ..assessment.compare import check_same_person, compare_results
    from ..assessment.report import build_result
    from ..errors import DataError, QimError
    from ..framework.profiles import load_profiles
    from ..loading import display_name
    from ..render.compare import render
    from ..sheets.answers import load_sheet

    prof = load_profiles(profiles)
    results = []
    problems: list[QimError] = []
    for path in (old, new):  # report problems of both files, not only the first
        name = display_name(path)
        try:
            results.append(build_result(load_sheet(path, prof, name), prof, source=name))
        except QimError as exc:
            problems.append(exc)
    if problems:
        lines = [line for exc in problems for line in exc.lines]
        worst = next((e for e in problems if isinstance(e, DataError)), problems[0])
        raise type(worst)(lines[0], lines=lines)
    warning = check_same_person(results[0], results[1], force=force)
    if warning:
        err(warning)
    doc = compare_results(results[0], results[1], prof)
    emit(render(format, doc, color=use_color(), width=table_width()), None, False,
         human=for_people(format), inputs=[old, new, *prof.files])


def _compare_programme(old: Path | None, new: Path | None, before: list[Path], after: list[Path],
                       format: ProgrammeFormat, by: By, min_group: int, output: Path | None,
                       force: bool, jobs: int | None, profiles: Path | None) -> None:
    """Two sets of sheets: a programme's before and after (cohort/programme.py)."""
    from ..cohort.programme import compare_programme
    from ..cohort.stats import GroupBy
    from ..errors import UsageError
    from ..fileio import check_writable
    from ..framework.profiles import load_profiles
    from ..render.programme import render

    if (old is not None and before) or (new is not None and after):
        raise UsageError("qim compare: give the earlier sheets either as OLD or with --before, "
                         "and the later ones as NEW or with --after")
    before = before or ([old] if old is not None else [])
    after = after or ([new] if new is not None else [])
    if not before or not after:
        raise UsageError("qim compare: give both the earlier and the later sheets")
    prof = load_profiles(profiles)
    to_file = output is not None and str(output) != "-"
    if to_file:
        assert output is not None
        check_writable(output, force=force, inputs=prof.files)
    first = _Batch(before, prof, jobs, "compare")
    second = _Batch(after, prof, jobs, "compare")
    first.refuse_as_output(output)
    second.refuse_as_output(output)
    doc = compare_programme(first.records(), second.records(), prof, GroupBy(by.value),
                            min_group)
    emit(render(format, doc, color=use_color() and not to_file, width=table_width()), output,
         force, human=for_people(format), inputs=prof.files)  # the sheets: checked before scoring
    for label, batch in (("before", first), ("after", second)):
        batch.command = f"compare ({label})"
    _finish_both(first, second)


def _finish_both(first: _Batch, second: _Batch) -> None:
    """One summary line per set on stderr, then the worst exit code of the two."""
    from ..cohort.batch import batch_exit_code

    codes: set[int] = set()
    for batch in (first, second):
        try:
            batch.finish()
        except typer.Exit as exc:
            codes.add(int(exc.exit_code))
    code = batch_exit_code(codes)
    if code:
        raise typer.Exit(code)
