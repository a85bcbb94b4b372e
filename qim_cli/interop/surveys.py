"""Which column holds which question: REDCap exports, survey tools and spreadsheets.

A column is matched, in this order:

1. by the ``--map`` file (``"column header" = "hc_01"``, or ``= "ignore"``);
2. by its variable name or sheet key: REDCap's raw export and a generic spreadsheet
   (``hc_01``, ``imp_qi_methods``, ``importance.qi_methods``, ``respondent_id``);
3. by the exact wording of the current framework's question: REDCap's label export,
   Microsoft Forms and Google Forms (whose columns are the question texts), including a
   Google Forms grid's ``Title [statement]`` columns. Spaces, case and typographic quotes
   do not matter; a word changed does.

Known bookkeeping columns of each tool (timestamps, response numbers, REDCap's
completion status) are skipped quietly; every other unmatched column is reported. A
scenario's pick whose other pick has no column is left out and reported once (``lone``):
without its other half no row can give that scenario.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..framework.profiles import Profiles
from ..messages import suggest
from ..parsing import read_toml_file
from ..reading import display_name
from .context import context_fields, sheet_fields
from .fields import Field, build_fields, norm
from .picks import lone_picks
from .redcap import BOOKKEEPING_LABELS, BOOKKEEPING_RAW, COLUMNS
from .rows import clip

IGNORE = "ignore"

MICROSOFT_FORMS = ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time")
GOOGLE_FORMS = ("Timestamp", "Email address", "Email Address", "Score", "Total score")
#: the tools' columns that say when a person answered (REDCap's raw one is FORM_timestamp)
TIMESTAMPS = ("Survey Timestamp", "Completion time", "Timestamp")
_GRID = re.compile(r"^(.*)\[(.+)\]\s*$", re.S)


@dataclass
class Mapping:
    """Where each question's answers are: column index -> field, and what was left over."""

    kind: str
    columns: dict[int, Field]
    ignored: list[str] = field(default_factory=list)  # unmatched, reported
    bookkeeping: list[str] = field(default_factory=list)  # the tool's own columns, skipped
    unasked: list[Field] = field(default_factory=list)  # questions no column holds
    #: the tool's own completion time, read as assessed_on when no column holds that
    dated_by: tuple[int, Field] | None = None
    #: (column, its pick, the other pick) of each scenario with one column of its two: the
    #: column is left out (it is not in ``columns``)
    lone: list[tuple[int, Field, Field]] = field(default_factory=list)

    def header_of(self, headers: list[str]) -> dict[str, str]:
        return {f.key: headers[i] for i, f in self.columns.items()}


def _by_name(fields: list[Field]) -> dict[str, Field]:
    names: dict[str, Field] = {}
    for f in fields:
        names[f.var] = f
        names.setdefault(f.key, f)  # a context question's key: its field for every level
        if f.table in ("answers", "respondent") or f.key == "notes":
            names.setdefault(f.name, f)
    return names


def _by_text(fields: list[Field]) -> dict[str, Field]:
    return {norm(html.unescape(f.label)): f for f in fields}


def read_map(path: Path, fields: list[Field]) -> dict[str, Field | None]:
    """A --map file: ``[columns]`` header = variable, sheet key or "ignore"."""
    name = display_name(path)
    raw = read_toml_file(path, name)
    extra = [k for k in raw if k != "columns"]
    if extra:
        raise DataError(f'{name}: {extra[0]}: unknown key (a map has one table, [columns])')
    columns = raw.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise DataError(f'{name}: columns: required table missing ([columns] "header" = "hc_01")')
    names = _by_name(fields)
    out: dict[str, Field | None] = {}
    errs: list[str] = []
    for header, target in columns.items():
        if not isinstance(target, str):
            errs.append(f'{name}: columns."{header}": must be a string (a variable or "ignore")')
        elif target == IGNORE:
            out[norm(header)] = None
        elif target not in names:
            errs.append(f'{name}: columns."{header}": unknown question "{target}"'
                        f"{suggest(target, [f.var for f in fields])}")
        else:
            out[norm(header)] = names[target]
    if errs:
        raise DataError(errs[0], lines=errs)
    return out


def _bookkeeping(header: str) -> bool:
    low = header.strip()
    if low in BOOKKEEPING_RAW or low in BOOKKEEPING_LABELS:
        return True
    if re.fullmatch(r"[a-z][a-z0-9_]*_(complete|timestamp)", low):
        return True
    return low in MICROSOFT_FORMS or low in GOOGLE_FORMS


def _kind(headers: list[str], by_var: int, by_text: int, mapped: int) -> str:
    present = set(h.strip() for h in headers)
    if present & {"Record ID", "Complete?", "Survey Timestamp"} and by_text:
        return "REDCap export (labels)"
    if by_var and (present & set(BOOKKEEPING_RAW) or any(h.endswith("_complete") for h in present)):
        return "REDCap export (raw codes)"
    if {"Start time", "Completion time"} <= present:
        return "Microsoft Forms export"
    if "Timestamp" in present:
        return "Google Forms export"
    if by_var and by_var >= by_text:
        return "spreadsheet (columns named by question id)"
    if by_text:
        return "spreadsheet (columns named by question)"
    return "spreadsheet (columns named by the map)" if mapped else "spreadsheet"


def _looks_like(headers: list[str], field: Field) -> bool:
    """Whether a column holds `field` (by its name, its key or its wording)."""
    wanted = {field.var, field.key, norm(field.label)}
    return any(h.strip() in wanted or norm(h) in wanted for h in headers)


def _looks_like_ratings(headers: list[str], profiles: Profiles) -> bool:
    return _looks_like(headers, next(f for f in build_fields(profiles, rater=True)
                                     if f.key == "rater.role"))


def _looks_like_context(headers: list[str], profiles: Profiles) -> bool:
    return bool(profiles.staff_levels) and _looks_like(
        headers, next(f for f in context_fields(profiles) if f.key == "respondent.level"))


def _clash(f: Field, g: Field) -> bool:
    """Two columns that hold the same question: a clash, unless each holds its wording for
    other levels of staff (a context sheet's)."""
    return not (f.levels and g.levels and not set(f.levels) & set(g.levels))


@dataclass
class _Assigned:
    """Each header's question, in the order of the module's docstring, and the rest."""

    columns: dict[int, Field] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    bookkeeping: list[str] = field(default_factory=list)
    by_var: int = 0
    by_text: int = 0
    mapped: int = 0


def _assign(headers: list[str], fields: list[Field], column_map: dict[str, Field | None]) -> _Assigned:
    """Match each header to a question: by --map, by its variable name, by the wording."""
    names, texts = _by_name(fields), _by_text(fields)
    got = _Assigned()
    for i, header in enumerate(headers):
        key = norm(header)
        if key in column_map:
            target = column_map[key]
            if target is None:
                got.bookkeeping.append(header)
            else:
                got.columns[i] = target
                got.mapped += 1
            continue
        if header.strip() in names:
            got.columns[i] = names[header.strip()]
            got.by_var += 1
            continue
        found = texts.get(norm(html.unescape(header)))
        if found is None:
            grid = _GRID.match(html.unescape(header))
            if grid:
                found = texts.get(norm(grid.group(2)))
        if found is not None:
            got.columns[i] = found
            got.by_text += 1
        elif _bookkeeping(header):
            got.bookkeeping.append(header)
        elif header.strip():
            got.ignored.append(header)
    return got


def _check_clashes(headers: list[str], columns: dict[int, Field], where: str) -> None:
    """Two columns that claim the same question: name both."""
    seen: dict[str, list[int]] = {}
    errs: list[str] = []
    for i, f in sorted(columns.items()):
        other = next((j for j in seen.get(f.key, []) if _clash(f, columns[j])), None)
        if other is not None:
            errs.append(f'{where}: columns "{headers[other]}" and "{headers[i]}" both '
                        f"hold {f.key}; map one of them to \"ignore\" with --map")
        seen.setdefault(f.key, []).append(i)
    if errs:
        raise DataError(errs[0], lines=errs)


def _check_kind_of_file(headers: list[str], columns: dict[int, Field], profiles: Profiles, *,
                        rater: bool, context: bool, where: str) -> None:
    """The file holds answers of the kind asked for: not a REDCap dictionary, not context
    sheets imported as self-assessments, and at least one question's answers."""
    if _is_dictionary(headers):
        raise DataError(
            f"{where}: this is a REDCap data dictionary (the questions), not the answers; "
            "import the records exported from REDCap (Data Exports: CSV, raw data or labels)")
    if not context and _looks_like_context(headers, profiles) and not any(
            f.table == "respondent" and f.name == "background" for f in columns.values()):
        raise DataError(f"{where}: these are context sheets (there is a column for the level "
                        "of staff): import them with --context")
    if not any(f.kind == "scale" for f in columns.values()):
        what = "context sheet" if context else "rating" if rater else "self-assessment"
        raise DataError(
            f"{where}: no column matches a question of the {what} (by its id, or by the "
            "exact wording of the current framework); name the columns with --map"
            + ("" if rater or context else ", or use --rater for colleagues' ratings"))


def _unasked(columns: dict[int, Field], fields: list[Field]) -> list[Field]:
    """The questions no column holds, each once (a context question has a field per
    wording)."""
    held = {f.key for f in columns.values()}
    unasked: list[Field] = []
    for f in fields:
        if f.key not in held and f.key not in {u.key for u in unasked}:
            unasked.append(f)
    return unasked


def _check_required(headers: list[str], unasked: list[Field], profiles: Profiles, *,
                    rater: bool, context: bool, where: str) -> None:
    """Every question a sheet needs has its column (a rating file imported as
    self-assessments is named as such instead)."""
    missing = [f for f in unasked if f.required and f.kind != "scale"]
    if missing and not rater and not context and _looks_like_ratings(headers, profiles):
        # its other lines would only say what a rating lacks that a self-assessment needs
        raise DataError(f"{where}: these are colleagues' ratings (there is a column for the "
                        "rater's role): import them with --rater")
    if missing:
        lines = [f'{where}: no column holds "{f.label}" ({f.var}), which every sheet needs; '
                 "add it, or name the column that holds it with --map" for f in missing]
        raise DataError(lines[0], lines=lines)


def match_columns(
    headers: list[str],
    profiles: Profiles,
    *,
    rater: bool = False,
    context: bool = False,
    column_map: dict[str, Field | None] | None = None,
    where: str = "",
) -> Mapping:
    """Match every header to a question; DataError when nothing matches or two columns
    claim the same question (a context sheet's columns of the same question for other
    levels of staff do not)."""
    fields = sheet_fields(profiles, rater=rater, context=context, every_column=True)
    got = _assign(headers, fields, column_map or {})
    columns = got.columns
    _check_clashes(headers, columns, where)
    _check_kind_of_file(headers, columns, profiles, rater=rater, context=context, where=where)
    lone = []
    for present, absent in lone_picks(list(columns.values()), fields):
        index = next(i for i, f in columns.items() if f.key == present.key)
        lone.append((index, present, absent))
        del columns[index]
    unasked = _unasked(columns, fields)
    _check_required(headers, unasked, profiles, rater=rater, context=context, where=where)
    mistyped = _mistyped(headers, got.ignored, unasked, where)
    if mistyped:
        raise DataError(mistyped[0], lines=mistyped)
    kind = _kind(headers, got.by_var, got.by_text, got.mapped)
    dated_by = None
    dated = next((f for f in unasked if f.key == "assessed_on"), None)
    if dated is not None:
        stamp = next((i for i, h in enumerate(headers) if _timestamp(h)), None)
        if stamp is not None:
            dated_by = (stamp, dated)
            unasked.remove(dated)
    return Mapping(kind, columns, got.ignored, got.bookkeeping, unasked, dated_by, lone)


def _is_dictionary(headers: list[str]) -> bool:
    """A REDCap data dictionary: the questions (its first columns), not answers."""
    return {h.strip() for h in headers} >= set(COLUMNS[:5])


def _mistyped(headers: list[str], ignored: list[str], unasked: list[Field],
              where: str) -> list[str]:
    """A line for each column that no question matches but one with no column nearly
    does (a header typed `hc_2` for `hc_02`, a word of a question changed): its answers
    would be lost and every sheet would lack that question, so the file is refused, with
    the suggestion `qim validate` gives for a sheet's unknown key."""
    names = {f.var: f for f in unasked}
    texts = {norm(html.unescape(f.label)): f for f in unasked}
    lines = []
    for header in ignored:
        if by_name := difflib.get_close_matches(header.strip(), names, n=1, cutoff=0.75):
            field, what = names[by_name[0]], "name"
            near = f'did you mean "{field.var}"?'
        elif by_text := difflib.get_close_matches(norm(html.unescape(header)), texts, n=1,
                                                  cutoff=0.9):
            field, what = texts[by_text[0]], "wording"
            near = f'did you mean the question "{clip(field.label)}" ({field.var})?'
        else:
            continue
        lines.append(f'{where}: column "{clip(header)}": no question has this {what} ({near}); '
                     f'nothing is written: correct the header, or map it to "{field.var}" with '
                     "--map")
    return lines


def _timestamp(header: str) -> bool:
    """A column in which a tool records when the answers were given."""
    text = header.strip()
    return (text in TIMESTAMPS or re.fullmatch(r"[a-z][a-z0-9_]*_timestamp", text) is not None)


__all__ = ["IGNORE", "Mapping", "match_columns", "read_map"]
