"""Rows in, sheets out: the one mapping between a flat row of answers and a sheet.

Every outside format (a REDCap export, a survey tool's spreadsheet, a generic CSV) ends
here: ``row_to_sheet`` reads each cell by its field, builds the sheet's data and validates
it exactly as ``qim validate`` would, naming the row and the column of every problem.
``sheet_to_row`` goes the other way (raw codes or the labels a person sees).
"""

from __future__ import annotations

import datetime
import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import DataError
from ..framework.profiles import Profiles
from ..messages import shown_value
from ..printable import printable
from ..sheets.answers import rating_from_data, sheet_from_data
from ..sheets.context import KIND, ContextSheet, context_from_data
from ..sheets.models import SCHEMA_VERSION, AnswerSheet, RaterSheet
from ..words import and_list, in_sentence
from .fields import NA, Field, norm
from .picks import drop_scenarios, pair_problems, where_pick

#: written for a cell with no answer
BLANK = ""

_NA_WORDS = {"na", "n/a", "n.a.", "n. a.", "not applicable"}


def _is_label(text: str, label: str) -> bool:
    """Whether a cell (normalised) is a choice's label. REDCap cannot write "|" in a label
    (it separates the choices), so its data dictionary has "/" there and its label export
    gives that back; a label escaped as markup (``&amp;``) is read as its text too."""
    forms = {norm(label), norm(label.replace("|", "/"))}
    return text in forms or norm(html.unescape(text)) in forms


class CellError(ValueError):
    """A cell that cannot be read as an answer to its question."""


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> float | None:
    """A spreadsheet number (xlsx readers give floats), or None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    num = _number(value)
    if num is not None and math.isfinite(num) and num.is_integer():
        return str(int(num))
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _choices_text(f: Field) -> str:
    shown = [code for code, _ in f.choices]
    return ", ".join(shown)


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?")
_SLASHED = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ ,T].*)?")
#: Excel counts days from 1899-12-30 (its 1900 leap-year bug included)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

DateOrder = str  # "dmy" or "mdy": how a column writes 03/09/2026


def date_order(values: list[Any]) -> DateOrder | None:
    """Whether a column writes day or month first, from the values that can only be read one
    way (13/03/2026 is day first); None when nothing in the column decides it."""
    for value in values:
        match = _SLASHED.fullmatch(value.strip()) if isinstance(value, str) else None
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                return "dmy"
            if second > 12 >= first:
                return "mdy"
    return None


def read_date(value: Any, order: DateOrder | None = None) -> datetime.date:
    """A date from a spreadsheet cell: a date cell, an Excel day number, 2026-03-02 (with or
    without a time), or 02/03/2026 when the column's order of day and month is known."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    num = _number(value)
    if num is not None:
        if num.is_integer() and 1 <= num < 2958466:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(num))
        raise CellError(f"must be a date such as 2026-03-02 (got {shown_value(value)})")
    text = str(value).strip()
    if re.fullmatch(r"\d{1,6}(\.0+)?", text):  # an Excel day number saved as text
        return read_date(float(text), order)
    try:
        if re.fullmatch(r"\d{8}", text):  # 20260302
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        iso = _ISO.fullmatch(text)
        if iso:
            return datetime.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        slashed = _SLASHED.fullmatch(text)
        if slashed:
            first, second, year = (int(g) for g in slashed.groups())
            if first == second:
                return datetime.date(year, first, first)
            if order is None and first <= 12 and second <= 12:
                raise CellError(f"{shown_value(text)} could be day/month or month/day; write it as "
                                "2026-03-02")
            day_first = order == "dmy" if order else first > 12
            day, month = (first, second) if day_first else (second, first)
            return datetime.date(year, month, day)
    except CellError:
        raise
    except ValueError:
        raise CellError(f"is not a real date (got {shown_value(text)})") from None
    raise CellError(f"must be a date such as 2026-03-02 (got {shown_value(text)})")


def read_cell(f: Field, value: Any, order: DateOrder | None = None) -> Any:
    """The sheet value of one cell; raises CellError with a message for people."""
    if f.kind == "date":
        return read_date(value, order)
    if isinstance(value, datetime.date | datetime.time) and f.kind in ("scale", "number", "choice"):
        raise CellError("the spreadsheet turned this answer into a date; format the column as "
                        f"text or a number and enter it again (got {value.isoformat()})")
    if f.kind == "scale":
        num = _number(value)
        if num is not None:
            if num.is_integer() and 1 <= num <= 5:
                return int(num)
            raise CellError(f"must be {_scale_words(f)} (got {shown_value(value)})")
        text = norm(str(value))
        if re.fullmatch(r"[1-5](\.0+)?", text):
            return int(text[0])
        allows_na = any(code == NA for code, _ in f.choices)
        for code, label in f.choices:
            if text == code or _is_label(text, label):
                return code if code == NA else int(code)
        if allows_na and text in _NA_WORDS:
            return NA
        raise CellError(f"must be {_scale_words(f)} (got {shown_value(value)})")
    if f.kind == "option":  # a scenario's pick: its letter, or the option's text (labels)
        text = norm(_as_text(value))
        for code, label in f.choices:
            if text == code or _is_label(text, label):
                return code
        raise CellError(f"must be one of the letters {_choices_text(f)}, or an option's text "
                        f"(got {shown_value(clip(_as_text(value)))})")
    if f.kind == "choice":
        text = norm(_as_text(value))
        for code, label in f.choices:
            if text == code.casefold() or _is_label(text, label):
                return code
        raise CellError(f"must be one of {_choices_text(f)} (got {shown_value(_as_text(value))})")
    if f.kind == "number":
        num = _number(value)
        if num is None:
            text = str(value).strip().replace("\u00a0", "").replace(" ", "")
            if "," in text and "." not in text:
                text = text.replace(",", ".")  # a decimal comma
            try:
                num = float(text)
            except ValueError:
                raise CellError(f"must be a number (got {shown_value(str(value).strip())})") from None
        if not math.isfinite(num):
            raise CellError("must be a finite number")
        return int(num) if num.is_integer() else num
    if f.kind == "notes" and isinstance(value, str):
        return value  # free text is kept as written
    return _as_text(value)


def _scale_words(f: Field) -> str:
    labels = [label for code, label in f.choices if code != NA]
    na = ' or "na"' if any(code == NA for code, _ in f.choices) else ""
    return f'1–5{na} (or a label: "{labels[0]}" … "{labels[-1]}")'


@dataclass
class RowResult:
    """One row read: the sheet (None when the row is bad) and every problem found."""

    row: int
    sheet: AnswerSheet | RaterSheet | ContextSheet | None = None
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: scenarios left out of a sheet that is otherwise good: one line each to report
    left_out: list[str] = field(default_factory=list)
    #: what the row's cells of each scenario left out held, as typed (pick -> text)
    set_aside: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.sheet is not None and not self.problems


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    *tables, name = key.split(".")  # scenarios.<id>.best is two tables deep
    node = data
    for table in tables:
        node = node.setdefault(table, {})
    node[name] = value


def _empty_row(cells: dict[Field, Any]) -> bool:
    return all(_is_empty(v) for v in cells.values())


def row_to_sheet(
    cells: dict[Field, Any],
    profiles: Profiles,
    *,
    where: str,
    row: int,
    columns: dict[str, str],
    rater: bool = False,
    context: bool = False,
    orders: dict[str, DateOrder | None] | None = None,
    headers: dict[Field, str] | None = None,
) -> RowResult:
    """Read one row. ``cells`` maps each field found to its cell, ``columns`` each field's key
    to the column header it came from (``headers``, when given, each field's own: a context
    sheet's question has a column per wording); ``where`` names the file in messages."""
    result = RowResult(row)
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, **({"kind": KIND} if context else {})}
    prefix = f"{where}: row {row}"
    by_key = {f.key: f for f in cells}
    columns = dict(columns)

    def at(key: str) -> str:
        header = columns.get(key)
        f = by_key.get(key)
        pick = f" ({where_pick(f)})" if f is not None and f.scenario else ""
        return f'column "{clip(header)}"{pick}' if header is not None else key

    unread: set[str] = set()
    bad: dict[str, list[str]] = {}  # scenario -> its problems
    worded: dict[Field, Any] = {}  # a context question's answers in one level's wording
    for f, value in cells.items():
        if _is_empty(value):
            continue
        try:
            if f.levels:
                worded[f] = read_cell(f, value)
            else:
                _put(data, f.key, read_cell(f, value, (orders or {}).get(f.key)))
        except CellError as exc:
            header = (headers or {}).get(f) if f.levels else None  # its own wording's column
            line = f"{prefix}, {at(f.key) if header is None else _column(header)}: {exc}"
            if f.scenario:
                unread.add(f.scenario)
                bad.setdefault(f.scenario, []).append(line)
            else:
                result.problems.append(line)
    if worded:
        result.problems += _place_worded(worded, data, profiles, prefix, headers or {}, columns)
    for key, message in pair_problems(cells, data, unread):
        bad.setdefault(key.split(".")[1], []).append(f"{prefix}, {at(key)}: {message}")
    if bad:  # the scenario is left out; everything else of the row is read as ever
        drop_scenarios(data, set(bad))
        result.set_aside = {sid: {f.name: _as_text(v) for f, v in cells.items()
                                  if f.scenario == sid and not _is_empty(v)} for sid in bad}
    result.data = data
    scenario_lines = [line for lines in bad.values() for line in lines]
    if result.problems:
        result.problems += scenario_lines
        return result
    result.problems += _sheet_problems(result, data, profiles, prefix, cells, columns, at,
                                       rater=rater, context=context)
    if result.problems:
        result.sheet = None
        result.problems += scenario_lines
    else:
        result.left_out = scenario_lines
    return result


def _sheet_problems(result: RowResult, data: dict[str, Any], profiles: Profiles, prefix: str,
                    cells: dict[Field, Any], columns: dict[str, str], at: Callable[[str], str], *,
                    rater: bool, context: bool) -> list[str]:
    """Build the row's sheet into ``result``; the sheet's own checks come back worded by
    the column that holds each field (or saying that no column holds it)."""
    try:
        if context:
            result.sheet = context_from_data(data, profiles, prefix)
        elif rater:
            result.sheet = rating_from_data(data, profiles, prefix)
        else:
            result.sheet = sheet_from_data(data, profiles, prefix)
    except DataError as exc:
        problems = []
        for line in exc.lines:
            rest = line[len(prefix) + 2:] if line.startswith(prefix + ": ") else line
            loc, sep, message = rest.partition(": ")
            if sep and (loc in columns or loc in _known_keys(cells)):
                problems.append(f"{prefix}, {at(loc)}: {message}")
            elif sep and loc.count(".") <= 1 and not loc.startswith("("):
                problems.append(f"{prefix}: {loc}: {message} (no column holds it)")
            else:
                problems.append(f"{prefix}: {rest}")
        return problems
    return []


def _column(header: str) -> str:
    return f'column "{clip(header)}"'


def _place_worded(worded: dict[Field, Any], data: dict[str, Any], profiles: Profiles,
                  prefix: str, headers: dict[Field, str], columns: dict[str, str]) -> list[str]:
    """A context sheet's answers given in the wording of some levels of staff: each is taken
    from the column of the row's own level (`columns` then names that column for messages);
    an answer in a column of other levels is a problem. Without a level that the profile
    set knows, none is taken (the level's own problem is reported)."""
    respondent = data.get("respondent")
    level = respondent.get("level") if isinstance(respondent, dict) else None
    levels = profiles.staff_levels
    if level not in levels:
        return []
    problems = []
    for f, value in worded.items():
        header = headers.get(f, f.var)
        if level in f.levels:
            _put(data, f.key, value)
            columns[f.key] = header
            continue
        asked = and_list(in_sentence(levels[lv].label) for lv in f.levels)
        problems.append(f"{prefix}, {_column(header)}: answered, but this wording is for "
                        f"{asked}, and the row's level is {in_sentence(levels[level].label)} "
                        "(clear the answer, or correct the level)")
    given = data.get("context", {})  # in the profile set's order, as a sheet lists them
    data["context"] = {q: given[q] for q in profiles.context_items if q in given}
    return problems


def _known_keys(cells: dict[Field, Any]) -> set[str]:
    return {f.key for f in cells}


def clip(text: str, width: int = 60) -> str:
    """Text for a one-line message: unprintable characters shown as "?", cut at ``width``."""
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def is_blank_row(cells: dict[Field, Any], extra: list[Any]) -> bool:
    """A row with nothing in it at all (spreadsheets often end with some)."""
    return _empty_row(cells) and all(_is_empty(v) for v in extra)


def _get(data: dict[str, Any], key: str) -> Any:
    node: Any = data
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def sheet_to_row(data: dict[str, Any], fields: list[Field], *, labels: bool = False) -> dict[str, str]:
    """A sheet's data (as ``sheet_to_data`` gives it) as one flat row, var -> cell text.
    With labels, choices are written as the words a person picked ("Often"), as a survey
    tool or REDCap's label export writes them. A context sheet's answer goes in the column
    of its level's wording only (and in the column for every level, when `fields` has it)."""
    row: dict[str, str] = {}
    level = _get(data, "respondent.level")
    for f in fields:
        value = _get(data, f.key)
        if value is None or (f.levels and level not in f.levels):
            row[f.var] = BLANK
        elif f.choices:
            code = str(value)
            row[f.var] = dict(f.choices).get(code, code) if labels else code
        elif isinstance(value, datetime.date):
            row[f.var] = value.isoformat()
        elif isinstance(value, float):
            row[f.var] = str(int(value)) if value.is_integer() else repr(value)
        else:
            row[f.var] = str(value)
    return row


__all__ = ["CellError", "RowResult", "clip", "date_order", "is_blank_row", "norm", "read_cell",
           "read_date", "row_to_sheet", "sheet_to_row"]
