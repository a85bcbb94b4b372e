"""`qim import` and the habits of the tools that write exports: a byte order mark, semicolons
and decimal commas from a European Excel, Excel's sep= line and Windows-1252, workbooks
with dates, numbers and a number turned into a date, blank rows at the end of a sheet."""

from __future__ import annotations

import datetime

from conftest import EXAMPLES
from support.exports import export_rows, read_toml, run_import, write_csv, write_xlsx

COHORT = sorted((EXAMPLES / "cohort").glob("qim-*.toml"))


def test_bom_and_semicolons_and_decimal_commas_from_a_european_excel(tmp_path, profiles):
    data = read_toml(COHORT[1])
    data["respondent"]["years_as_qim"] = 2.5
    header, rows = export_rows(profiles, [data])
    rows[0][header.index("years_as_qim")] = "2,5"
    src = write_csv(tmp_path / "eu.csv", header, rows, sep=";", bom=True)
    assert src.read_bytes().startswith(b"\xef\xbb\xbf")
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert 'separator ";"' in result.stderr
    assert read_toml(tmp_path / "out" / "qim-002.toml") == data


def test_excel_sep_line_and_windows_1252(tmp_path, profiles):
    data = read_toml(COHORT[2])
    data["respondent"]["name"] = "Zoë Müller"
    header, rows = export_rows(profiles, [data])
    text = "sep=;\r\n" + ";".join(header) + "\r\n" + ";".join(rows[0]) + "\r\n"
    src = tmp_path / "win.csv"
    src.write_bytes(text.encode("cp1252"))
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "not UTF-8: read as Windows-1252" in result.stderr
    assert read_toml(tmp_path / "out" / "qim-003.toml")["respondent"]["name"] == "Zoë Müller"


def test_xlsx_with_excel_dates_numbers_and_a_number_turned_into_a_date(tmp_path, profiles):
    sheets = [read_toml(p) for p in COHORT[:2]]
    header, rows = export_rows(profiles, sheets)
    cells = []
    for r in rows:
        row: list[object] = []
        for h, v in zip(header, r, strict=True):
            row.append(float(v) if v and v != "na" and h not in ("respondent_id",) and v.replace(".", "").isdigit() else (v or None))
        cells.append(row)
    cells[1][header.index("years_as_qim")] = datetime.datetime(2026, 5, 1)  # "1.5" typed in a German Excel
    src = write_xlsx(tmp_path / "ms.xlsx",
                      ["ID", "Start time", "Completion time", *header],
                      [[i + 1, datetime.datetime(2026, 3, 2, 9, i), datetime.datetime(2026, 3, 2, 9, 30 + i), *c]
                       for i, c in enumerate(cells)])
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 65
    assert ('ms.xlsx: row 3, column "years_as_qim": the spreadsheet turned this answer into a date; '
            "format the column as text or a number and enter it again (got 2026-05-01)") in result.stderr
    assert read_toml(tmp_path / "out" / "qim-001.toml") == sheets[0]
    assert "skipped the form's own columns: \"ID\", \"Start time\", \"Completion time\"" in result.stderr


def test_blank_rows_at_the_end_of_a_sheet_are_not_respondents(tmp_path, profiles):
    header, rows = export_rows(profiles, [read_toml(COHORT[0])])
    src = write_csv(tmp_path / "x.csv", header, rows + [[""] * len(header), [""] * len(header)])
    result = run_import(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0 and "1 row read: 1 written" in result.stderr
