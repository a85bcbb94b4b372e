"""Writers of `qim score`: one per format, each consuming records one at a time.

CSV, JSON lines and JSON are streamed (a record is written as soon as it is scored,
nothing is kept); the terminal table needs every row before it can size its columns.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from enum import Enum
from typing import IO, TYPE_CHECKING, Any

from .common import no_trailing_spaces

if TYPE_CHECKING:  # keep `qim --help` free of pydantic
    from ..cohort.batch import Record
    from ..framework.profiles import Profiles


class ScoreFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    table = "table"


def csv_row(rec: Record) -> str:
    """One record as a line of `qim score`'s CSV."""
    _CSV_LINE.seek(0)
    _CSV_LINE.truncate()
    _CSV_WRITER.writerow(score_csv_cells(rec))
    return _CSV_LINE.getvalue()


def jsonl_row(rec: Record) -> str:
    """One record as a line of JSON."""
    return json.dumps(score_row(rec), ensure_ascii=False) + "\n"


def json_item(rec: Record) -> str:
    """One record as an element of the JSON array."""
    return json.dumps(score_row(rec), ensure_ascii=False)


_CSV_LINE = io.StringIO()
_CSV_WRITER = csv.writer(_CSV_LINE, lineterminator="\n")


def write_rows(format: ScoreFormat, texts: Iterable[str], out: IO[str], profiles: Profiles) -> None:
    """A streaming format from its records' texts (made by `ROWS`, perhaps in the scoring
    processes), one at a time: the header or brackets around them."""
    if format is ScoreFormat.csv:
        csv.writer(out, lineterminator="\n").writerow([csv_cell(c) for c in score_columns(profiles)])
        for text in texts:
            out.write(text)
    elif format is ScoreFormat.jsonl:
        for text in texts:
            out.write(text)
    else:  # a JSON array, written element by element
        out.write("[")
        first = True
        for text in texts:
            out.write("\n  " if first else ",\n  ")
            out.write(text)
            first = False
        out.write("\n]\n" if not first else "]\n")


def write_csv(records: Iterable[Record], out: IO[str], profiles: Profiles, *,
              color: bool = False, width: int = 200) -> None:
    write_rows(ScoreFormat.csv, map(csv_row, records), out, profiles)


def write_jsonl(records: Iterable[Record], out: IO[str], profiles: Profiles, *,
                color: bool = False, width: int = 200) -> None:
    write_rows(ScoreFormat.jsonl, map(jsonl_row, records), out, profiles)


def write_json(records: Iterable[Record], out: IO[str], profiles: Profiles, *,
               color: bool = False, width: int = 200) -> None:
    """A JSON array, written element by element."""
    write_rows(ScoreFormat.json, map(json_item, records), out, profiles)


def write_table(records: Iterable[Record], out: IO[str], profiles: Profiles, *,
                color: bool = False, width: int = 200) -> None:
    """`width`: the terminal's (the other formats take no width)."""
    out.write(render_score_table(records, profiles, color=color, width=width))


@no_trailing_spaces
def render_score_table(records: Iterable[Record], profiles: Profiles, *, color: bool = False,
                       width: int = 200) -> str:
    """One row per respondent; a score below the target of the person's career stage (qim's
    role standard, the same for every background) is marked with *."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .fit import fitted
    from .table import clean

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                  highlight=False, emoji=False, soft_wrap=False)
    codes = short_codes(profiles)
    t = Table(title="Scores (* below the target of the person's career stage)", title_justify="left")
    t.add_column("File", overflow="fold")
    t.add_column("Id", overflow="fold")
    t.add_column("Background")
    t.add_column("Stage")
    for cid in profiles.competencies:
        t.add_column(codes[cid], justify="right")
    t.add_column("Recs", justify="right")
    t.add_column("Top trainings")
    rows = 0
    for rec in records:
        rows += 1
        cells: list[str | Text] = [Text(clean(rec.file)), Text(clean(rec.id)), rec.background,
                                   rec.career_stage]
        for cid in profiles.competencies:
            score, gap = rec.scores.get(cid), rec.gaps.get(cid)
            if score is None:
                cells.append(Text("–", style="dim"))
            elif gap is not None and gap > 0:
                cells.append(Text(f"{score:.2f}*", style="yellow"))
            else:
                cells.append(f"{score:.2f}")
        cells.append(str(len(rec.recommendations)))
        cells.append(", ".join(rec.recommendations[:3]))
        t.add_row(*cells)
    if rows:
        con.print(fitted(con, t))
        legend = " · ".join(f"{codes[c]} {comp.label}" for c, comp in profiles.competencies.items())
        con.print(Text(legend, style="dim"))
        con.print(Text(f"Targets: the {profiles.standard.label}, {profiles.standard.basis}",
                       style="dim"))
    else:
        con.print("No answer sheets were scored.")
    return buf.getvalue()


def short_codes(profiles: Profiles) -> dict[str, str]:
    """A short column heading per competency: its items' common prefix (hc_01.. -> hc)."""
    out: dict[str, str] = {}
    for cid, comp in profiles.competencies.items():
        prefixes = {it.id.split("_", 1)[0] for it in comp.items}
        code = prefixes.pop() if len(prefixes) == 1 else cid
        out[cid] = code if code not in out.values() else cid
    return out


#: the streaming formats: each record becomes one piece of text, which a scoring process
#: can make, so that the parent of a parallel batch only writes (see `write_rows`)
ROWS: dict[ScoreFormat, Callable[[Record], str]] = {
    ScoreFormat.csv: csv_row,
    ScoreFormat.jsonl: jsonl_row,
    ScoreFormat.json: json_item,
}

WRITERS: dict[ScoreFormat, Callable[..., None]] = {
    ScoreFormat.csv: write_csv,
    ScoreFormat.jsonl: write_jsonl,
    ScoreFormat.json: write_json,
    ScoreFormat.table: write_table,
}


# --------------------------------------------------------------------------- rows


#: How many training ids a score row names.
TOP_TRAININGS = 3


#: A cell of user text starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def score_columns(profiles: Profiles) -> list[str]:
    """The CSV header of `qim score`."""
    cols = ["file", "id", "name", "background", "role", "career_stage", "setting",
            "organisation", "unit"]
    for cid in profiles.competencies:
        cols += [f"{cid}_score", f"{cid}_gap"]
    cols += ["recommendations", "barriers"]
    cols += [f"top_{i}" for i in range(1, TOP_TRAININGS + 1)]
    return cols


def score_row(rec: Record) -> dict[str, Any]:
    """One respondent as JSON-ready data (scores and gaps as numbers or null)."""
    row: dict[str, Any] = {
        "file": rec.file,
        "id": rec.id,
        "name": rec.name,
        "background": rec.background,
        "role": rec.role,
        "career_stage": rec.career_stage,
        "setting": rec.setting,
        "organisation": rec.organisation,
        "unit": rec.unit,
    }
    for cid, score in rec.scores.items():
        row[f"{cid}_score"] = score
        row[f"{cid}_gap"] = rec.gaps[cid]
    row["recommendations"] = len(rec.recommendations)
    row["barriers"] = len(rec.barriers)
    row["top_trainings"] = rec.recommendations[:TOP_TRAININGS]
    return row


def csv_cell(value: Any) -> str | int | float:
    """A value as a spreadsheet-safe CSV cell.

    Numbers stay numbers (a gap of -0.25 is written as ``-0.25``, not neutralised);
    text that a spreadsheet would read as a formula gets a leading single quote.
    """
    kind = type(value)
    if kind is float or kind is int:  # the common case first: scores and gaps
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value  # type: ignore[no-any-return]
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class CsvRowWriter:
    """Writes dict rows as spreadsheet-safe CSV, one at a time."""

    def __init__(self, out: IO[str], columns: list[str]) -> None:
        self._writer = csv.writer(out, lineterminator="\n")
        self._columns = columns
        self._writer.writerow([csv_cell(c) for c in columns])

    def write(self, row: dict[str, Any]) -> None:
        self._writer.writerow([csv_cell(row.get(c)) for c in self._columns])


def _text_cell(value: str | None) -> str:
    """`csv_cell` for a text field: the per-row path of `score_csv_cells`."""
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def score_csv_cells(rec: Record) -> list[Any]:
    """The CSV row of a record, in `score_columns` order (built directly: this runs per sheet).

    Text cells are neutralised like `csv_cell` (formula prefixes); numbers stay numbers.
    """
    row: list[Any] = [_text_cell(rec.file), _text_cell(rec.id), _text_cell(rec.name),
                      _text_cell(rec.background), _text_cell(rec.role),
                      _text_cell(rec.career_stage), _text_cell(rec.setting),
                      _text_cell(rec.organisation), _text_cell(rec.unit)]
    gaps = rec.gaps
    for cid, score in rec.scores.items():
        gap = gaps[cid]
        row.append("" if score is None else score)
        row.append("" if gap is None else gap)
    tops = rec.recommendations
    row.append(len(tops))
    row.append(len(rec.barriers))
    for i in range(TOP_TRAININGS):
        row.append(_text_cell(tops[i]) if i < len(tops) else "")
    return row


def score_csv_row(rec: Record) -> dict[str, Any]:
    row = score_row(rec)
    tops = row.pop("top_trainings")
    for i in range(TOP_TRAININGS):
        row[f"top_{i + 1}"] = tops[i] if i < len(tops) else None
    return row
