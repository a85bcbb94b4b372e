"""The levels side by side in the cohort's HTML, in a real Chromium: a bar per level and
question with its figure in words, the QIMs' perception told apart, two organisations, no
sideways scrolling on a phone, axe-core (WCAG 2.1 AA), the Nu Html Checker and A4 print."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from support.browser import (
    WIDTHS,
    axe_violations,
    describe_violations,
    pdf_pages,
    pdf_text,
    print_pdf,
    scroll_width,
    vnu_errors,
)
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("levels") / "cohort.html"
    result = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), str(EXAMPLES / "context"),
                                 "--title", "Two organisations", "-f", "html", "-o", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scrolling_and_no_axe_violation(page_file, new_page, width):
    page = new_page(page_file, width=width)
    assert scroll_width(page) <= width
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_valid_html(page_file):
    assert vnu_errors(page_file) == []


def test_each_level_is_a_bar_with_its_figure_in_words(page_file, new_page):
    page = new_page(page_file, width=390)
    for i, org in enumerate(["Northbridge Health", "Ridgeway Health"], start=1):
        assert page.inner_text(f"#org{i}-h").startswith(org)
    question = page.locator('#org1-levels [data-question="protected_time"]')
    levels = question.locator("li")
    assert levels.count() == 5
    assert [levels.nth(k).get_attribute("data-level") for k in range(5)] == [
        "front_line", "middle_managers", "senior_leaders", "board", "qims"]
    front = levels.nth(0)
    assert front.locator(".value").inner_text() == "100% of 14"
    width = front.locator(".fill").evaluate("e => e.getBoundingClientRect().width")
    track = front.locator(".track").evaluate("e => e.getBoundingClientRect().width")
    assert width == pytest.approx(track, abs=1)
    assert levels.nth(3).locator(".fill").evaluate("e => e.getBoundingClientRect().width") == 0
    assert levels.nth(4).inner_text().startswith("QIMs' perception")
    assert "In place in the view of board members, not of the front line" in question.inner_text()
    # Ridgeway's four senior leaders, and their complement
    ridgeway = page.locator('#org2-levels [data-question="protected_time"] li')
    assert ridgeway.nth(2).locator(".value").inner_text() == "fewer than 5"
    assert ridgeway.nth(3).locator(".value").inner_text() == "withheld"


def test_it_prints_on_a4_with_the_levels(page_file, tmp_path):
    pdf = print_pdf(page_file, tmp_path / "cohort.pdf")
    assert pdf_pages(pdf) >= 1
    text = pdf_text(pdf)
    assert "The levels side by side" in text and "Ridgeway Health (23 QIMs)" in text
    assert "100% of 14" in text
