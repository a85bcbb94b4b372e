"""Markdown and HTML development plans: structure, escaping, and a real browser render."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES
from support.hostile_text import HOSTILE_NAME, HOSTILE_NOTES, hostile_sheet
from typer.testing import CliRunner

from qim_cli.assessment.report import build_result
from qim_cli.cli.app import app
from qim_cli.sheets.answers import load_sheet

runner = CliRunner()
NURSE = EXAMPLES / "nurse-early-career.toml"
def _render(path: Path, fmt: str) -> str:
    result = runner.invoke(app, ["report", str(path), "--format", fmt])
    assert result.exit_code == 0, result.stderr
    return result.stdout


# ---------------------------------------------------------------- markdown


def test_markdown_structure(profiles):
    text = _render(NURSE, "markdown")
    heads = re.findall(r"^(#{1,4}) (.+)$", text, flags=re.M)
    h2 = [t for level, t in heads if level == "##"]
    assert h2 == ["Development plan: 3 objectives", "Organisational barriers to raise (0)",
                  "Strengths to build on", "Competency profile", "Notes",
                  "Appendix: why this plan", "Sources"]
    table = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(table) == 1 + len(profiles.competencies)
    for comp in profiles.competencies.values():
        assert any(f"| {comp.label}" in row for row in table)
    # the plan: PDP fields for every objective, and no rule ids before the appendix
    plan, appendix = text.split("## Appendix: why this plan")
    objectives = re.split(r"^### \d+\. ", plan.split("## Organisational barriers")[0], flags=re.M)[1:]
    assert len(objectives) == 3
    for block in objectives:
        for field in ("**Need:**", "**How:**", "**By when:**", "**How I will show it:**",
                      "**Who can help:**"):
            assert field in block
    assert "rule `" not in plan and "clinical-" not in plan
    assert "30 / 60 / 90" not in text and "First 30 days" not in text
    # the appendix: every recommendation has its why, its evidence and its sources
    blocks = re.split(r"^#### \d+\. ", appendix.split("### Organisational barriers")[0], flags=re.M)[1:]
    # (10: sense-giving's and supportiveness's gaps of 0.50 are within measurement error)
    assert len(blocks) == 10
    for block in blocks:
        assert "- **Why:**" in block and "(rule `" in block and "- **Sources:** " in block
        assert " → " in block
    assert "- **A**: Akmal" in text


def test_markdown_is_deterministic_and_matches_plan(profiles):
    first, second = _render(NURSE, "markdown"), _render(NURSE, "markdown")
    assert first == second
    plan = build_result(load_sheet(NURSE, profiles), profiles, str(NURSE)).plan
    assert first.index("## Development plan") < first.index("## Competency profile")
    for o in plan.objectives:
        block = first.split(f"### {o.number}. ")[1].split("###")[0]
        assert block.startswith(" · ".join(c.label for c in o.competencies))
        assert f"- **How:** {o.how.title} (" in block
        assert f"- **By when:** {o.due.day} " in block and str(o.due.year) in block
        for alt in o.alternatives:
            assert f"  - {alt.title} (" in block
    assert "Assessed 2 Mar 2026" in first and "by 2 Mar 2027" in first


def test_markdown_barriers_beside_the_needs_they_may_constrain():
    text = _render(EXAMPLES / "physician-experienced.toml", "markdown")
    h2 = re.findall(r"^## (.+)$", text, flags=re.M)
    # a profile with many barriers: the barriers come first, the overlooked needs stay
    assert h2[:2] == ["Organisational barriers to raise (4)", "Development plan: 2 objectives"]
    barriers = text.split("## Organisational barriers to raise")[1].split("## Development plan")[0]
    assert "Raise by 16 Mar 2026 with front-line staff and middle managers." in barriers
    assert "it does not set that need aside" in barriers
    plan = text.split("## Development plan")[1].split("## Strengths")[0]
    assert "### 1. Long-term thinking" in plan and "### 2. Systems thinking" in plan
    assert ("- **Also raise:** Middle managers are not aligned with improvement work (a workplace "
            "barrier that may make this harder; the need stays)") in plan
    assert "may explain the low score" not in text and "held back" not in text.lower()
    trace = text.split("## Appendix: why this plan")[1]
    assert "**Who can act:**" in trace
    assert "**Occurs with your needs in:** Systems thinking (they stay in your plan" in trace


def _markdown_html(text: str) -> str:
    """How a CommonMark renderer with tables and strikethrough (as on GitHub) shows it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


def _as_html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def test_markdown_escapes_user_text(tmp_path):
    text = _render(hostile_sheet(tmp_path), "markdown")
    html = _markdown_html(text)
    # rendered, the user's text is text: no element, link or emphasis comes from it
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<strong>bold" not in html
    assert _as_html_text(HOSTILE_NAME) in html and _as_html_text(HOSTILE_NOTES) in html
    # and the Markdown still reads as plain text: no HTML entities
    assert "&lt;" not in text and "&amp;" not in text and "&quot;" not in text


def test_markdown_reads_as_plain_text():
    for name in ("nurse-early-career", "physician-experienced"):
        text = _render(EXAMPLES / f"{name}.toml", "markdown")
        assert not re.search(r"&[#A-Za-z0-9]+;", text), name
        assert "\\" not in text, name  # no backslash escapes anywhere in these reports
        assert "Table 2 [A], “" in text
        html = _markdown_html(text)
        assert "<li><strong>Evidence:</strong> Table 2 [A], “" in html  # as written, not a link


# ---------------------------------------------------------------- html


def test_html_is_self_contained(tmp_path):
    html = _render(NURSE, "html")
    assert html.startswith("<!DOCTYPE html>")
    # no external requests: nothing is loaded from anywhere
    assert not re.search(r'\b(src|href)\s*=\s*"(https?:)?//', html)
    assert "<script" not in html and "@import" not in html
    assert "@page { size: A4" in html and 'counter(page) " of " counter(pages)' in html
    assert html.count('class="axis"') == 10
    assert "<title id=\"radar-title\">" in html
    assert 'id="profile-table"' in html


def test_html_escapes_user_text(tmp_path):
    html = _render(hostile_sheet(tmp_path), "html")
    assert "<script>document" not in html
    assert "&lt;script&gt;document.body.setAttribute" in html
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_html_to_file_refuses_overwrite(tmp_path):
    out = tmp_path / "plan.html"
    assert runner.invoke(app, ["report", str(NURSE), "-f", "html", "-o", str(out)]).exit_code == 0
    again = runner.invoke(app, ["report", str(NURSE), "-f", "html", "-o", str(out)])
    assert again.exit_code == 73


EXAMPLE_REPORTS = {
    "nurse-early-career": ["report", str(EXAMPLES / "nurse-early-career.toml")],
    "physician-experienced": ["report", str(EXAMPLES / "physician-experienced.toml")],
    "rn-ward7-360": ["report", str(EXAMPLES / "360")],
    "cohort": ["cohort", str(EXAMPLES / "cohort"), str(EXAMPLES / "context"), "--title",
               "Example cohort"],
    # names its sheets as they were given: from the repository's folder, as regenerate.sh
    "rn-ward7-review": ["compare", "examples/nurse-early-career.toml",
                        "examples/nurse-early-career-2027.toml"],
}
#: example reports with pictures (examples/reports/NAME-desktop.png, ...)
PICTURED = ("nurse-early-career", "rn-ward7-360", "cohort")


@pytest.mark.parametrize("name", list(EXAMPLE_REPORTS))
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_committed_example_reports_are_current(name, fmt, monkeypatch):
    """examples/reports/ is what qim renders now (regenerate with examples/reports/regenerate.sh);
    a cohort report is dated the day it is made, so its date is left out of the comparison."""
    from qim_cli.render.text import date_words as fmt_date

    suffix = "md" if fmt == "markdown" else "html"
    committed = (EXAMPLES / "reports" / f"{name}.{suffix}").read_text()
    monkeypatch.chdir(EXAMPLES.parent)
    result = runner.invoke(app, [*EXAMPLE_REPORTS[name], "--format", fmt])
    assert result.exit_code == 0, result.stderr
    now = result.stdout
    if name == "cohort":
        day = re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}", committed).group(0)
        now = now.replace(fmt_date(date.today()), day)
    assert now == committed
    for picture in ("desktop", "phone", "page1"):
        if name in PICTURED:
            assert (EXAMPLES / "reports" / f"{name}-{picture}.png").is_file()
