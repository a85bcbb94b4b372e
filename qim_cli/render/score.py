"""Writers of `qim score`: one per format, each consuming records one at a time.

CSV, JSON lines and JSON are streamed (a record is written as soon as it is scored,
nothing is kept); the terminal table needs every row before it can size its columns.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from enum import Enum
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # keep `qim --help` free of pydantic
    from ..batch import Record
    from ..profiles import Profiles


class ScoreFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    table = "table"


def write_csv(records: Iterable[Record], out: IO[str], profiles: Profiles, *,
              color: bool = False) -> None:
    import csv

    from ..batch import csv_cell, score_columns, score_csv_cells

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in score_columns(profiles)])
    for rec in records:
        writer.writerow(score_csv_cells(rec))


def write_jsonl(records: Iterable[Record], out: IO[str], profiles: Profiles, *,
                color: bool = False) -> None:
    from ..batch import score_row

    for rec in records:
        out.write(json.dumps(score_row(rec), ensure_ascii=False) + "\n")


def write_json(records: Iterable[Record], out: IO[str], profiles: Profiles, *,
               color: bool = False) -> None:
    """A JSON array, written element by element."""
    from ..batch import score_row

    out.write("[")
    first = True
    for rec in records:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(score_row(rec), ensure_ascii=False))
        first = False
    out.write("\n]\n" if not first else "]\n")


def write_table(records: Iterable[Record], out: IO[str], profiles: Profiles, *,
                color: bool = False) -> None:
    out.write(render_score_table(records, profiles, color=color))


def render_score_table(records: Iterable[Record], profiles: Profiles, *, color: bool = False,
                       width: int = 200) -> str:
    """One row per respondent; a score below the person's target is marked with *."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .table import clean

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=color, no_color=not color, width=width,
                  highlight=False, emoji=False, soft_wrap=False)
    codes = short_codes(profiles)
    t = Table(title="Scores (* below the person's target)", title_justify="left")
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
        con.print(t)
        legend = " · ".join(f"{codes[c]} {comp.label}" for c, comp in profiles.competencies.items())
        con.print(Text(legend, style="dim"))
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


WRITERS: dict[ScoreFormat, Callable[..., None]] = {
    ScoreFormat.csv: write_csv,
    ScoreFormat.jsonl: write_jsonl,
    ScoreFormat.json: write_json,
    ScoreFormat.table: write_table,
}
