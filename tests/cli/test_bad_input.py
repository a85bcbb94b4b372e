"""Bad input: one exact line naming the file and the field, exit 65, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()

GOOD = """\
schema_version = 1
notes = "fine"

[respondent]
id = "a-1"
background = "clinical"
role = "nurse"
years_as_qim = 3

[answers]
hc_01 = 4
hc_02 = "na"

[importance]
systems_thinking = 2

[context]
protected_time = 1
"""


def _run(tmp_path: Path, content: bytes | str, name: str = "bad.toml"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return runner.invoke(app, ["validate", str(path)]), str(path)


def test_good_sheet_is_valid(tmp_path):
    result, path = _run(tmp_path, GOOD, "good.toml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f'{path}: valid (a-1, clinical, 1 of 40 items answered, 1 marked "na")\n'


CASES = [
    ("toml-syntax", GOOD.replace("[respondent]", "[respondent"),
     "TOML syntax error: Expected ']' at the end of a table declaration (at line 4, column 12)"),
    ("unknown-item", GOOD.replace("hc_02 = ", "hc_99 = "), "answers.hc_99: unknown item"),
    ("near-miss-item", GOOD.replace("hc_02 = ", "hc_1 = "),
     'answers.hc_1: unknown item (did you mean "hc_01"?)'),
    ("out-of-range", GOOD.replace("hc_01 = 4", "hc_01 = 7"),
     'answers.hc_01: must be 1–5 or "na" (got 7)'),
    ("fraction", GOOD.replace("hc_01 = 4", "hc_01 = 3.5"),
     'answers.hc_01: must be 1–5 or "na" (got 3.5)'),
    ("boolean", GOOD.replace("hc_01 = 4", "hc_01 = true"),
     'answers.hc_01: must be 1–5 or "na" (got true)'),
    ("answer-text", GOOD.replace("hc_01 = 4", 'hc_01 = "often"'),
     'answers.hc_01: must be 1–5 or "na" (got "often")'),
    ("wrong-type", GOOD.replace("years_as_qim = 3", 'years_as_qim = "three"'),
     'respondent.years_as_qim: must be a number (got "three")'),
    ("negative-years", GOOD.replace("years_as_qim = 3", "years_as_qim = -1"),
     "respondent.years_as_qim: must be at least 0 (got -1)"),
    ("missing-background", GOOD.replace('background = "clinical"\n', ""),
     "respondent.background: required field missing"),
    ("extra-key", GOOD.replace('role = "nurse"', 'role = "nurse"\nemail = "a@b.c"'),
     "respondent.email: unknown field"),
    ("extra-top-level", GOOD.replace('notes = "fine"', 'notes = "fine"\ncolour = "blue"'),
     "colour: unknown field"),
    ("unknown-background", GOOD.replace('"clinical"', '"engineer"'),
     'respondent.background: must be one of clinical, traditional (got "engineer")'),
    ("role-of-other-background", GOOD.replace('"nurse"', '"process_engineer"'),
     'respondent.role: "process_engineer" is a traditional role, not clinical'),
    ("importance-range", GOOD.replace("systems_thinking = 2", "systems_thinking = 0"),
     "importance.systems_thinking: must be 1–5 (got 0)"),
    ("importance-unknown", GOOD.replace("systems_thinking = 2", "juggling = 2"),
     "importance.juggling: unknown competency"),
    ("context-unknown", GOOD.replace("protected_time = 1", "free_lunch = 1"),
     "context.free_lunch: unknown context item"),
    ("schema-version", GOOD.replace("schema_version = 1", "schema_version = 2"),
     "schema_version: must be 1 (got 2)"),
    ("respondent-not-table", GOOD.replace("[respondent]", "respondent = 3\n[x]"),
     None),
    ("empty", "", "file is empty"),
    ("whitespace-only", "\n  \n", "file is empty"),
    ("non-utf8", b"schema_version = 1\nnotes = \"caf\xe9\"\n", "not UTF-8 text (byte 0xe9 at offset 31)"),
    # saved by Windows as "Unicode": with its byte-order mark, or without one
    ("utf-16", GOOD.encode("utf-16"),
     "not UTF-8 but UTF-16 text; save it as UTF-8 (in Notepad: File, Save as, Encoding UTF-8)"),
    ("utf-16-no-bom", GOOD.encode("utf-16-be"),
     "not UTF-8 but UTF-16 text; save it as UTF-8 (in Notepad: File, Save as, Encoding UTF-8)"),
    ("answer-not-answers", GOOD.replace("[answers]", "[answer]"),
     'answer: unknown field (did you mean "answers"?)'),
    ("key-misspelt", GOOD.replace("notes =", "note ="),
     'note: unknown field (did you mean "notes"?)'),
    ("respondent-key-misspelt", GOOD.replace("years_as_qim =", "year_as_qim =").replace(
        'id = "a-1"', 'id = "a-1"\nyears_as_qim = 3'),
     'respondent.year_as_qim: unknown field (did you mean "years_as_qim"?)'),
]


@pytest.mark.parametrize(("case", "content", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_sheet_message(tmp_path, case, content, message):
    result, path = _run(tmp_path, content)
    assert result.exit_code == 65, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    if message is not None:
        assert lines[0] == f"{path}: {message}"
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert result.stdout == ""


def test_every_problem_gets_its_own_line(tmp_path):
    content = GOOD.replace("hc_01 = 4", "hc_01 = 9").replace("years_as_qim = 3", "years_as_qim = true")
    result, path = _run(tmp_path, content)
    assert result.exit_code == 65
    assert sorted(result.stderr.splitlines()) == sorted([
        f"{path}: respondent.years_as_qim: must be a number (got true)",
        f'{path}: answers.hc_01: must be 1–5 or "na" (got 9)',
    ])


def test_utf8_bom_is_accepted(tmp_path):
    result, _ = _run(tmp_path, b"\xef\xbb\xbf" + GOOD.encode(), "bom.toml")
    assert result.exit_code == 0, result.stderr


def test_crlf_is_accepted(tmp_path):
    result, _ = _run(tmp_path, GOOD.replace("\n", "\r\n"), "crlf.toml")
    assert result.exit_code == 0, result.stderr


def test_missing_file_exits_66(tmp_path):
    missing = tmp_path / "nope.toml"
    result = runner.invoke(app, ["report", str(missing)])
    assert result.exit_code == 66
    assert result.stderr == f"{missing}: no such file or folder\n"


def test_report_on_bad_sheet_exits_65(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace("hc_01 = 4", "hc_01 = 7"))
    result = runner.invoke(app, ["report", str(path), "--format", "json"])
    assert result.exit_code == 65
    assert result.stdout == ""
    assert result.stderr == f'{path}: answers.hc_01: must be 1–5 or "na" (got 7)\n'


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# " + b"x" * (1024 * 1024 + 10) + b"\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 65
    assert result.stderr == f"{path}: file is larger than the 1 MiB limit\n"


def test_validate_mixed_batch_reports_each(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("hc_01 = 4", "hc_01 = 0"))
    result = runner.invoke(app, ["validate", str(bad), str(good), str(tmp_path / "gone.toml")])
    assert result.exit_code == 65
    assert f"{good}: valid" in result.stdout
    assert result.stderr.splitlines() == [
        f'{bad}: answers.hc_01: must be 1–5 or "na" (got 0)',
        f"{tmp_path / 'gone.toml'}: no such file",
    ]


def test_validate_only_missing_exits_66(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "gone.toml")])
    assert result.exit_code == 66


def test_complete_says_na_answers_count_as_answered(tmp_path, profiles):
    """--complete passes a sheet with an item marked "na": the line says why 39 of 40 do."""
    import tomli_w
    from conftest import make_sheet

    from qim_cli.sheets.answers import sheet_to_data

    path = tmp_path / "na.toml"
    sheet = make_sheet(profiles, rid="na-1", answers={"hc_01": "na"})
    path.write_text(tomli_w.dumps(sheet_to_data(sheet)), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--complete", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f'{path}: valid (na-1, clinical, 39 of 40 items answered, 1 marked "na")\n'
