"""One run names every problem of a sheet: the values the models refuse, then what only the
profile set reveals (a role of another background, unknown items and scenarios), even when
the values are wrong too; a structure too broken to check is skipped, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.errors import DataError
from qim_cli.framework.profiles import load_profiles
from qim_cli.sheets.answers import load_any, load_sheet

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "nurse-early-career.toml"
ALL_ROLES = "nurse, physician, allied_health, operations_manager, process_engineer, other_industry"
BAD_ST = 'answers.st_01: must be 1–5 or "na" (got 7)'


def _sed(text: str, *edits: tuple[str, str]) -> str:
    """What `sed -e 's/^KEY = .*/NEW/'` does to the example."""
    for pattern, new in edits:
        text = re.sub(pattern, new, text, flags=re.MULTILINE)
    return text


def _example(*edits: tuple[str, str], extra: str = "") -> str:
    return _sed(EXAMPLE.read_text(encoding="utf-8"), ("^st_01 = .*", "st_01 = 7"), *edits) + extra


ROLE = ("^role = .*", 'role = "process_engineer"')


def _write(tmp_path: Path, text: str, name: str = "alice.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _documented_validate_example() -> list[str]:
    page = (ROOT / "docs" / "guides" / "scripting" / "template-validate.md").read_text(encoding="utf-8")
    section = page[page.index("## `qim validate FILE...`"):]
    block = section[section.index("```text\n") + len("```text\n"):]
    return block[: block.index("```")].splitlines()


def test_the_documented_example_verbatim(tmp_path, monkeypatch):
    # sed -e 's/^st_01 = .*/st_01 = 7/' -e 's/^role = .*/role = "process_engineer"/' \
    #     examples/nurse-early-career.toml > alice.toml
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, _example(ROLE))
    result = runner.invoke(app, ["validate", "alice.toml"])
    assert result.exit_code == 65
    assert result.stdout == ""
    expected = [
        f"alice.toml: {BAD_ST}",
        'alice.toml: respondent.role: "process_engineer" is a traditional role, not clinical',
    ]
    assert result.stderr.splitlines() == expected
    assert _documented_validate_example() == expected


CASES = [
    ("value-and-unknown-role", _example(("^role = .*", 'role = "wizard"')), [
        BAD_ST,
        f'respondent.role: unknown role "wizard" (known: {ALL_ROLES})',
    ]),
    ("value-and-unknown-background", _example(("^background = .*", 'background = "engineer"')), [
        BAD_ST,
        'respondent.background: must be one of clinical, traditional (got "engineer")',
    ]),
    ("value-and-unknown-item", _example(("^hc_02 = .*", "zz_99 = 3")), [
        BAD_ST,
        "answers.zz_99: unknown item",
    ]),
    ("unknown-item-with-a-bad-value", _example(("^hc_02 = .*", "hc_2 = 9")), [
        'answers.hc_2: must be 1–5 or "na" (got 9)',
        BAD_ST,
        'answers.hc_2: unknown item (did you mean "hc_02"?)',
    ]),
    ("value-and-unknown-scenario",
     _example(extra='\n[scenarios.nope]\nbest = "a"\nworst = "b"\n'), [
         BAD_ST,
         "scenarios.nope: unknown scenario",
     ]),
    ("scenario-unknown-and-same-picks",
     _example(extra='\n[scenarios.nope]\nbest = "a"\nworst = "a"\n'), [
         BAD_ST,
         'scenarios.nope: best and worst must be two different options (both "a")',
         "scenarios.nope: unknown scenario",
     ]),
    ("every-section", _example(
        ROLE, ("^hc_02 = .*", "zz_99 = 3"), ("^years_as_qim = .*", "years_as_qim = -1"),
        ("^setting = .*", 'setting = "moon"'), ("^protected_time = .*", "free_lunch = 1"),
        ("^systems_thinking = .*", "juggling = 9")), [
        "respondent.years_as_qim: must be at least 0 (got -1)",
        BAD_ST,
        "importance.juggling: must be 1–5 (got 9)",
        'respondent.role: "process_engineer" is a traditional role, not clinical',
        'respondent.setting: must be one of metropolitan, rural, other (got "moon")',
        "answers.zz_99: unknown item",
        "importance.juggling: unknown competency",
        "context.free_lunch: unknown context item",
    ]),
    ("an-id-with-wrong-characters-is-not-also-unknown", _example(("^hc_02 = .*", "HC_02 = 3")), [
        'answers.HC_02: must be lower-case letters, digits and _ (got "HC_02")',
        BAD_ST,
    ]),
    # structure too broken to check against the profile set: the rest is still checked
    ("respondent-missing", _example(("^\\[respondent\\]", "[about]"), ("^hc_02 = .*", "zz_99 = 3")), [
        "respondent: required field missing",
        BAD_ST,
        "about: unknown field",
        "answers.zz_99: unknown item",
    ]),
    ("respondent-not-a-table",
     'respondent = 3\n' + _example(("^\\[respondent\\]", "[about]"), ("^hc_02 = .*", "zz_99 = 3")), [
         "respondent: must be a table (got 3)",
         BAD_ST,
         "about: unknown field",
         "answers.zz_99: unknown item",
     ]),
    ("answers-not-a-table",
     "answers = 3\n" + _sed(EXAMPLE.read_text(encoding="utf-8"), ("^\\[answers\\]", "[more]"), ROLE), [
         "answers: must be a table (got 3)",
         "more: unknown field",
         'respondent.role: "process_engineer" is a traditional role, not clinical',
     ]),
    ("role-not-a-string", _example(("^role = .*", "role = 4"), ("^hc_02 = .*", "zz_99 = 3")), [
        "respondent.role: must be a string (got 4)",
        BAD_ST,
        "answers.zz_99: unknown item",
    ]),
    # a blank choice is answered with the choices
    ("blank-role", _example(("^role = .*", 'role = ""')), [
        BAD_ST,
        'respondent.role: must be one of nurse, physician, allied_health (got "")',
    ]),
    ("blank-background-role-and-setting", _sed(
        EXAMPLE.read_text(encoding="utf-8"), ("^background = .*", 'background = ""'),
        ("^role = .*", 'role = ""'), ("^setting = .*", 'setting = ""')), [
        'respondent.background: must be one of clinical, traditional (got "")',
        f'respondent.role: must be one of {ALL_ROLES} (got "")',
        'respondent.setting: must be one of metropolitan, rural, other (got "")',
    ]),
]


@pytest.mark.parametrize(("case", "text", "problems"), CASES, ids=[c[0] for c in CASES])
def test_validate_names_every_problem(tmp_path, case, text, problems):
    path = _write(tmp_path, text)
    result = runner.invoke(app, ["validate", path])
    assert result.exit_code == 65, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"{path}: {p}" for p in problems]


def test_report_names_every_problem(tmp_path):
    path = _write(tmp_path, _example(ROLE, ("^hc_02 = .*", "zz_99 = 3")))
    result = runner.invoke(app, ["report", path, "--format", "json"])
    assert result.exit_code == 65
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}: {BAD_ST}",
        f'{path}: respondent.role: "process_engineer" is a traditional role, not clinical',
        f"{path}: answers.zz_99: unknown item",
    ]


def test_batch_counts_every_problem(tmp_path):
    batch = tmp_path / "returned"
    batch.mkdir()
    _write(batch, EXAMPLE.read_text(encoding="utf-8"), "a-good.toml")
    two = _write(batch, _example(ROLE), "b-two.toml")
    four = _write(batch, _example(ROLE, ("^hc_02 = .*", "zz_99 = 3"),
                                  extra='\n[scenarios.nope]\nbest = "a"\nworst = "b"\n'), "c-four.toml")
    result = runner.invoke(app, ["score", str(batch)])
    assert result.exit_code == 65
    assert len(result.stdout.splitlines()) == 2  # the header and the good sheet
    assert result.stderr.splitlines() == [
        f"{two}: {BAD_ST} (and 1 more problem; see qim validate)",
        f"{four}: {BAD_ST} (and 3 more problems; see qim validate)",
        "qim score: 3 files: 1 good, 2 bad",
    ]


RATING = """\
schema_version = 1
subject = "rn-ward7"

[rater]
role = "peer"

[answers]
hc_01 = 4
hc_02 = 8
zz_99 = 3
"""


def test_rating_names_every_problem(tmp_path):
    path = _write(tmp_path, RATING, "peer.toml")
    result = runner.invoke(app, ["validate", path])
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [
        f'{path}: answers.hc_02: must be 1–5 or "na" (got 8)',
        f"{path}: answers.zz_99: unknown item",
    ]


def test_library_error_carries_every_line(tmp_path):
    profiles = load_profiles(None)
    path = Path(_write(tmp_path, _example(ROLE)))
    for load in (load_sheet, load_any):
        with pytest.raises(DataError) as caught:
            load(path, profiles, "alice.toml")
        assert caught.value.lines == [
            f"alice.toml: {BAD_ST}",
            'alice.toml: respondent.role: "process_engineer" is a traditional role, not clinical',
        ]
        assert caught.value.message == f"alice.toml: {BAD_ST}"


def test_complete_names_the_questions_left_out_with_the_rest(tmp_path):
    text = _example(ROLE, ("^hc_02 = .*", "zz_99 = 3"), ("^hc_03 = .*", ""),
                    ("^protected_time = .*", ""))
    path = _write(tmp_path, text)
    result = runner.invoke(app, ["validate", "--complete", path])
    assert result.exit_code == 65
    assert result.stderr.splitlines() == [
        f"{path}: {BAD_ST}",
        f'{path}: respondent.role: "process_engineer" is a traditional role, not clinical',
        f"{path}: answers.zz_99: unknown item",
        f"{path}: answers.hc_02: not answered",
        f"{path}: answers.hc_03: not answered",
        f"{path}: context.protected_time: not answered",
    ]
    # without --complete the same sheet names the rest only
    assert len(runner.invoke(app, ["validate", path]).stderr.splitlines()) == 3


def test_complete_rating_with_a_bad_value(tmp_path):
    profiles = load_profiles(None)
    path = _write(tmp_path, RATING, "peer.toml")
    result = runner.invoke(app, ["validate", "--complete", path])
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[:2] == [
        f'{path}: answers.hc_02: must be 1–5 or "na" (got 8)',
        f"{path}: answers.zz_99: unknown item",
    ]
    left_out = [i for i in profiles.items if i not in ("hc_01", "hc_02")]
    assert lines[2:] == [f"{path}: answers.{i}: not answered" for i in left_out]


def test_keys_shown_alike_are_neither_repeated_nor_called_unknown():
    # two keys with control characters both show as "answers.?": one line, no raw
    # control character, and neither is also an "unknown item"
    from qim_cli.sheets.answers import load_sheet_bytes

    data = b'schema_version = 1\n[answers]\n"\\u001f" = "na"\n"\\b" = "na"\n'
    with pytest.raises(DataError) as caught:
        load_sheet_bytes(data, load_profiles(None), "fuzz.toml")
    assert caught.value.lines == [
        "fuzz.toml: respondent: required field missing",
        'fuzz.toml: answers.?: must be lower-case letters, digits and _ (got "?")',
    ]
