#!/usr/bin/env python3
"""Make the example survey exports in this folder from the synthetic cohort (no real people).

    python examples/exports/generate.py               # rewrites examples/exports/
    python examples/exports/generate.py --out /tmp/x  # somewhere else

Each file is what a trainer would download from one tool after the cohort in
examples/cohort/ (48 made-up QIMs) had answered there, twelve people per tool, and the
360° ratings in examples/360/ typed into a spreadsheet. The questions, choices and
variable names are read from qim's profile set, so the files always match the current
framework; `qim import` turns each back into the sheets it came from, scenario answers
included (most of the cohort answered the optional scenarios; their two questions per
scenario are columns of every self-assessment export).

- redcap-data-dictionary.csv   `qim export redcap`: upload it to REDCap
- redcap-raw.csv               REDCap "CSV / Microsoft Excel (raw data)" export
- redcap-labels.csv            REDCap "CSV / Microsoft Excel (labels)" export
- microsoft-forms.xlsx         Microsoft Forms "Open results in Excel"
- google-forms.csv             Google Forms "Download responses (.csv)"
- ratings-spreadsheet.csv      360° ratings typed into Excel with question ids as headers,
                               saved by a European Excel (UTF-8 with a BOM, ";" between cells)
- redcap-context-dictionary.csv  `qim export redcap --context`: the context sheet for staff at
                               any level (each question in the words of the level chosen)
- redcap-context-raw.csv       its REDCap raw export, after the staff of examples/context/ (58
                               made-up people at four levels of two organisations) answered
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from qim_cli.framework.profiles import load_profiles  # noqa: E402
from qim_cli.interop.context import context_fields  # noqa: E402
from qim_cli.interop.fields import CONTEXT_FORM, SELF_FORM, build_fields  # noqa: E402
from qim_cli.interop.redcap import label_headers, render_dictionary  # noqa: E402
from qim_cli.interop.rows import sheet_to_row  # noqa: E402

COHORT = sorted((ROOT / "examples" / "cohort").glob("qim-*.toml"))
CONTEXT = sorted((ROOT / "examples" / "context").glob("*.toml"))
RATINGS = sorted(p for p in (ROOT / "examples" / "360").glob("*.toml") if not p.name.endswith("-self.toml"))
START = datetime.datetime(2026, 3, 2, 9, 0, 0)


def _sheets(paths: list[Path]) -> list[dict]:
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in paths]


def _when(i: int) -> datetime.datetime:
    """A made-up answering time: the cohort answers over three weeks, one every ten hours or so."""
    return START + datetime.timedelta(hours=10 * i + 3 * (i % 4), minutes=13 * (i % 5),
                                      seconds=7 * i % 60)


def _csv(rows: list[list[str]], *, sep: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def redcap_raw(profiles, sheets: list[dict]) -> bytes:
    fields = build_fields(profiles)
    header = ["record_id", "redcap_survey_identifier", f"{SELF_FORM}_timestamp",
              *(f.var for f in fields), f"{SELF_FORM}_complete"]
    rows = [header]
    for n, data in enumerate(sheets, start=1):
        # REDCap fills assessed_on in itself (@TODAY) with the day the survey was opened
        row = sheet_to_row({**data, "assessed_on": _when(n).date()}, fields)
        rows.append([str(n), "", _when(n).strftime("%Y-%m-%d %H:%M:%S"),
                     *(row[f.var] for f in fields), "2"])
    return _csv(rows)


def redcap_labels(profiles, sheets: list[dict]) -> bytes:
    fields = build_fields(profiles)
    labels = label_headers(profiles)
    rows = [["Record ID", "Survey Identifier", "Survey Timestamp",
             *(labels[f.var] for f in fields), "Complete?"]]
    for n, data in enumerate(sheets, start=13):
        row = sheet_to_row({**data, "assessed_on": _when(n).date()}, fields, labels=True)
        rows.append([str(n), "", _when(n).strftime("%Y-%m-%d %H:%M:%S"),
                     *(row[f.var] for f in fields), "Complete"])
    return _csv(rows)


def _asked(profiles) -> list:
    """The questions a form asks (a survey tool records the date itself)."""
    return [f for f in build_fields(profiles) if not f.automatic]


def microsoft_forms(profiles, sheets: list[dict]) -> list[list[object]]:
    """The cells of a Microsoft Forms results workbook (times are real Excel dates)."""
    fields = _asked(profiles)
    labels = label_headers(profiles)
    rows: list[list[object]] = [["ID", "Start time", "Completion time", "Email", "Name",
                                 *(labels[f.var] for f in fields)]]
    for n, data in enumerate(sheets, start=1):
        row = sheet_to_row(data, fields, labels=True)
        cells: list[object] = []
        for f in fields:
            text = row[f.var]
            if f.kind == "number" and text:
                cells.append(float(text))  # a number question gives a number cell
            else:
                cells.append(text or None)
        begun = _when(n + 24)
        rows.append([n, begun, begun + datetime.timedelta(minutes=11 + n % 9), "anonymous",
                     None, *cells])
    return rows


def write_xlsx(rows: list[list[object]], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(row)
    for cell in sheet["B"][1:] + sheet["C"][1:]:
        cell.number_format = "m/d/yy h:mm:ss"
    fixed = datetime.datetime(2026, 3, 20, 12, 0, 0)
    book.properties.created = book.properties.modified = fixed
    book.save(path)


def google_forms(profiles, sheets: list[dict]) -> bytes:
    fields = _asked(profiles)
    labels = label_headers(profiles)
    rows = [["Timestamp", *(labels[f.var] for f in fields)]]
    for n, data in enumerate(sheets, start=37):
        row = sheet_to_row(data, fields, labels=True)
        stamp = _when(n)
        rows.append([f"{stamp.month}/{stamp.day}/{stamp.year} {stamp:%H:%M:%S}",
                     *(row[f.var] for f in fields)])
    return _csv(rows)


def ratings_spreadsheet(profiles, sheets: list[dict]) -> bytes:
    fields = build_fields(profiles, rater=True)
    rows = [[f.var for f in fields]]
    for data in sheets:
        row = sheet_to_row(data, fields)
        rows.append([row[f.var] for f in fields])
    return _csv(rows, sep=";", bom=True)


def redcap_context_raw(profiles, sheets: list[dict]) -> bytes:
    """REDCap's raw export of the context survey: one column per wording, each answered by
    the levels that see it (branching logic)."""
    fields = context_fields(profiles)
    header = ["record_id", f"{CONTEXT_FORM}_timestamp", *(f.var for f in fields),
              f"{CONTEXT_FORM}_complete"]
    rows = [header]
    for n, data in enumerate(sheets, start=1):
        answered = datetime.datetime.combine(data["assessed_on"], datetime.time(8)) \
            + datetime.timedelta(minutes=17 * n)
        row = sheet_to_row(data, fields)
        rows.append([str(n), answered.strftime("%Y-%m-%d %H:%M:%S"),
                     *(row[f.var] for f in fields), "2"])
    return _csv(rows)


def generate(out: Path) -> list[Path]:
    profiles = load_profiles()
    cohort = _sheets(COHORT)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "redcap-data-dictionary.csv": render_dictionary(profiles).encode("utf-8"),
        "redcap-raw.csv": redcap_raw(profiles, cohort[0:12]),
        "redcap-labels.csv": redcap_labels(profiles, cohort[12:24]),
        "google-forms.csv": google_forms(profiles, cohort[36:48]),
        "ratings-spreadsheet.csv": ratings_spreadsheet(profiles, _sheets(RATINGS)),
        "redcap-context-dictionary.csv": render_dictionary(profiles, context=True).encode("utf-8"),
        "redcap-context-raw.csv": redcap_context_raw(profiles, _sheets(CONTEXT)),
    }
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    write_xlsx(microsoft_forms(profiles, cohort[24:36]), out / "microsoft-forms.xlsx")
    written.append(out / "microsoft-forms.xlsx")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
