"""360° feedback through the commands: `qim report` of a 360° folder, ratings refused or
reported, rater templates and their usage errors, and the example set. (The merge itself:
tests/assessment/test_feedback.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import tomli_w
from conftest import EXAMPLES
from support.feedback import hand_built_set
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


@pytest.fixture
def hand_built(profiles):
    return hand_built_set(profiles)


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(tomli_w.dumps(data))
    return path


def test_report_on_a_360_folder(tmp_path, profiles, hand_built):
    self_sheet, ratings = hand_built
    _write(tmp_path, "self.toml", self_sheet.model_dump(mode="json", exclude_none=True))
    for i, r in enumerate(ratings):
        _write(tmp_path, f"r{i}.toml", r.model_dump(mode="json", exclude_none=True))
    result = runner.invoke(app, ["report", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    schema = json.loads(runner.invoke(app, ["schema", "feedback"]).stdout)
    jsonschema.validate(doc, schema)
    assert doc["kind"] == "360" and doc["raters"] == 6
    for fmt in ("table", "markdown", "html"):
        out = runner.invoke(app, ["report", str(tmp_path), "--format", fmt])
        assert out.exit_code == 0, out.stderr
        assert "360° feedback" in out.stdout
        assert "hidden strength" in out.stdout and "self higher" in out.stdout
        assert "blind spot" not in out.stdout.lower()  # not to be confused with what a background overlooks
        assert "Front-line staff" not in out.stdout.split("Groups with fewer")[0].split("360° feedback")[1]


def test_rating_of_someone_else_is_refused(tmp_path, profiles, hand_built):
    self_sheet, ratings = hand_built
    s = _write(tmp_path, "self.toml", self_sheet.model_dump(mode="json", exclude_none=True))
    other = ratings[0].model_dump(mode="json", exclude_none=True) | {"subject": "someone-else"}
    r = _write(tmp_path, "other.toml", other)
    result = runner.invoke(app, ["report", str(s), str(r)])
    assert result.exit_code == 65
    assert result.stderr == (f'{r}: subject: "someone-else" is not the person of the '
                             f'self-assessment {s} ("t-1")\n')


def test_ratings_without_self_assessment(tmp_path, hand_built):
    _, ratings = hand_built
    r = _write(tmp_path, "r.toml", ratings[0].model_dump(mode="json", exclude_none=True))
    result = runner.invoke(app, ["report", str(r)])
    assert result.exit_code == 65
    assert result.stderr.startswith("no self-assessment among the sheets (ratings of t-1)")


def test_two_people_in_one_report_is_a_usage_error():
    result = runner.invoke(app, ["report", str(EXAMPLES / "nurse-early-career.toml"),
                                 str(EXAMPLES / "process-engineer-new.toml")])
    assert result.exit_code == 2
    assert "several people's self-assessments given together (pe-newhire, rn-ward7)" in result.stderr


def test_rater_template_filled_in_validates():
    blank = runner.invoke(app, ["template", "--rater", "frontline", "--subject", "rn-ward7"]).stdout
    assert 'subject = "rn-ward7"' in blank and 'role = "frontline"' in blank
    assert "# They " in blank or "# Before they" in blank
    assert '[comments]\n' in blank and 'strengths = ""' in blank and 'develop = ""' in blank
    filled = blank.replace('= ""', "= 4").replace("strengths = 4", 'strengths = "Listens."')
    filled = filled.replace("develop = 4", 'develop = ""')  # a comment may stay blank
    check = runner.invoke(app, ["validate", "--complete", "-"], input=filled)
    assert check.exit_code == 0, check.stderr
    assert check.stdout == "<stdin>: valid (rating of rn-ward7 by frontline, 40 of 40 items answered)\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--rater", "peer"], "--rater and --subject go together"),
    (["--subject", "x"], "--rater and --subject go together"),
    (["--rater", "peer", "--subject", "bad id!"], "--subject: must start with a letter or digit"),
])
def test_rater_template_usage_errors(args, message):
    result = runner.invoke(app, ["template", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_self_sheet_with_wrong_rater_role(tmp_path):
    text = (EXAMPLES / "nurse-early-career.toml").read_text().replace(
        "[respondent]", '[rater]\nrole = "self"\n\n[respondent]')
    ok = tmp_path / "ok.toml"
    ok.write_text(text)
    assert runner.invoke(app, ["validate", str(ok)]).exit_code == 0


def test_example_360_set(profiles):
    result = runner.invoke(app, ["report", str(EXAMPLES / "360"), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    rows = {c["id"]: c for c in doc["competencies"]}
    assert rows["healthcare_context"]["agreement"] == "self_higher"
    assert rows["supportiveness"]["agreement"] == "hidden_strength"
    assert [g["group"] for g in doc["groups"] if g["shown"]] == ["peer"]
