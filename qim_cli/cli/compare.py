"""Before and after: `qim compare OLD NEW` (one person) and `qim compare-cohort BEFORE
AFTER` (a programme's cohort).

Each option means one thing. `qim compare` given folders, or --before/--after, still
compares a cohort, with a note on standard error: the spelling of earlier versions.

Top-level imports are Typer, the standard library and the (stdlib-only) format enums;
the core is imported inside each command so that `qim --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..render.compare import CompareFormat
from ..render.compare_cohort import CompareCohortFormat
from .batch import By, JobsOpt, QuietOpt, VerboseOpt, finish, open_batch, run_batch
from .common import (
    ForceOpt,
    OutOpt,
    ProfilesOpt,
    emit,
    err,
    for_people,
    handle_errors,
    table_width,
    use_color,
)

MinGroupOpt = Annotated[
    int, typer.Option("--min-group", min=1, metavar="N", help="Groups with fewer paired people "
                      "are not shown on their own (privacy).")
]
ByOpt = Annotated[By, typer.Option("--by", help="Group people by this (as they were before).")]


@handle_errors
def compare(
    old: Annotated[Path | None, typer.Argument(
        help="The earlier answer sheet.", show_default=False, metavar="OLD")] = None,
    new: Annotated[Path | None, typer.Argument(
        help="The later answer sheet of the same person.", show_default=False,
        metavar="NEW")] = None,
    format: Annotated[
        CompareFormat, typer.Option("--format", "-f", help="Output format (markdown and html: "
                                    "the review to bring to an appraisal).")
    ] = CompareFormat.table,
    output: OutOpt = None,
    force: ForceOpt = False,
    allow_different_ids: Annotated[
        bool, typer.Option("--allow-different-ids",
                           help="Compare even if the two sheets' respondent ids differ.")
    ] = False,
    profiles: ProfilesOpt = None,
    # the spelling of earlier versions for a cohort (now qim compare-cohort), kept working
    before: Annotated[list[Path] | None, typer.Option("--before", hidden=True)] = None,
    after: Annotated[list[Path] | None, typer.Option("--after", hidden=True)] = None,
    by: Annotated[By, typer.Option("--by", hidden=True)] = By.background,
    min_group: Annotated[int, typer.Option("--min-group", min=1, hidden=True)] = 5,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, hidden=True)] = None,
) -> None:
    """Before and after for one person: the review of last time's plan (each objective
    reached, improved or not), the change per competency, recommendations now resolved
    and new ones, and the change in organisational barriers. The two sheets must have the
    same respondent id (exit 65 otherwise, unless --allow-different-ids). For a cohort
    before and after a programme, use qim compare-cohort.

    \b
    Examples:
      qim compare 2025/rn-ward7.toml 2026/rn-ward7.toml
      qim compare 2025/rn-ward7.toml 2026/rn-ward7.toml -f html -o review.html
    """
    from ..errors import UsageError

    if before or after or any(p is not None and p.is_dir() for p in (old, new)):
        err("qim compare: a cohort's before and after is now qim compare-cohort BEFORE AFTER "
            "(this spelling still works)")
        _cohort(old, new, before or [], after or [], CompareCohortFormat(format.value), by,
                min_group, output, force, jobs, profiles, quiet=True, verbose=False,
                label="compare")
        return
    if old is None or new is None:
        raise UsageError("qim compare: give OLD and NEW, two answer sheets of one person "
                         "(for a cohort: qim compare-cohort BEFORE AFTER)")
    if force and output is None and not allow_different_ids:
        # --force used to mean both: with nothing to overwrite, it can only mean this
        err("qim compare: --force now only overwrites the -o file; to compare different "
            "respondents use --allow-different-ids (taken as meant this time)")
        allow_different_ids = True
    _people(old, new, format, output, force, allow_different_ids, profiles)


def _people(old: Path, new: Path, format: CompareFormat, output: Path | None, force: bool,
            allow_different_ids: bool, profiles: Path | None) -> None:
    """Two sheets of one person."""
    from ..assessment.compare import check_same_person, compare_results
    from ..assessment.report import build_result
    from ..errors import DataError, QimError
    from ..fileio import check_writable
    from ..framework.profiles import load_profiles
    from ..reading import display_name
    from ..render.compare import render
    from ..render.formats import Layout
    from ..sheets.answers import load_sheet

    prof = load_profiles(profiles)
    inputs = [old, new, *prof.files]
    if output is not None and str(output) != "-":
        check_writable(output, force=force, inputs=inputs)
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
    warning = check_same_person(results[0], results[1], allow=allow_different_ids)
    if warning:
        err(warning)
    doc = compare_results(results[0], results[1], prof)
    color = use_color() and output is None
    emit(render(format, doc, prof, Layout(color=color, width=table_width())), output, force,
         human=for_people(format),
         inputs=inputs)


@handle_errors
def compare_cohort(
    old: Annotated[Path | None, typer.Argument(
        help="A folder of the programme's earlier sheets (or give them with --before).",
        show_default=False, metavar="BEFORE")] = None,
    new: Annotated[Path | None, typer.Argument(
        help="A folder of the later sheets (or give them with --after).",
        show_default=False, metavar="AFTER")] = None,
    before: Annotated[list[Path] | None, typer.Option(
        "--before", metavar="PATH", show_default=False,
        help="The earlier sheets or folders (repeat it; instead of BEFORE).")] = None,
    after: Annotated[list[Path] | None, typer.Option(
        "--after", metavar="PATH", show_default=False,
        help="The later sheets or folders (repeat it; instead of AFTER).")] = None,
    by: ByOpt = By.background,
    min_group: MinGroupOpt = 5,
    format: Annotated[
        CompareCohortFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CompareCohortFormat.table,
    output: OutOpt = None,
    force: ForceOpt = False,
    jobs: JobsOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """Did the programme work? A cohort before and after: people are paired by respondent
    id; per competency the mean change with its 95% confidence interval (paired t),
    Cohen's d_z and the share at target before and after; training needs and barriers
    resolved and new; per group under --min-group; and what the design cannot show.

    \b
    Examples:
      qim compare-cohort cohort-2025/ cohort-2026/
      qim compare-cohort --before 2025/a.toml --before 2025/b.toml --after 2026/
    """
    _cohort(old, new, before or [], after or [], format, by, min_group, output, force, jobs,
            profiles, quiet=quiet, verbose=verbose, label="compare-cohort")


def _cohort(old: Path | None, new: Path | None, before: list[Path], after: list[Path],
            format: CompareCohortFormat, by: By, min_group: int, output: Path | None, force: bool,
            jobs: int | None, profiles: Path | None, *, quiet: bool, verbose: bool,
            label: str) -> None:
    """Two sets of sheets: a programme's before and after (cohort/compare.py)."""
    from ..cohort.compare import compare_cohorts
    from ..cohort.groups import GroupBy
    from ..cohort.runner import Purpose
    from ..errors import UsageError
    from ..fileio import check_writable
    from ..framework.profiles import load_profiles
    from ..render.compare_cohort import render
    from ..render.formats import Layout

    if (old is not None and before) or (new is not None and after):
        raise UsageError(f"qim {label}: give the earlier sheets either as BEFORE or with "
                         "--before, and the later ones as AFTER or with --after")
    before = before or ([old] if old is not None else [])
    after = after or ([new] if new is not None else [])
    if not before or not after:
        raise UsageError(f"qim {label}: give both the earlier and the later sheets")
    prof = load_profiles(profiles)
    to_file = output is not None and str(output) != "-"
    if to_file:
        assert output is not None
        check_writable(output, force=force, inputs=prof.files)
    first = open_batch(before, prof, Purpose.COMPARE, jobs=jobs, output=output,
                       label=f"{label} (before)", verbose=verbose)
    second = open_batch(after, prof, Purpose.COMPARE, jobs=jobs, output=output,
                        label=f"{label} (after)", verbose=verbose)
    run_batch(first, quiet=quiet)
    run_batch(second, quiet=quiet)
    left_out = ((first.tally.repeated_ids, first.tally.repeated_sheets),
                (second.tally.repeated_ids, second.tally.repeated_sheets))
    doc = compare_cohorts(first.records(), second.records(), prof, GroupBy(by.value),
                            min_group, left_out=left_out)
    layout = Layout(color=use_color() and not to_file, width=table_width())
    emit(render(format, doc, prof, layout), output, force,
         human=for_people(format), inputs=prof.files)  # the sheets: checked before scoring
    finish(first, second)
