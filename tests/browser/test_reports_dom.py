"""The HTML reports as Chromium builds them (`--dump-dom`, after any script ran): the person's
report (its chart, plan and appendix; hostile text stays text), barriers first, the cohort's
heat map and needs, the programme's before/after chart."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import EXAMPLES
from support.browser import dump_dom
from support.hostile_text import hostile_sheet
from support.programme import write_programme
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


def test_individual_report_renders_in_chromium(tmp_path, profiles):
    path = hostile_sheet(tmp_path)
    out = tmp_path / "report.html"
    assert runner.invoke(app, ["report", str(path), "-f", "html", "-o", str(out)]).exit_code == 0
    dom = dump_dom(out, tmp_path)
    # the chart: one axis per competency, with accessible titles
    svg = re.search(r'<svg id="radar".*?</svg>', dom, flags=re.S).group(0)
    assert len(re.findall(r'<line class="axis"', svg)) == len(profiles.competencies)
    for comp in profiles.competencies.values():
        assert f'data-competency="{comp.label}"' in svg
    assert len(re.findall(r'<article class="objective"', dom)) == 3
    assert len(re.findall(r'<article class="rec ', dom)) == 10  # the appendix
    assert dom.index('id="plan"') < dom.index('id="profile"') < dom.index('id="appendix"')
    assert "Organisational barriers to raise (0)" in dom
    # user text is text: no script from it ran, no element was created from it
    assert "data-xss" not in re.search(r"<body[^>]*>", dom).group(0)
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;document.body.setAttribute" in dom


def test_barriers_render_in_chromium(tmp_path):
    out = tmp_path / "report.html"
    src = EXAMPLES / "physician-experienced.toml"
    assert runner.invoke(app, ["report", str(src), "-f", "html", "-o", str(out)]).exit_code == 0
    dom = dump_dom(out, tmp_path)
    assert len(re.findall(r'<article class="barrier"', dom)) == 4
    assert len(re.findall(r'<article class="barrier trace"', dom)) == 4
    assert dom.index('id="barriers"') < dom.index('id="plan"')  # barriers first
    assert "Who can act:" in dom


def test_cohort_report_renders_in_chromium(tmp_path, profiles):
    out = tmp_path / "cohort.html"
    result = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    dom = dump_dom(out, tmp_path)
    heat = re.search(r'<table class="data heat" id="heatmap-table">.*?</table>', dom, flags=re.S).group(0)
    assert len(re.findall(r"<tr><th scope=\"row\">", heat)) == len(profiles.competencies)
    assert "Overall" in heat and "Clinical QIM" in heat and "Traditional QIM" in heat
    needs = re.search(r'<ol class="bars" id="needs-list">.*?</ol>', dom, flags=re.S).group(0)
    assert len(re.findall(r"data-training=", needs)) >= 5
    assert 'id="reliability-table"' in dom


def test_programme_page_renders_in_chromium(tmp_path: Path, profiles):
    programme = write_programme(tmp_path, profiles)
    out = tmp_path / "programme.html"
    assert runner.invoke(app, ["compare-cohort", *map(str, programme), "-f", "html", "-o", str(out)]).exit_code == 0
    dom = dump_dom(out, tmp_path)
    svg = re.search(r"<svg .*?</svg>", dom, flags=re.S).group(0)
    assert len(re.findall(r'<circle class="after-dot"', svg)) == 10
    assert 'role="img"' in svg and "Systems thinking: 2.80 before, 3.60 after" in svg
    assert dom.index('id="chart"') < dom.index('id="change"') < dom.index('id="limitations"')
    assert "<script" not in dom
