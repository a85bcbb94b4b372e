"""Survey exports written for a test (the rows a tool exports for some sheets, as CSV or
Excel), `qim import` run on them, and the sheets it writes read back."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.interop.fields import build_fields
from qim_cli.interop.redcap import label_headers
from qim_cli.interop.rows import sheet_to_row

runner = CliRunner()


def read_toml(path: Path) -> dict:
    """A sheet as written, read back, without the generators' `synthetic = true`: a survey
    export knows nothing of it, so the sheets imported from one never carry it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.pop("synthetic", None)
    return data


def run_import(*args: str):
    """`qim import ARGS` through the runner."""
    return runner.invoke(app, ["import", *args])


def export_rows(profiles, sheets, *, labels=False, rater=False) -> tuple[list[str], list[list[str]]]:
    """The header and rows a survey tool exports for these sheets (variable names, or labels)."""
    fields = build_fields(profiles, rater=rater)
    if labels:
        names = label_headers(profiles, rater=rater)
        header = [names[f.var] for f in fields]
    else:
        header = [f.var for f in fields]
    rows = [[sheet_to_row(s, fields, labels=labels)[f.var] for f in fields] for s in sheets]
    return header, rows


def write_csv(path: Path, header, rows, *, sep=",", encoding="utf-8", bom=False) -> Path:
    """A CSV export as a tool or a spreadsheet writes it (separator, encoding, byte order mark)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes((("\ufeff" if bom else "") + out.getvalue()).encode(encoding))
    return path


def write_xlsx(path: Path, header, rows) -> Path:
    """An Excel workbook with one sheet of these rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path
