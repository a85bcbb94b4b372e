"""Commands on one person's sheets: report, template, validate and schema."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..render.person import ReportFormat

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from ..sheets.models import AnswerSheet, RaterSheet

from .common import (
    ForceOpt,
    OutOpt,
    ProfilesOpt,
    emit,
    err,
    for_people,
    handle_errors,
    refuse_binary_on_a_terminal,
    terminal_width,
    use_color,
)

#: what a report says of a context sheet given to it
NOT_A_QIM = ("a context sheet holds a staff member's answers about their workplace, not a "
             "QIM's self-assessment; qim report reads a self-assessment (and colleagues' "
             "ratings of it)")

ContextOpt = Annotated[
    bool,
    typer.Option("--context", help="A context sheet: staff at any level (front line, middle "
                 "managers, senior leaders, board) describe their workplace; no competencies."),
]


class RaterChoice(str, Enum):
    line_manager = "line_manager"
    peer = "peer"
    frontline = "frontline"
    clinical_lead = "clinical_lead"



def _stdin_bytes() -> bytes:
    """An answer sheet from standard input (`-`): at most the size limit plus one byte (so
    a larger one is named as such); a closed standard input is an input not found, and
    on a terminal qim says it is waiting for the sheet instead of waiting silently."""
    from ..errors import DataError, NotFoundError
    from ..reading import MAX_FILE_BYTES

    stream = sys.stdin
    buffer = getattr(stream, "buffer", None)
    if stream is None or buffer is None or stream.closed:
        raise NotFoundError("<stdin>: standard input is closed")
    if stream.isatty():
        err("qim: reading an answer sheet from the terminal; end it with Ctrl-D "
            "(or name the file instead of -)")
    try:
        data: bytes = buffer.read(MAX_FILE_BYTES + 1)
        return data
    except OSError as exc:
        raise DataError(f"<stdin>: cannot read ({exc.strerror or exc})") from None


@handle_errors
def report(
    files: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE",
            help="An answer sheet (TOML), or - for standard input. For 360° feedback: the "
            "person's self-assessment and colleagues' ratings (files or a folder).",
            show_default=False,
        ),
    ],
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format (pdf: the HTML "
                                   "report as an A4 PDF; needs the extra qim[pdf]).")
    ] = ReportFormat.table,
    output: OutOpt = None,
    force: ForceOpt = False,
    min_raters: Annotated[
        int,
        typer.Option("--min-raters", min=1, metavar="N",
                     help="360: smallest rater group shown on its own, and the fewest "
                     "colleagues whose view replaces the self view."),
    ] = 3,
    show_line_manager: Annotated[
        bool,
        typer.Option("--show-line-manager", help="360: show line managers' ratings apart even "
                     "when fewer than --min-raters (the report says so)."),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Terminal: add the trace (every rule that fired, its "
                     "conditions and your values, the study's figures and sources). JSON, "
                     "Markdown and HTML always carry it."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="List the other files found in a folder (not "
                     "*.toml), which are skipped."),
    ] = False,
    profiles: ProfilesOpt = None,
) -> None:
    """The individual report: the competency profile, strengths, a development plan of a
    few objectives (need, how, by when, how to show it, who can help) and the
    organisational barriers to raise. Given a self-assessment and colleagues' ratings, the
    360° report: self against others, where you rate yourself higher and hidden strengths.

    \b
    Example:
      qim report rn-ward7.toml --explain
    """
    from ..assessment.report import build_result
    from ..framework.profiles import load_profiles
    from ..render import feedback, person
    from ..render.formats import Layout
    from ..sheets.models import AnswerSheet

    refuse_binary_on_a_terminal(format, output)
    if format is ReportFormat.pdf:  # before any work: is the PDF extra installed?
        from ..render.printing import check_available

        check_available()
    prof = load_profiles(profiles)
    sheets, paths = _report_sheets(files, prof, verbose=verbose)
    layout = Layout(color=use_color() and output is None, width=terminal_width(), explain=explain)
    inputs: list[str | Path] = [*paths, *prof.files]
    source, only = sheets[0]
    if len(sheets) == 1 and isinstance(only, AnswerSheet):
        result = build_result(only, prof, source)
        emit(person.render(format, result, prof, layout), output, force,
             human=for_people(format), inputs=inputs)
        return
    from ..assessment.feedback import merge, split_sets

    (source, self_sheet), ratings = split_sets(sheets)
    fb = merge(self_sheet, [r for _, r in ratings], prof, source,
               min_raters=min_raters, show_line_manager=show_line_manager)
    emit(feedback.render(format, fb, prof, layout), output, force, human=for_people(format),
         inputs=inputs)


def _report_sheets(files: list[str], prof: Profiles, *, verbose: bool
                   ) -> tuple[list[tuple[str, AnswerSheet | RaterSheet]], list[str]]:
    """The sheets named (standard input once at most, files and folders found and checked
    as every batch is: cohort/runner.py), and the paths read. A context sheet is not a
    QIM's: set aside, or refused when it is all there is."""
    from ..errors import DataError
    from ..sheets.answers import load_any_bytes
    from ..sheets.context import ContextSheet

    if files.count("-") > 1:
        from ..errors import UsageError

        raise UsageError("standard input (-) can be read only once")
    sheets: list[tuple[str, AnswerSheet | RaterSheet]] = []
    paths: list[str] = []
    if "-" in files:
        given = load_any_bytes(_stdin_bytes(), prof, "<stdin>")
        if isinstance(given, ContextSheet):
            raise DataError(f"<stdin>: kind: {NOT_A_QIM}")
        sheets.append(("<stdin>", given))
        paths.append("-")
    named = [f for f in files if f != "-"]
    if named:
        from ..cohort.runner import Batch, Purpose

        batch = Batch(named, prof, Purpose.REPORT, notify=err, verbose=verbose)
        sheets += batch.sheets()
        paths += list(batch.files)
        if batch.tally.exit_code:
            raise typer.Exit(batch.tally.exit_code)
        if batch.tally.others:
            k = len(batch.tally.others)
            err(f"qim report: {k} other file{'s' if k != 1 else ''} skipped "
                f"({'listed above' if verbose else '--verbose lists them'})")
        if batch.contexts and not sheets:
            raise DataError(f"{batch.contexts[0].file}: kind: {NOT_A_QIM}")
        if batch.tally.contexts:
            k = batch.tally.contexts
            err(f"qim report: {k} context sheet{'s' if k != 1 else ''} set aside (staff's "
                "answers about their workplace, not a QIM's self-assessment)")
    return sheets, paths


@handle_errors
def template(
    background: Annotated[
        str | None,
        typer.Option("--background", "-b", metavar="BACKGROUND", show_default=False,
                     help="Fill in the background (clinical or traditional in the bundled "
                     "profile set) and list only its roles."),
    ] = None,
    rater: Annotated[
        RaterChoice | None,
        typer.Option("--rater", help="360: a colleague's rating form (observer wording) instead "
                     "of a self-assessment."),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option("--subject", metavar="ID", show_default=False,
                     help="360: the id of the person being rated (with --rater)."),
    ] = None,
    context: ContextOpt = False,
    level: Annotated[
        str | None,
        typer.Option("--level", metavar="LEVEL", show_default=False,
                     help="With --context: the level of staff it is for (front_line, "
                     "middle_managers, senior_leaders or board in the bundled profile set), "
                     "filled in, with every question worded for it."),
    ] = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    profiles: ProfilesOpt = None,
) -> None:
    """A blank answer sheet with every question as a comment; fill it in, then validate it.
    With --context, a context sheet: the workplace questions for staff at any level.

    \b
    Examples:
      qim template --background clinical -o new-hire.toml
      qim template --rater peer --subject rn-ward7 -o peer-1.toml   # 360
      qim template --context --level board -o board-1.toml
    """
    import re

    from ..errors import UsageError
    from ..framework.profiles import load_profiles
    from ..sheets.template import render_rater_template, render_template

    prof = load_profiles(profiles)
    if context or level is not None:
        from ..sheets.context import check_level, require_staff_levels
        from ..sheets.context_template import render_context_template

        if not context:
            raise UsageError("--level is for context sheets: add --context")
        if rater is not None or subject is not None or background is not None:
            raise UsageError("--context makes a context sheet: it takes --level, not --rater, "
                             "--subject or --background")
        require_staff_levels(prof)
        if level is not None:
            check_level(prof, level)
        emit(render_context_template(prof, level), output, force, inputs=prof.files)
        return
    if rater is not None or subject is not None:
        if rater is None or subject is None:
            from ..invocation import command

            raise UsageError("--rater and --subject go together: "
                             + command("template --rater peer --subject ID"))
        if background is not None:
            raise UsageError(
                "--background is for self-assessments; a rating form takes --rater and --subject"
            )
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", subject):
            raise UsageError(
                '--subject: must start with a letter or digit and use only letters, digits, '
                '".", "_" or "-"'
            )
        emit(render_rater_template(prof, rater.value, subject), output, force, inputs=prof.files)
        return
    if background is not None and background not in prof.backgrounds:
        raise UsageError(
            f"--background: must be one of {', '.join(prof.backgrounds)} (got \"{background}\")"
        )
    emit(render_template(prof, background), output, force, inputs=prof.files)


@handle_errors
def validate(
    files: Annotated[
        list[str], typer.Argument(help="Answer sheets to check; - reads standard input.",
                                  metavar="FILE", show_default=False)
    ],
    complete: Annotated[
        bool,
        typer.Option("--complete", help="Also require every item, importance and context "
                     "question to be answered (\"na\" counts as an answer, and is counted "
                     "apart: 38 of 40 items answered, 2 marked \"na\")."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
    profiles: ProfilesOpt = None,
) -> None:
    """Check answer sheets (self-assessments, colleagues' ratings and context sheets): one
    line per problem naming the file and the field.

    Exits 0 when all are valid, 65 when any is invalid, 66 when a file is missing.

    \b
    Example:
      qim validate returned/*.toml
    """
    from ..errors import ExitCode, QimError
    from ..framework.profiles import load_profiles
    from ..reading import display_name
    from ..sheets.answers import load_any, load_any_bytes
    from ..sheets.context import ContextSheet
    from ..sheets.models import AnswerSheet
    from ..words import in_sentence

    if files.count("-") > 1:
        from ..errors import UsageError

        raise UsageError("standard input (-) can be read only once")
    prof = load_profiles(profiles)
    codes: set[int] = set()
    for f in files:
        name = "<stdin>" if f == "-" else display_name(f)
        try:
            if f == "-":
                sheet = load_any_bytes(_stdin_bytes(), prof, name, complete=complete)
            else:
                sheet = load_any(Path(f), prof, name, complete=complete)
        except QimError as exc:
            for line in exc.lines:
                err(line)
            codes.add(int(exc.exit_code))
            continue
        if not quiet:
            # "na" is an answer (--complete takes it as one): said apart from the values
            given = sheet.context if isinstance(sheet, ContextSheet) else sheet.answers
            answered = sum(isinstance(v, int) for v in given.values())
            na = sum(v == "na" for v in given.values())
            marked = f', {na} marked "na"' if na else ""
            if isinstance(sheet, ContextSheet):
                label = prof.staff_levels[sheet.respondent.level].label
                sys.stdout.write(f"{name}: valid (context sheet, {sheet.respondent.id}, "
                                 f"{in_sentence(label)}, {answered} of {len(prof.context_items)} "
                                 f"questions answered{marked})\n")
                continue
            if isinstance(sheet, AnswerSheet):
                who = f"{sheet.respondent.id}, {sheet.respondent.background}"
            else:
                who = f"rating of {sheet.subject} by {sheet.rater.role.replace('_', ' ')}"
            sys.stdout.write(f"{name}: valid ({who}, {answered} of {len(prof.items)} items "
                             f"answered{marked})\n")
    if ExitCode.DATA_INVALID in codes:
        raise typer.Exit(int(ExitCode.DATA_INVALID))
    if codes:
        raise typer.Exit(max(codes))


class Schema(str, Enum):
    answers = "answers"
    rating = "rating"
    context = "context"
    result = "result"
    feedback = "feedback"
    cohort = "cohort"
    compare = "compare"
    compare_cohort = "compare-cohort"
    programme = "programme"  # compare-cohort's, by the name earlier versions gave it
    pair = "pair"


@handle_errors
def schema(
    kind: Annotated[
        Schema,
        typer.Argument(metavar="KIND", help="answers: the self-assessment; rating: a colleague's "
                       "360 rating; context: a context sheet (staff at any level); result: the "
                       "JSON report; feedback: the JSON 360 report; cohort, compare, "
                       "compare-cohort (or programme) and pair: the JSON of those commands."),
    ],
    profiles: ProfilesOpt = None,
) -> None:
    """Print the JSON Schema of a sheet (answers, rating, context) or of a command's JSON
    output.

    \b
    Example:
      qim schema result > qim-result.schema.json
    """
    import json

    from ..framework.profiles import load_profiles
    from ..render import schema as s

    if kind in (Schema.answers, Schema.rating, Schema.context):
        prof = load_profiles(profiles)
        sheet_schema = {Schema.answers: s.answers_schema, Schema.rating: s.rating_schema,
                        Schema.context: s.context_schema}[kind]
        doc, read = sheet_schema(prof), prof.files
    else:
        made = {Schema.result: s.result_schema, Schema.feedback: s.feedback_schema,
                Schema.cohort: s.cohort_schema, Schema.compare: s.compare_schema,
                Schema.compare_cohort: s.compare_cohort_schema,
                Schema.programme: s.compare_cohort_schema, Schema.pair: s.pairing_schema}
        doc, read = made[kind](), []
    emit(json.dumps(doc, indent=2, ensure_ascii=False), None, False, inputs=read)
