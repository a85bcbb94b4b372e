"""``qim import``: one answer sheet (or rating or context sheet) per row of a survey export.

Every row is validated like a sheet; a bad row is reported with its row number, column
and problem and the other rows are still written. A bad scenario (one pick of two, the
same response twice, no such option) is reported in the same way but costs only itself:
the sheet is written without it, its cells kept as comments at the end of the sheet. Two
rows for the same person are both held back and reported, never merged or chosen between.
A sheet that exists already is kept unless ``force``; file names are made safe whatever
the ids contain.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from ..errors import OutputIsInput, WriteError
from ..fileio import write_atomic
from ..framework.profiles import Profiles
from ..printable import printable
from ..reading import display_name
from ..sheets.answers import sheet_to_data
from ..sheets.context import ContextSheet, context_to_data
from ..sheets.models import AnswerSheet, RaterSheet
from .context import sheet_fields
from .fields import PICK_NAMES
from .picks import NOT_WRITTEN
from .rows import CellError, RowResult, clip, date_order, is_blank_row, read_date, row_to_sheet
from .surveys import Mapping, match_columns, read_map
from .tables import read_table

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# names Windows will not give to a file, whatever the extension
_WINDOWS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_stem(text: str, limit: int = 80) -> str:
    """A file name stem that is safe on every common file system: letters, digits, ".",
    "_" and "-" only, no leading dot or dash, no reserved Windows device name."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE.sub("_", text).strip("._-")[:limit].rstrip("._-") or "sheet"
    if stem.split(".")[0].lower() in _WINDOWS:
        stem = "_" + stem
    return stem


@dataclass
class ImportReport:
    """What an import did: the sheets written and every problem, in row order."""

    source: str
    kind: str
    out: Path
    rows: int = 0
    written: list[Path] = field(default_factory=list)
    bad_rows: list[int] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # existing sheets not overwritten
    problems: list[str] = field(default_factory=list)
    mapping: Mapping | None = None
    notes: list[str] = field(default_factory=list)
    #: rows whose sheet was written without a scenario they answered badly
    partial: list[int] = field(default_factory=list)
    #: every row with a scenario answered badly, whether its sheet was written or not
    bad_scenarios: list[int] = field(default_factory=list)
    #: answers in columns left out for the file (a scenario with one column of its two)
    lost_answers: int = 0

    @property
    def ignored(self) -> list[str]:
        return self.mapping.ignored if self.mapping else []


Imported = AnswerSheet | RaterSheet | ContextSheet


def _identity(sheet: Imported, row: int) -> tuple[str, bool]:
    """The file stem of a sheet, and whether two rows with it are the same person."""
    if isinstance(sheet, AnswerSheet | ContextSheet):
        return safe_stem(sheet.respondent.id), True
    rater = sheet.rater
    if rater.id:
        return safe_stem(f"{sheet.subject}-{rater.role}-{rater.id}"), True
    return safe_stem(f"{sheet.subject}-{rater.role}-row{row}"), False


def _who(sheet: Imported) -> str:
    if isinstance(sheet, AnswerSheet | ContextSheet):
        return f'respondent id "{sheet.respondent.id}"'
    return f'rating of "{sheet.subject}" by {sheet.rater.role} "{sheet.rater.id}"'


def _set_aside(res: RowResult) -> str:
    """The cells of each scenario left out, as the commented table they would have been."""
    lines: list[str] = []
    for sid, picks in res.set_aside.items():
        lines += ["", "# left out by qim import (both picks or neither, two different ones); "
                  "as given:", f"# [scenarios.{sid}]"]
        lines += [f"# {tomli_w.dumps({pick: text}).strip()}" for pick, text in picks.items()]
    return "\n".join(lines) + "\n" if lines else ""


def _toml(sheet: Imported, source: str, row: int) -> str:
    if isinstance(sheet, AnswerSheet):
        data = sheet_to_data(sheet)  # assessed_on as a TOML date
    elif isinstance(sheet, ContextSheet):
        data = context_to_data(sheet)
    else:
        data = sheet.model_dump(mode="json", exclude_none=True)
    if not data.get("importance"):
        data.pop("importance", None)
    if not data.get("context"):
        data.pop("context", None)
    name = printable(Path(source).name)
    return f"# imported by qim import from {name}, row {row}\n" + tomli_w.dumps(data)


def _lone_lines(where: str, mapping: Mapping, headers: list[str],
                rows: list[list[object]]) -> tuple[list[str], int]:
    """One line per scenario with one column of its two, and how many answers that leaves out."""
    lines: list[str] = []
    lost = 0
    for index, present, missing in mapping.lone:
        answered = sum(1 for row in rows if row[index] is not None and str(row[index]).strip())
        lost += answered
        s = "" if answered == 1 else "s"
        lines.append(
            f'{where}: no column holds the {PICK_NAMES[missing.name]} of scenario '
            f'{present.scenario} ({missing.var}), so column "{clip(headers[index])}" is left '
            + (f"out ({answered} row{s} answered it)" if answered else "out (no row answers it)")
            + "; add the missing column, or name it with --map")
    return lines, lost


def read_rows(path: Path, profiles: Profiles, *, rater: bool = False, context: bool = False,
              map_path: Path | None = None
              ) -> tuple[list[RowResult], Mapping, list[str], tuple[list[str], int]]:
    """Read and validate every row of an export (nothing is written): the rows, the columns,
    notes on how it was read, and the lines about lone scenario columns with the number of
    answers they leave out."""
    where = display_name(path)
    table = read_table(path)
    fields_map = None
    if map_path is not None:
        fields_map = read_map(map_path, sheet_fields(profiles, rater=rater, context=context,
                                                     every_column=True))
    mapping = match_columns(table.headers, profiles, rater=rater, context=context,
                            column_map=fields_map, where=where)
    headers = mapping.header_of(table.headers)
    own = {f: table.headers[i] for i, f in mapping.columns.items()}
    used = set(mapping.columns)
    orders = {f.key: date_order([row[i] for row in table.rows])
              for i, f in mapping.columns.items() if f.kind == "date"}
    stamp_order = None
    if mapping.dated_by is not None:
        stamp_order = date_order([row[mapping.dated_by[0]] for row in table.rows])
    notes = list(table.notes)
    undated = 0
    results: list[RowResult] = []
    for values, number in zip(table.rows, table.numbers, strict=True):
        cells = {f: values[i] for i, f in mapping.columns.items()}
        extra = [v for i, v in enumerate(values) if i not in used]
        if is_blank_row(cells, extra):
            continue
        if mapping.dated_by is not None:
            index, dated = mapping.dated_by
            try:
                cells[dated] = read_date(values[index], stamp_order)
            except CellError:
                undated += 1
        results.append(row_to_sheet(cells, profiles, where=where, row=number, columns=headers,
                                    rater=rater, context=context, orders=orders, headers=own))
    if mapping.dated_by is not None:
        header = table.headers[mapping.dated_by[0]]
        notes.append(f'assessed_on from "{header}"' + (
            f", except {undated} row{'s' if undated != 1 else ''} whose date is missing or "
            "could be day/month or month/day" if undated else ""))
    return results, mapping, notes, _lone_lines(where, mapping, table.headers, table.rows)


def _same_person_twice(results: list[RowResult], source: str) -> tuple[dict[int, str], dict[int, str]]:
    """Each good row's file name, and the rows held back because two rows are one person
    (or would share one file name): row -> why none of them is written."""
    stems: dict[str, list[RowResult]] = defaultdict(list)
    identity: dict[int, str] = {}
    for res in results:
        if res.ok and res.sheet is not None:
            stem, checked = _identity(res.sheet, res.row)
            identity[res.row] = stem
            if checked:
                stems[stem.casefold()].append(res)
    held: dict[int, str] = {}
    for group in stems.values():
        if len(group) > 1:
            rows = [r.row for r in group]
            same = len({_who(r.sheet) for r in group if r.sheet is not None}) == 1
            for res in group:
                others = ", ".join(str(n) for n in rows if n != res.row)
                assert res.sheet is not None
                s = "s" if len(rows) > 2 else ""
                if same:
                    what = f"{_who(res.sheet)} is also on row{s} {others}"
                else:  # ids that differ only in case or a trailing mark share a file name
                    what = (f"{_who(res.sheet)} and the one{s} on row{s} {others} would share "
                            f"one file name ({identity[group[0].row]}.toml, whatever the case)")
                held[res.row] = (f"{source}: row {res.row}: {what}; none of them is "
                                 "written (keep the right one and import again)")
    return identity, held


def run_import(path: Path, out: Path, profiles: Profiles, *, rater: bool = False,
               context: bool = False, force: bool = False, map_path: Path | None = None,
               progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Read an export and write one sheet per good row into ``out``.

    `progress`, when given, is called with (rows done, rows) as the sheets are written.
    """
    if out.exists() and not out.is_dir():  # said before the export is read
        raise WriteError(f"{display_name(out)}: not a folder (--out names the folder for the "
                         "sheets)")
    results, mapping, notes, (lone, lost) = read_rows(path, profiles, rater=rater,
                                                       context=context, map_path=map_path)
    report = ImportReport(display_name(path), mapping.kind, out, len(results), mapping=mapping,
                          notes=notes, problems=lone, lost_answers=lost)
    if not out.exists():
        try:
            out.mkdir(parents=False)
        except OSError as exc:
            raise WriteError(f"{display_name(out)}: cannot create the folder "
                             f"({exc.strerror or exc})") from None

    identity, held = _same_person_twice(results, report.source)
    for done, res in enumerate(results, start=1):
        if progress is not None:
            progress(done, len(results))
        if not res.ok:
            report.bad_rows.append(res.row)
            report.problems.extend(res.problems)
            continue
        if res.left_out:
            report.bad_scenarios.append(res.row)
        if res.row in held:
            report.bad_rows.append(res.row)
            report.problems.extend(res.left_out)
            report.problems.append(held[res.row])
            continue
        assert res.sheet is not None
        target = out / f"{identity[res.row]}.toml"
        try:  # never over the export, the map or a profile file, --force or not
            write_atomic(target, _toml(res.sheet, str(path), res.row) + _set_aside(res),
                         force=force,
                         inputs=[path, *([map_path] if map_path else []), *profiles.files])
        except OutputIsInput as exc:
            report.kept.append(target)
            report.problems.extend(res.left_out)
            report.problems.append(f"{report.source}: row {res.row}: {exc.message}")
            continue
        except WriteError:
            if target.exists() and not force:
                report.kept.append(target)
                report.problems.extend(res.left_out)
                report.problems.append(f"{report.source}: row {res.row}: {display_name(target)} "
                                       "already exists; kept it (use --force to overwrite)")
                continue
            raise
        if res.left_out:  # said once the sheet is there
            report.partial.append(res.row)
            report.problems.extend(f"{line}; {NOT_WRITTEN}" for line in res.left_out)
        report.written.append(target)
    return report


__all__ = ["ImportReport", "read_rows", "run_import", "safe_stem"]
