"""Every first command, end to end through the Typer app."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import jsonschema
import pytest
from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from qim_cli import __version__
from qim_cli.cli.app import app
from qim_cli.render.formats import format_module
from qim_cli.render.person import ReportFormat

runner = CliRunner()
NURSE = str(EXAMPLES / "nurse-early-career.toml")


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"qim {__version__}\n"


def test_no_arguments_shows_help_and_usage_exit():
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert "report" in result.output


def test_unknown_option_is_usage_error():
    result = runner.invoke(app, ["report", NURSE, "--colour"])
    assert result.exit_code == 2


def test_report_table_lists_every_competency(profiles):
    result = runner.invoke(app, ["report", NURSE])
    assert result.exit_code == 0, result.stderr
    for comp in profiles.competencies.values():
        assert comp.label in result.stdout
    assert "Development plan: 3 objectives" in result.stdout
    assert "Organisational barriers" in result.stdout
    # the trace (rule ids, conditions, sources) only on request
    assert "Why (" not in result.stdout and "Sources:" not in result.stdout
    explained = runner.invoke(app, ["report", NURSE, "--explain"])
    assert explained.exit_code == 0, explained.stderr
    assert explained.stdout.startswith(result.stdout.rsplit("--explain:", 1)[0])
    assert "Why (clinical-systems-gap)" in explained.stdout and "Sources:" in explained.stdout
    assert "Systems thinking: gap to target ≥ 0.5 → score 1.75, target 3.5" in explained.stdout


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_every_format_has_a_renderer(fmt):
    assert callable(format_module("qim_cli.render.person", fmt).render)
    assert callable(format_module("qim_cli.render.feedback", fmt).render)
    result = runner.invoke(app, ["report", NURSE, "--format", fmt.value])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_json_report_is_valid_against_result_schema(example):
    schema = json.loads(runner.invoke(app, ["schema", "result"]).stdout)
    result = runner.invoke(app, ["report", str(EXAMPLES / example), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, schema)
    assert doc["source"] == str(EXAMPLES / example)


def test_answers_schema_accepts_every_example_and_rejects_bad_values(profiles):
    schema = json.loads(runner.invoke(app, ["schema", "answers"]).stdout)
    def as_json(path: Path):  # a TOML date is an ISO string in JSON
        return json.loads(json.dumps(tomllib.loads(path.read_text()), default=str))

    for path in EXAMPLES.glob("*.toml"):
        jsonschema.validate(as_json(path), schema)
    data = as_json(Path(NURSE))
    assert data["assessed_on"] == "2026-03-02"
    data["answers"]["st_01"] = 7
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    data["answers"]["st_01"] = 3
    data["answers"]["zz_99"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def _fill(template: str, background: str, role: str) -> str:
    """What a script would do with a template: replace every blank."""
    text = template.replace('id = ""', 'id = "new-hire-1"')
    text = text.replace('role = ""', f'role = "{role}"')
    text = text.replace('background = ""', f'background = "{background}"')
    text = text.replace('years_as_qim = ""', "years_as_qim = 0.5")
    return re.sub(r'^(\w+) = ""', r"\1 = 4", text, flags=re.M)


def test_template_filled_by_a_script_passes_validate_stdin(profiles):
    result = runner.invoke(app, ["template", "--background", "clinical"])
    assert result.exit_code == 0
    blank = result.stdout
    for comp in profiles.competencies.values():
        for item in comp.items:
            assert item.text[:40] in blank.replace("\n# ", " ")
    # a blank template does not validate
    check = runner.invoke(app, ["validate", "-"], input=blank)
    assert check.exit_code == 65
    assert '<stdin>: respondent.id: must start with a letter or digit and use only letters, digits, ".", "_" or "-" (got "")' in check.stderr
    filled = _fill(blank, "clinical", "nurse")
    check = runner.invoke(app, ["validate", "--complete", "-"], input=filled)
    assert check.exit_code == 0, check.stderr
    assert check.stdout == "<stdin>: valid (new-hire-1, clinical, 40 of 40 items answered)\n"


def test_template_without_background_lists_all(profiles):
    blank = runner.invoke(app, ["template"]).stdout
    assert 'background = ""        # clinical | traditional' in blank
    filled = _fill(blank, "traditional", "process_engineer")
    assert runner.invoke(app, ["validate", "-"], input=filled).exit_code == 0


def test_template_unknown_background_is_usage_error():
    result = runner.invoke(app, ["template", "--background", "pilot"])
    assert result.exit_code == 2
    assert result.stderr == '--background: must be one of clinical, traditional (got "pilot")\n'


def test_validate_complete_lists_unanswered(tmp_path):
    path = tmp_path / "partial.toml"
    path.write_text(Path(NURSE).read_text().replace("hc_04 = 4\n", ""))
    result = runner.invoke(app, ["validate", "--complete", str(path)])
    assert result.exit_code == 65
    assert result.stderr == f"{path}: answers.hc_04: not answered\n"


def test_output_file_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / "r.json"
    first = runner.invoke(app, ["report", NURSE, "-f", "json", "-o", str(out)])
    assert first.exit_code == 0 and json.loads(out.read_text())["respondent"]["id"] == "rn-ward7"
    out.write_text("keep me")
    second = runner.invoke(app, ["report", NURSE, "-f", "json", "-o", str(out)])
    assert second.exit_code == 73
    assert second.stderr == f"{out}: already exists (use --force to overwrite)\n"
    assert out.read_text() == "keep me"
    third = runner.invoke(app, ["report", NURSE, "-f", "json", "-o", str(out), "--force"])
    assert third.exit_code == 0 and out.read_text().startswith("{")


def test_output_into_missing_folder_exits_73(tmp_path):
    result = runner.invoke(app, ["report", NURSE, "-o", str(tmp_path / "no" / "r.txt")])
    assert result.exit_code == 73


def test_report_from_stdin():
    result = runner.invoke(app, ["report", "-", "-f", "json"], input=Path(NURSE).read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"] == "<stdin>"


def test_framework_lists_everything(profiles):
    result = runner.invoke(app, ["framework"])
    assert result.exit_code == 0
    for rule in profiles.rules[:5]:
        assert rule.id in result.stdout
    doc = json.loads(runner.invoke(app, ["framework", "--format", "json"]).stdout)
    assert len(doc["rules"]["rules"]) == len(profiles.rules)
    assert {c["id"] for c in doc["framework"]["competencies"]} == set(profiles.competencies)


def test_framework_check_ok():
    result = runner.invoke(app, ["framework", "check"])
    assert result.exit_code == 0, result.stderr
    assert ": ok — framework" in result.stdout


def _copy_profiles(tmp_path: Path) -> Path:
    dest = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", dest)
    return dest


def test_framework_check_names_the_broken_rule(tmp_path):
    dest = _copy_profiles(tmp_path)
    rules = dest / "rules.toml"
    text = rules.read_text()
    rid = re.search(r'^id = "([^"]+)"', text, flags=re.M).group(1)
    # point the first rule at a training that does not exist
    text = re.sub(r"^trainings = \[[^\]]*\]", 'trainings = ["no_such_course"]', text, count=1, flags=re.M)
    rules.write_text(text)
    result = runner.invoke(app, ["framework", "check", "--profiles", str(dest)])
    assert result.exit_code == 65
    assert result.stderr.splitlines()[0] == (
        f'{rules}: rules[{rid}].trainings: unknown training "no_such_course"'
    )


def test_framework_check_names_unknown_competency_in_condition(tmp_path):
    dest = _copy_profiles(tmp_path)
    rules = dest / "rules.toml"
    text = rules.read_text().replace('competency = "systems_thinking", gap_at_least',
                                     'competency = "system_thinking", gap_at_least', 1)
    rules.write_text(text)
    result = runner.invoke(app, ["framework", "check", "--profiles", str(dest)])
    assert result.exit_code == 65
    assert 'unknown competency "system_thinking" (did you mean "systems_thinking"?)' in result.stderr
    assert result.stderr.startswith(f"{rules}: rules[")


def test_broken_profile_toml_is_reported_with_position(tmp_path):
    dest = _copy_profiles(tmp_path)
    (dest / "trainings.toml").write_text("schema_version = 1\n[[trainings]\n")
    result = runner.invoke(app, ["framework", "check", "--profiles", str(dest)])
    assert result.exit_code == 65
    assert result.stderr.startswith(f"{dest / 'trainings.toml'}: TOML syntax error:")
    assert "(at line 2, column" in result.stderr


def test_profiles_env_var_is_used(tmp_path, monkeypatch):
    dest = _copy_profiles(tmp_path)
    (dest / "rules.toml").write_text("schema_version = 1\nrules = []\n")
    monkeypatch.setenv("QIM_PROFILES", str(dest))
    result = runner.invoke(app, ["report", NURSE])
    assert result.exit_code == 65
    assert result.stderr == f"{dest / 'rules.toml'}: rules: must not be empty\n"


def test_missing_profiles_folder_exits_66(tmp_path):
    result = runner.invoke(app, ["report", NURSE, "--profiles", str(tmp_path / "none")])
    assert result.exit_code in (2, 66)


def test_user_text_with_escape_sequences_is_not_echoed_raw(tmp_path):
    text = Path(NURSE).read_text().replace('name = "Aroha Ngata"', 'name = "Evil\\u001b[31mRed"')
    path = tmp_path / "esc.toml"
    path.write_text(text)
    result = runner.invoke(app, ["report", str(path)])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "Evil?[31mRed" in result.stdout


@pytest.mark.parametrize("args", [
    ["cohort", "examples/cohort"],
    ["score", "examples/cohort", "--format", "table"],
    ["framework"],
    ["compare", "examples/nurse-early-career.toml", "examples/nurse-early-career-2027.toml"],
    ["compare", "examples/cohort", "examples/cohort-after"],
    ["report", "examples/360"],
    ["report", "examples/nurse-early-career.toml"],
])
def test_no_text_table_ends_its_lines_in_spaces(args, monkeypatch):
    """Rich pads each line of a table to the console's width; a text report written to a
    file or a pipe does not keep that padding (each line ends at its last character). The
    runner's output is no terminal, as a file or a pipe is not."""
    monkeypatch.chdir(ROOT)
    out = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) > 5
    assert [n for n, line in enumerate(lines, 1) if line != line.rstrip()] == []
