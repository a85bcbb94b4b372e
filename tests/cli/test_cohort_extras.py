"""qim cohort: 360 self-other agreement, ratings in batches, and the HTML cohort report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tomli_w
from conftest import EXAMPLES, make_sheet
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


def _rating(profiles, subject: str, level: int, role: str = "peer") -> dict:
    answers = {}
    for comp in profiles.competencies.values():
        for item in comp.items:
            answers[item.id] = 6 - level if item.reverse else level
    return {"schema_version": 1, "subject": subject, "rater": {"role": role}, "answers": answers}


@pytest.fixture
def cohort_360(tmp_path, profiles) -> Path:
    """Five people; person i rates themself at level 3 everywhere and is rated 2, 3, 4 + (i % 2)."""
    folder = tmp_path / "cohort360"
    folder.mkdir()
    for i in range(5):
        pid = f"p{i}"
        sheet = make_sheet(profiles, rid=pid, default=3)
        (folder / f"{pid}-self.toml").write_text(tomli_w.dumps(sheet.model_dump(mode="json", exclude_none=True)))
        for j, level in enumerate((2, 3, 4 + (i % 2))):
            (folder / f"{pid}-peer{j}.toml").write_text(tomli_w.dumps(_rating(profiles, pid, level)))
    return folder


def test_agreement_by_hand(cohort_360):
    result = runner.invoke(app, ["cohort", str(cohort_360), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    agree = doc["agreement"]
    assert agree["ratings"] == 15 and agree["subjects"] == 5 and agree["matched"] == 5
    row = next(a for a in agree["competencies"] if a["competency"] == "systems_thinking")
    # others: p0, p2, p4 -> (2+3+4)/3 = 3.0; p1, p3 -> (2+3+5)/3 = 3.333...
    others = [3.0, 10 / 3, 3.0, 10 / 3, 3.0]
    assert row["people"] == 5
    assert row["self_mean"] == 3.0
    assert row["others_mean"] == round(sum(others) / 5, 2)
    assert row["difference_mean"] == round(sum(o - 3 for o in others) / 5, 2)
    # no one self higher, no hidden strength: counts below 5, withheld
    assert row["self_higher"] is None and row["hidden_strengths"] is None
    assert row["withheld"] == {"self_higher": "fewer", "hidden_strengths": "fewer"}
    assert row["correlation"] is None  # every self score is 3: no variance, no correlation
    assert "colleague rating" in result.stderr  # the summary line counts them


def test_agreement_withheld_below_min_group(cohort_360):
    result = runner.invoke(app, ["cohort", str(cohort_360), "--format", "json", "--min-group", "6"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["agreement"] is None or doc["agreement"]["competencies"] == []


def test_agreement_needs_enough_raters(cohort_360):
    result = runner.invoke(app, ["cohort", str(cohort_360), "--format", "json", "--min-raters", "4"])
    doc = json.loads(result.stdout)
    assert "360 agreement is not shown" in " ".join(doc["notes"])


def test_score_counts_ratings_without_failing(cohort_360):
    result = runner.invoke(app, ["score", str(cohort_360), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 5
    assert result.stderr.splitlines()[-1] == (
        "qim score: 20 files: 5 good, 0 bad, 15 colleague ratings (360) not scored "
        "(qim report SELF.toml RATINGS... reports a 360 set)")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_agreement_in_every_format(cohort_360, fmt):
    result = runner.invoke(app, ["cohort", str(cohort_360), "--format", fmt])
    assert result.exit_code == 0
    assert ("agreement" in result.stdout.lower())


def test_cohort_html_structure():
    result = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--by", "role", "--format", "html"])
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert 'id="heatmap-table"' in html and 'id="needs-list"' in html and 'id="reliability-table"' in html
    assert 'id="programme-table"' in html
    # a role group below --min-group is withheld, and the page says so
    assert 'id="privacy"' in html and "not shown on" in html
    assert not re.search(r'\b(src|href)\s*=\s*"(https?:)?//', html)


def test_heat_colours_keep_text_readable():
    from qim_cli.render.cohort.html import _contrast, _luminance, heat

    for share in [i / 20 for i in range(21)]:
        bg, ink = heat(share)
        rgb = tuple(int(bg[k:k + 2], 16) for k in (1, 3, 5))
        ink_rgb = tuple(int(ink[k:k + 2], 16) for k in (1, 3, 5))
        assert _contrast(_luminance(rgb), _luminance(ink_rgb)) >= 4.5, share
