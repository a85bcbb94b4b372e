"""`qim pair`: mixed-team and mentoring pairs for a cohort.

Top-level imports are Typer and the standard library; the core is imported inside the
command so that `qim --help` stays fast.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .batch import QuietOpt, VerboseOpt, finish, open_batch, run_batch
from .common import ForceOpt, OutOpt, ProfilesOpt, emit, handle_errors, terminal_width, use_color


class Mode(str, Enum):
    mixed = "mixed"
    mentoring = "mentoring"


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


@handle_errors
def pair(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Answer sheets (TOML) and folders, searched recursively for *.toml.",
                       show_default=False, metavar="PATH"),
    ],
    mode: Annotated[
        Mode, typer.Option("--mode", "-m", help="mixed: clinical with traditional QIMs; "
                           "mentoring: experienced QIMs with new and early-career ones.")
    ] = Mode.mixed,
    scores: Annotated[
        bool, typer.Option("--scores", help="Show how much each person covers of the other's "
                           "gaps (left out by default: pairs are shared with the people in them).")
    ] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: OutOpt = None,
    force: ForceOpt = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, show_default=False, metavar="N",
                     help="Score in this many processes (as qim cohort)."),
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """Pair a cohort so that people learn from each other: clinical with traditional QIMs
    (mixed), or experienced QIMs with new and early-career ones (mentoring).

    The pairs are a maximum-weight matching: together they cover as much as possible of
    each person's gaps with the other's strengths. Where one side is larger, a pair takes
    a third member; anyone left is listed as unpaired, with the reason. Each pair is
    explained in words; numbers only with --scores. The same sheets always give the same
    pairs. A bad sheet, or a respondent id in two sheets, is reported on stderr and left
    out; the exit code is then 65.

    \b
    Example:
      qim pair returned/ --mode mentoring --format markdown -o mentoring.md
    """
    from ..cohort.pairing import pair as make_pairs
    from ..cohort.pairing import pairing_result
    from ..cohort.runner import Purpose
    from ..fileio import check_writable
    from ..framework.profiles import load_profiles
    from ..render.formats import Layout
    from ..render.pairing import PairFormat, render

    prof = load_profiles(profiles)
    to_file = output is not None and str(output) != "-"
    if to_file:
        assert output is not None
        check_writable(output, force=force, inputs=prof.files)
    batch = open_batch(paths, prof, Purpose.PAIR, jobs=jobs, output=output, verbose=verbose)
    run_batch(batch, quiet=quiet)
    result = make_pairs(batch.records(), prof, "mixed" if mode is Mode.mixed else "mentoring")
    doc = pairing_result(result, prof, scores=scores)
    layout = Layout(color=use_color() and not to_file, width=terminal_width())
    emit(render(PairFormat(format.value), doc, prof, layout), output, force,
         inputs=prof.files)  # the sheets: checked before scoring
    finish(batch)
