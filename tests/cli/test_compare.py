"""`qim compare OLD NEW`: before and after for one person."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.assessment.compare import compare_results
from qim_cli.assessment.report import build_result
from qim_cli.cli.app import app
from qim_cli.framework import notice
from qim_cli.render.compare import CompareFormat
from qim_cli.render.formats import format_module
from qim_cli.sheets.answers import sheet_to_data

runner = CliRunner()
NURSE = EXAMPLES / "nurse-early-career.toml"


def write(path: Path, sheet) -> str:
    path.write_text(tomli_w.dumps(sheet_to_data(sheet)), encoding="utf-8")
    return str(path)


@pytest.fixture
def before_after(profiles, tmp_path: Path) -> tuple[str, str]:
    """A clinical QIM who, a year on, has grown in systems and long-term thinking, but
    whose workplace has lost its protected time for improvement."""
    old = make_sheet(profiles, years=3, rid="rn-1",
                     by_competency={"systems_thinking": 2, "long_term_thinking": 2,
                                    "healthcare_context": 5, "trustworthiness": 5})
    new = make_sheet(profiles, years=4, rid="rn-1",
                     by_competency={"systems_thinking": 4, "long_term_thinking": 4,
                                    "healthcare_context": 5, "trustworthiness": 5},
                     context={"protected_time": 1})
    return write(tmp_path / "2025.toml", old), write(tmp_path / "2026.toml", new)


def run_json(*args: str) -> dict:
    result = runner.invoke(app, ["compare", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_per_competency_change(before_after):
    doc = run_json(*before_after)
    comps = {c["id"]: c for c in doc["competencies"]}
    st = comps["systems_thinking"]
    assert (st["old_score"], st["new_score"], st["change"]) == (2.0, 4.0, 2.0)
    assert (st["old_gap"], st["new_gap"]) == (1.5, -0.5)
    assert comps["healthcare_context"]["change"] == 0.0
    assert doc["respondent"] == "rn-1" and doc["same_respondent"] is True


def test_resolved_and_new_recommendations_and_barriers(before_after, profiles):
    doc = run_json(*before_after)
    recs = doc["recommendations"]
    resolved = {r["id"] for r in recs["resolved"]}
    assert "systems_thinking_course" in resolved
    assert "sustaining_improvement_course" in resolved
    remaining = {r["id"] for r in recs["remaining"]}
    assert not resolved & remaining
    assert "barrier-no-protected-time" in {b["rule"] for b in doc["barriers"]["new"]}
    assert doc["barriers"]["resolved"] == []


def test_a_new_barrier_never_resolves_a_recommendation(profiles, tmp_path: Path):
    """A barrier reported the second time stands beside the need: the recommendation
    remains, neither resolved nor hidden."""
    old = make_sheet(profiles, years=3, rid="rn-2", by_competency={"supportiveness": 2})
    new = make_sheet(profiles, years=3, rid="rn-2", by_competency={"supportiveness": 2},
                     context={"protected_time": 1})
    old_r = build_result(old, profiles, "old")
    new_r = build_result(new, profiles, "new")
    doc = compare_results(old_r, new_r, profiles).model_dump(mode="json")
    before = {r.training.id for r in old_r.recommendations}
    assert before and before == {r.training.id for r in new_r.recommendations}
    assert doc["recommendations"]["resolved"] == []
    assert {r["id"] for r in doc["recommendations"]["remaining"]} == before
    assert "held_back" not in doc["recommendations"]
    (barrier,) = [b for b in new_r.barriers if b.rule == "barrier-no-protected-time"]
    assert "supportiveness" in barrier.with_needs


def test_compare_across_the_change_of_standard_says_so(profiles, tmp_path: Path):
    """The role standard of framework 2026.2 replaced targets per background: an earlier
    sheet assessed before it was reported against other targets, and both the comparison
    and the review of the earlier plan say so; sheets both after it say nothing."""
    adopted = profiles.standard.adopted
    old = make_sheet(profiles, years=3, rid="rn-3").model_copy(
        update={"assessed_on": adopted - timedelta(days=200)})
    new = make_sheet(profiles, years=4, rid="rn-3").model_copy(
        update={"assessed_on": adopted + timedelta(days=165)})
    doc = compare_results(build_result(old, profiles, "old"), build_result(new, profiles, "new"),
                          profiles).model_dump(mode="json")
    change = doc["standard_change"]
    assert change["certain"] and change["adopted"] == adopted.isoformat()
    assert change["framework_version"] == profiles.version == "2026.2"
    assert "the targets differed by background" in change["note"]
    assert "today's role standard" in doc["plan_review"]["standard_changed"]
    a, b = write(tmp_path / "old.toml", old), write(tmp_path / "new.toml", new)
    table = " ".join(runner.invoke(app, ["compare", a, b]).stdout.split())
    assert "The role standard changed" in table and "The earlier plan is rebuilt here" in table
    # both after the change: nothing to say
    later = old.model_copy(update={"assessed_on": adopted + timedelta(days=1)})
    doc = compare_results(build_result(later, profiles, "old"), build_result(new, profiles, "new"),
                          profiles).model_dump(mode="json")
    assert doc["standard_change"] is None and doc["plan_review"]["standard_changed"] is None
    # without a date the change cannot be placed: said as a possibility
    undated = old.model_copy(update={"assessed_on": None})
    doc = compare_results(build_result(undated, profiles, "old"),
                          build_result(new, profiles, "new"), profiles).model_dump(mode="json")
    assert doc["standard_change"]["certain"] is False
    assert "cannot tell" in doc["standard_change"]["note"]


def test_different_people_are_refused_unless_allowed(profiles, tmp_path: Path):
    a = write(tmp_path / "a.toml", make_sheet(profiles, rid="alice"))
    b = write(tmp_path / "b.toml", make_sheet(profiles, rid="bob"))
    refused = runner.invoke(app, ["compare", a, b])
    assert refused.exit_code == 65
    assert refused.stdout == ""
    assert refused.stderr == (f'{b}: respondent.id: "bob" is not the respondent of {a} ("alice"); '
                              "compare compares one person (use --allow-different-ids to "
                              "compare anyway)\n")
    allowed = runner.invoke(app, ["compare", a, b, "--allow-different-ids", "--format", "json"])
    assert allowed.exit_code == 0
    assert allowed.stderr == ('warning: comparing different respondents ("alice" and "bob") '
                              "because of --allow-different-ids\n")
    assert json.loads(allowed.stdout)["same_respondent"] is False


def test_force_only_overwrites_and_its_old_meaning_still_works(profiles, tmp_path: Path):
    a = write(tmp_path / "a.toml", make_sheet(profiles, rid="alice"))
    b = write(tmp_path / "b.toml", make_sheet(profiles, rid="bob"))
    out = tmp_path / "review.md"
    out.write_text("kept\n")
    # with -o, --force means overwrite and nothing else: different people are still refused
    refused = runner.invoke(app, ["compare", a, b, "-f", "markdown", "-o", str(out), "--force"])
    assert refused.exit_code == 65 and "--allow-different-ids" in refused.stderr
    assert out.read_text() == "kept\n"
    # without -o there is nothing to overwrite: the spelling of earlier versions, with a note
    old = runner.invoke(app, ["compare", a, b, "--force", "--format", "json"])
    assert old.exit_code == 0
    assert old.stderr.splitlines() == [
        "qim compare: --force now only overwrites the -o file; to compare different "
        "respondents use --allow-different-ids (taken as meant this time)",
        'warning: comparing different respondents ("alice" and "bob") because of '
        "--allow-different-ids"]
    same = write(tmp_path / "a2.toml", make_sheet(profiles, rid="alice"))
    kept = runner.invoke(app, ["compare", a, same, "-f", "markdown", "-o", str(out)])
    assert kept.exit_code == 73 and out.read_text() == "kept\n"
    forced = runner.invoke(app, ["compare", a, same, "-f", "markdown", "-o", str(out), "--force"])
    assert forced.exit_code == 0 and forced.stderr == f"wrote {out}\n"
    assert out.read_text().startswith("# alice: before and after\n")


@pytest.mark.parametrize("fmt", list(CompareFormat))
def test_every_format_has_a_renderer_and_works(fmt, before_after):
    assert callable(format_module("qim_cli.render.compare", fmt).render)
    result = runner.invoke(app, ["compare", *before_after, "--format", fmt.value])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt is CompareFormat.json:
        assert json.loads(out)["competencies"]
    elif fmt is CompareFormat.csv:
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(out)))
        st = next(r for r in rows if r["section"] == "competency" and r["id"] == "systems_thinking")
        assert (st["old"], st["new"], st["change"]) == ("2.0", "4.0", "2.0")
        assert {"section": "barrier", "id": "barrier-no-protected-time", "status": "new"}.items() \
            <= next(r for r in rows if r["section"] == "barrier").items()
        assert any(r["section"] == "recommendation" and r["id"] == "systems_thinking_course"
                   and r["status"] == "resolved" for r in rows)
    elif fmt is CompareFormat.table:
        assert "Systems thinking" in out and "+2.00" in out
        assert "Recommendations resolved" in out and "New organisational barriers (1)" in out
    else:
        assert "Systems thinking" in out and "+2.00" in out
        assert "Resolved (" in out and "New (1)" in out
        assert "Staff have no protected time for improvement" in out


def test_markdown_is_the_review_for_an_appraisal():
    """The nurse a year on, in Markdown: the review of last year's plan first."""
    later = EXAMPLES / "nurse-early-career-2027.toml"
    result = runner.invoke(app, ["compare", str(NURSE), str(later), "-f", "markdown"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "# rn-ward7: before and after", "",
        f"- Before: {NURSE}, assessed 2 Mar 2026: 3 years as a QIM, early career",
        f"- After: {later}, assessed 1 Mar 2027: 4 years as a QIM, early career"]
    review = lines.index("## Review of last time's plan")
    assert lines[review + 4] == ("1. **Holistic improvement: hard tools and soft elements "
                                 "together (due 25 May 2026)**: reached the target")
    assert "   - Long-term thinking 1.75 → 3.25 (target 3.5): at target within measurement error" \
        in lines
    assert ("   - External stakeholder orientation 2.00 → 2.00 (target 3.0): within measurement "
            "error: no reliable change; in the new plan (objective 1)") in lines
    assert "3 objectives: 2 reached the target, 1 within measurement error." in lines
    assert ("| Systems thinking | 1.75 | 3.00 | +1.25 | changed beyond measurement error | +1.75 "
            "| +0.50 | emerging → proficient |") in lines
    assert ("| QI knowledge and methods | 2.50 | 3.50 | +1.00 | within measurement error | +1.00 "
            "| +0.00 | developing → proficient |") in lines
    assert ("A change counts only beyond measurement error: at least 1.06 score points either "
            "way (95%, the reliable change index of Jacobson and Truax; reliability: qim's "
            "convention until a validation study).") in lines
    # the last section, then the footer every report ends with (tests/test_notice.py)
    assert lines[-5:] == ["No organisational barrier was reported, before or after.", "", "---",
                          "", notice.FOOTER]
    assert lines.index("## Review of last time's plan") < lines.index("## Competencies")


def test_the_same_sheet_twice_changes_nothing():
    doc = run_json(str(NURSE), str(NURSE))
    assert all(c["change"] == 0 for c in doc["competencies"] if c["change"] is not None)
    assert doc["recommendations"]["resolved"] == doc["recommendations"]["new"] == []
    assert doc["barriers"]["new"] == doc["barriers"]["resolved"] == []


def test_missing_and_invalid_files(tmp_path: Path):
    missing = runner.invoke(app, ["compare", str(NURSE), str(tmp_path / "nope.toml")])
    assert missing.exit_code == 66
    assert "nope.toml: no such file" in missing.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(NURSE.read_text().replace("lt_01 = 2", "lt_01 = 9"))
    worse = tmp_path / "worse.toml"
    worse.write_text("[respondent\n")
    both = runner.invoke(app, ["compare", str(bad), str(worse)])
    assert both.exit_code == 65
    assert "bad.toml: answers.lt_01" in both.stderr and "worse.toml: TOML syntax" in both.stderr
    assert "Traceback" not in both.output


def test_one_sheet_a_side_is_counted_in_the_singular():
    from typer.testing import CliRunner

    from qim_cli.cli.app import app

    before, after = EXAMPLES / "nurse-early-career.toml", EXAMPLES / "nurse-early-career-2027.toml"
    result = CliRunner().invoke(app, ["compare", "--before", str(before), "--after", str(after),
                                      "--format", "markdown", "--min-group", "1"])
    assert result.exit_code == 0, result.output
    assert ("1 sheet before, 1 after: 1 person paired by respondent id, 0 only before (left), "
            "0 only after (joined).") in result.stdout
    # at the default threshold each of these counts of people is withheld
    result = CliRunner().invoke(app, ["compare", "--before", str(before), "--after", str(after),
                                      "--format", "markdown"])
    assert ("Fewer than 5 sheets before, fewer than 5 after: fewer than 5 people paired by "
            "respondent id, fewer than 5 only before (left), fewer than 5 only after (joined).") \
        in result.stdout
