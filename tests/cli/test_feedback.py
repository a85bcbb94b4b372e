"""360° feedback: merged scores, self higher, hidden strengths, anonymity."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.assessment.feedback import merge
from qim_cli.cli.app import app
from qim_cli.sheets.models import RaterSheet

runner = CliRunner()


def rating(profiles, role, levels: dict[str, int], default: int, rid: str | None = None) -> RaterSheet:
    """A colleague's rating where every item of a competency shows the given level."""
    answers = {}
    for cid, comp in profiles.competencies.items():
        level = levels.get(cid, default)
        for item in comp.items:
            answers[item.id] = 6 - level if item.reverse else level
    rater = {"role": role} | ({"id": rid} if rid else {})
    return RaterSheet.model_validate(
        {"schema_version": 1, "subject": "t-1", "rater": rater, "answers": answers})


@pytest.fixture
def hand_built(profiles):
    """Self plus six raters in three groups: 3 peers, 2 front-line staff, 1 line manager."""
    self_sheet = make_sheet(profiles, background="clinical", years=3,
                            by_competency={"healthcare_context": 5, "supportiveness": 2})
    ratings = [
        rating(profiles, "peer", {"supportiveness": 4}, 3),
        rating(profiles, "peer", {"supportiveness": 4}, 3),
        rating(profiles, "peer", {"supportiveness": 5}, 4),
        rating(profiles, "frontline", {"supportiveness": 4}, 2),
        rating(profiles, "frontline", {"supportiveness": 4}, 4),
        rating(profiles, "line_manager", {"supportiveness": 4}, 3),
    ]
    return self_sheet, ratings


def test_merged_scores_by_hand(profiles, hand_built):
    self_sheet, ratings = hand_built
    fb = merge(self_sheet, ratings, profiles, "self.toml")
    rows = {c.id: c for c in fb.competencies}
    # others = mean over the six raters, each counting once: (3+3+4+2+4+3)/6
    assert rows["systems_thinking"].others_score == round(19 / 6, 2) == 3.17
    assert rows["systems_thinking"].others_raters == 6
    assert rows["systems_thinking"].self_score == 3.0
    assert rows["systems_thinking"].by_group == {"peer": round(10 / 3, 2)}
    assert rows["supportiveness"].others_score == round(25 / 6, 2)
    # the others' view drives the scores used for recommendations
    merged = {c.id: c for c in fb.result.competencies}
    assert merged["systems_thinking"].score == 3.17
    assert merged["supportiveness"].score == round(25 / 6, 2)


def test_self_higher_and_hidden_strengths(profiles, hand_built):
    self_sheet, ratings = hand_built
    rows = {c.id: c for c in merge(self_sheet, ratings, profiles, "s").competencies}
    assert rows["healthcare_context"].difference == round(19 / 6 - 5, 2)
    assert rows["healthcare_context"].agreement == "self_higher"
    assert rows["supportiveness"].difference == round(25 / 6 - 2, 2)
    assert rows["supportiveness"].agreement == "hidden_strength"
    assert rows["systems_thinking"].agreement == "agree"
    assert {c.id for c in rows.values() if c.agreement == "self_higher"} == {"healthcare_context"}
    assert {c.id for c in rows.values() if c.agreement == "hidden_strength"} == {"supportiveness"}


def test_small_groups_are_merged_into_others(profiles, hand_built):
    self_sheet, ratings = hand_built
    fb = merge(self_sheet, ratings, profiles, "s")
    shown = {g.group: g.shown for g in fb.groups}
    assert shown == {"line_manager": False, "peer": True, "frontline": False}
    assert all(set(c.by_group) == {"peer"} for c in fb.competencies)
    assert fb.notices[0] == ('Groups with fewer than 3 raters are not shown on their own, only within '
                             '"others": line managers (1) and front-line staff (2).')
    # the threshold is configurable
    fb2 = merge(self_sheet, ratings, profiles, "s", min_raters=2)
    assert {g.group for g in fb2.groups if g.shown} == {"peer", "frontline"}
    assert {c.id: c for c in fb2.competencies}["systems_thinking"].by_group["frontline"] == 3.0


def test_line_manager_shown_apart_only_when_chosen(profiles, hand_built):
    self_sheet, ratings = hand_built
    fb = merge(self_sheet, ratings, profiles, "s", show_line_manager=True)
    assert {g.group for g in fb.groups if g.shown} == {"peer", "line_manager"}
    assert {c.id: c for c in fb.competencies}["systems_thinking"].by_group["line_manager"] == 3.0
    assert any("Line managers' ratings are shown apart because the organisation chose to" in n
               for n in fb.notices)


def test_too_few_raters_keeps_the_self_view(profiles):
    self_sheet = make_sheet(profiles, by_competency={"systems_thinking": 2})
    ratings = [rating(profiles, "peer", {}, 5), rating(profiles, "peer", {}, 5)]
    fb = merge(self_sheet, ratings, profiles, "s")
    row = {c.id: c for c in fb.competencies}["systems_thinking"]
    assert row.others_score is None and row.basis == "self" and row.agreement is None
    assert {c.id: c for c in fb.result.competencies}["systems_thinking"].score == 2.0
    assert any("the self view is used there" in n for n in fb.notices)


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
