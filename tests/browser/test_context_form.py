"""The offline context form in Chromium: valid HTML, each question worded for the level
chosen and a sheet downloaded that qim accepts, a phone's width, and organisation and unit
asked by every form, limited to a hundred characters."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from support.browser import axe_violations, describe_violations, scroll_width, vnu_errors
from support.forms import make_form
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


def _data(path: Path) -> dict:
    """A sheet's data, without the generators' `synthetic = true`: a survey export knows
    nothing of it, so the sheets imported from one never carry it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.pop("synthetic", None)
    return data


def test_the_context_form_is_valid_html(tmp_path):
    assert vnu_errors(make_form(tmp_path, "--context", name="context.html")) == []


def test_the_context_form_words_each_question_for_the_level_chosen_and_downloads_a_sheet(tmp_path, new_page, profiles):
    page = new_page(make_form(tmp_path, "--context"))
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    page.locator("#next").click()  # nothing given: the id and the level are asked for
    assert page.locator("#errors-list").inner_text().splitlines() == [
        "Your id for these questions: Enter an answer.",
        "Your level in the organisation: Choose an answer."]
    page.locator("#f-respondent-id-input").fill("nb-fl-99")
    page.locator("#f-respondent-level-input").select_option("front_line")
    page.locator("#f-respondent-organisation-input").fill("Northbridge Health")
    page.locator("#f-respondent-unit-input").fill("Ward 7")
    page.locator("#next").click()
    legend = page.locator("#f-context-protected_time legend")
    assert legend.text_content() == profiles.context_text("protected_time", "front_line")
    page.locator("#back").click()
    page.locator("#f-respondent-level-input").select_option("board")
    page.locator("#next").click()
    assert legend.text_content() == profiles.context_text("protected_time", "board")
    assert page.locator("#f-context-board_quality_time legend").text_content().startswith(
        "As a board, we give")
    for i, key in enumerate(profiles.context_items):
        page.locator(f'input[name="context.{key}"][value="{"na" if i == 3 else 1 + i % 5}"]').check()
    page.locator("#next").click()
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    with page.expect_download() as info:
        page.locator("#download").click()
    assert re.fullmatch(r"qim-context-nb-fl-99-\d{4}-\d{2}-\d{2}\.toml", info.value.suggested_filename)
    sheet = tmp_path / info.value.suggested_filename
    info.value.save_as(sheet)
    check = runner.invoke(app, ["validate", "--complete", str(sheet)])
    assert check.exit_code == 0, check.stderr
    assert "valid (context sheet, nb-fl-99, board member, 9 of 10 questions answered, 1 marked" in check.stdout
    data = _data(sheet)
    assert data["kind"] == "context"
    assert data["respondent"] == {"id": "nb-fl-99", "level": "board",
                                  "organisation": "Northbridge Health", "unit": "Ward 7"}
    assert data["context"]["middle_managers_aligned"] == "na"
    assert problems == []


def test_the_context_form_fits_a_phone(tmp_path, new_page):
    page = new_page(make_form(tmp_path, "--context"), width=390, height=844)
    assert scroll_width(page) <= 390
    page.evaluate("() => { document.querySelectorAll('section.page').forEach((p, i) => p.hidden = i !== 1); }")
    assert scroll_width(page) <= 390
    assert axe_violations(page) == [], describe_violations(axe_violations(page))


@pytest.mark.parametrize("table", ["respondent", "rater"])
def test_organisation_and_unit_are_asked_by_the_forms_and_limited_to_a_hundred_characters(tmp_path, new_page, table):
    page = new_page(make_form(tmp_path, *(["--rater"] if table == "rater" else [])))
    box = page.locator(f"#f-{table}-organisation-input")
    box.fill("N" * 101)
    page.locator("#next").click()
    assert "Your organisation (optional): Use at most 100 characters." in page.locator(
        "#errors-list").inner_text()
