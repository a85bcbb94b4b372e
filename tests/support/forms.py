"""`qim form` and `qim export redcap` run for a test, and REDCap's rules for a data dictionary.

The rules, as REDCap's documentation and its data dictionary template state them: the 18
columns in REDCap's order and spelling; the record id first; variable names lower case
letters, digits and _, starting with a letter, at most 26 characters, unique; field types
and text validations from REDCap's lists; choices "code, label | code, label"; "y" for a
required field and an identifier; one form name, lower case.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


def make_form(tmp_path: Path, *args: str, name: str = "form.html") -> Path:
    out = tmp_path / name
    result = runner.invoke(app, ["form", "-o", str(out), *args])
    assert result.exit_code == 0, result.stderr
    return out


# typed out here from REDCap's data dictionary template, not imported from qim
REDCAP_HEADERS = [
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
    "Matrix Ranking?", "Field Annotation",
]
FIELD_TYPES = {"text", "notes", "dropdown", "radio", "checkbox", "calc", "file", "yesno",
               "truefalse", "descriptive", "slider", "sql"}
VALIDATIONS = {"", "number", "integer", "date_ymd", "date_dmy", "date_mdy", "email",
               "datetime_ymd", "time", "alpha_only", "phone", "zipcode"}
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_dictionary(text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    assert header == REDCAP_HEADERS
    rows = [dict(zip(header, r, strict=True)) for r in reader]
    assert all(len(r) == 18 for r in rows)
    return rows


def choices(cell: str) -> list[tuple[str, str]]:
    out = []
    for part in cell.split(" | "):
        code, sep, label = part.partition(", ")
        assert sep and code.strip() == code and label.strip() == label, part
        out.append((code, label))
    return out


def export_dictionary(*args: str) -> list[dict[str, str]]:
    result = runner.invoke(app, ["export", "redcap", *args])
    assert result.exit_code == 0, result.stderr
    return parse_dictionary(result.stdout)


def check_redcap_rules(rows: list[dict[str, str]]) -> None:
    assert rows[0]["Variable / Field Name"] == "record_id"
    assert rows[0]["Field Type"] == "text"
    names = [r["Variable / Field Name"] for r in rows]
    assert len(names) == len(set(names)), "variable names must be unique"
    for r in rows:
        name = r["Variable / Field Name"]
        assert NAME.match(name) and len(name) <= 26, name
        assert r["Form Name"] == rows[0]["Form Name"] and NAME.match(r["Form Name"])
        assert r["Field Type"] in FIELD_TYPES
        assert r["Text Validation Type OR Show Slider Number"] in VALIDATIONS
        assert r["Required Field?"] in ("", "y") and r["Identifier?"] in ("", "y")
        assert r["Field Label"].strip()
        assert "<" not in r["Field Label"] and "<" not in r["Field Note"]
        if r["Field Type"] in ("radio", "dropdown"):
            codes = [c for c, _ in choices(r["Choices, Calculations, OR Slider Labels"])]
            assert len(codes) == len(set(codes))
            assert all(re.fullmatch(r"[A-Za-z0-9_]+", c) for c in codes)
        else:
            assert r["Choices, Calculations, OR Slider Labels"] == ""
        # branching logic refers to fields defined before, and a radio's value is quoted
        logic = r["Branching Logic (Show field only if...)"]
        for ref in re.findall(r"\[([^\]]+)\]", logic):
            assert ref in names[: names.index(name)], (name, ref)
        assert re.fullmatch(r"(\[[a-z0-9_]+\] (<>|=) ('[a-z0-9_]*'|\[[a-z0-9_]+\])( and | or )?)*",
                            logic), logic
