"""`qim form` in Chromium: filled by keyboard, reloaded midway, downloaded, then checked by
qim; axe-core finds no WCAG 2.1 AA violation, on a desktop and on a phone; the Nu Html
Checker finds no error."""

from __future__ import annotations

import datetime
import json
import re
import tomllib

import pytest
from conftest import EXAMPLES
from support.browser import axe_violations, describe_violations, scroll_width, vnu_errors
from support.forms import make_form
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()
NURSE = EXAMPLES / "nurse-early-career.toml"


# --- in a browser: filled by keyboard, reloaded midway, downloaded, validated ----------------

def _focused(page) -> dict:
    return page.evaluate("() => { const e = document.activeElement;"
                         " return {tag: e.tagName, type: e.type || '', name: e.name || '', id: e.id}; }")


def _tab_to(page, predicate, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = _focused(page)
        if predicate(now):
            return now
    raise AssertionError(f"Tab never reached the element (last: {now})")


def _answer_page_by_keyboard(page, wanted: dict[str, object], skip: str = "") -> list[str]:
    """Tab to every question of the page shown (but skip) and type its answer's key."""
    keys = page.evaluate(
        "() => Array.from(document.querySelectorAll('section.page:not([hidden]) fieldset.q'))"
        ".map(f => f.dataset.key)")
    for key in keys:
        if key == skip or key.startswith("scenarios."):  # the scenarios are optional
            continue
        _tab_to(page, lambda f, key=key: f["type"] == "radio" and f["name"] == key)
        value = wanted[key]
        page.keyboard.press("n" if value == "na" else str(value))
        assert page.locator(f'input[name="{key}"]:checked').get_attribute("value") == str(value)
    return keys


def _next(page) -> None:
    _tab_to(page, lambda f: f["id"] == "next", limit=60)  # the scenarios page has 42 stops
    page.keyboard.press("Enter")


def _label(page) -> str:
    return page.locator("#progress-label").text_content()


def test_form_filled_by_keyboard_reloaded_midway_downloads_a_sheet_qim_accepts(tmp_path, new_page, profiles):
    form = make_form(tmp_path)
    page = new_page(form)
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    assert axe_violations(page) == [], describe_violations(axe_violations(page))

    nurse = tomllib.loads(NURSE.read_text(encoding="utf-8"))
    wanted = {f"{table}.{k}": v for table in ("answers", "importance", "context")
              for k, v in nurse[table].items()}

    # page 1 by keyboard; an id qim would refuse is refused here too, with the CLI's rule
    _tab_to(page, lambda f: f["id"] == "f-respondent-id-input")
    page.keyboard.type("rn ward7!")
    _tab_to(page, lambda f: f["id"] == "f-respondent-name-input")
    page.keyboard.type('Aroha "Ro" Ngata')
    _tab_to(page, lambda f: f["id"] == "f-respondent-background-input")
    page.keyboard.press("ArrowDown")  # Clinical QIM
    _tab_to(page, lambda f: f["id"] == "f-respondent-role-input")
    page.keyboard.press("ArrowDown")  # the first clinical role: nurse
    _tab_to(page, lambda f: f["id"] == "f-respondent-years_as_qim-input")
    page.keyboard.type("2,5")  # a decimal comma, as qim assess takes it
    _tab_to(page, lambda f: f["id"] == "f-respondent-years_in_healthcare-input")
    page.keyboard.type("14")  # optional: years in healthcare in any role
    _tab_to(page, lambda f: f["id"] == "f-respondent-setting-input")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # rural
    _next(page)
    assert page.locator("#errors").is_visible()
    assert _focused(page)["id"] == "errors"
    assert page.locator("#errors-list").inner_text() == (
        'Your id for this self-check: Use only letters, digits, ".", "_" or "-", starting with a '
        "letter or digit (at most 64).")
    assert page.locator("#f-respondent-id-input").get_attribute("aria-invalid") == "true"
    page.locator("#errors-list a").press("Enter")  # the link takes the focus to the field
    assert _focused(page)["id"] == "f-respondent-id-input"
    page.keyboard.press("Control+A")
    page.keyboard.type("rn-ward7")
    _next(page)
    assert _label(page) == "Page 2 of 8: QI expertise"
    assert _focused(page)["id"] == "page-1-title"

    # a question left out stops the page, like qim assess asks again
    _answer_page_by_keyboard(page, wanted, skip="answers.qm_04")
    _next(page)
    assert _label(page).startswith("Page 2 of 8")
    assert page.locator("#errors-list").inner_text().endswith(": Choose an answer.")
    assert page.locator("#f-answers-qm_04-error").text_content() == "Choose an answer."
    page.locator("#errors-list a").press("Enter")
    assert _focused(page)["name"] == "answers.qm_04"
    page.keyboard.press(str(wanted["answers.qm_04"]))
    assert page.locator("#f-answers-qm_04-error").is_hidden()  # cleared as soon as it is answered
    _next(page)
    assert _label(page).startswith("Page 3 of 8")

    # reload midway: every answer and the page are still there
    _answer_page_by_keyboard(page, {**wanted})
    count = page.locator("#progress-count").text_content()
    page.reload()
    assert _label(page).startswith("Page 3 of 8")
    assert page.locator("#progress-count").text_content() == count
    assert page.locator("#status").text_content() == "Your earlier answers were restored from this browser."
    assert page.locator("#f-respondent-id-input").input_value() == "rn-ward7"
    assert page.locator('input[name="answers.hc_01"]:checked').get_attribute("value") == str(wanted["answers.hc_01"])
    _next(page)
    while not page.locator("#download").is_visible():
        _answer_page_by_keyboard(page, wanted)
        if page.locator("#next").is_visible():
            _next(page)
        assert not page.locator("#errors").is_visible(), page.locator("#errors-list").inner_text()
    assert _label(page) == "Page 8 of 8: Check and download"
    assert page.locator("#progress-count").text_content().startswith("60 of 60 questions answered")
    _tab_to(page, lambda f: f["id"] == "f-notes-input")
    page.keyboard.type('Projects on the renal ward; a "six-month" course\\n')
    page.keyboard.press("Enter")
    page.keyboard.type("Line two.")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    _tab_to(page, lambda f: f["id"] == "download")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert re.fullmatch(r"qim-rn-ward7-\d{4}-\d{2}-\d{2}\.toml", download.suggested_filename)
    sheet = tmp_path / download.suggested_filename
    download.save_as(sheet)

    # qim accepts it unchanged
    check = runner.invoke(app, ["validate", "--complete", str(sheet)])
    assert check.exit_code == 0, check.stderr
    answered = sum(isinstance(v, int) for v in nurse["answers"].values())
    na = sum(v == "na" for v in nurse["answers"].values())
    marked = f', {na} marked "na"' if na else ""
    assert f"valid (rn-ward7, clinical, {answered} of 40 items answered{marked})" in check.stdout
    report = runner.invoke(app, ["report", str(sheet), "--format", "json"])
    assert report.exit_code == 0, report.stderr
    result = json.loads(report.stdout)
    assert result["respondent"]["career_stage"] == "early_career"
    data = tomllib.loads(sheet.read_text(encoding="utf-8"))
    today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    assert data["assessed_on"] == datetime.date(*today)  # like qim assess: the day it was done
    assert download.suggested_filename == f"qim-rn-ward7-{data['assessed_on'].isoformat()}.toml"
    assert data["respondent"] == {"id": "rn-ward7", "name": 'Aroha "Ro" Ngata', "background": "clinical",
                                  "role": "nurse", "years_as_qim": 2.5, "years_in_healthcare": 14.0,
                                  "setting": "rural"}
    assert result["respondent"]["years_in_healthcare"] == 14.0
    for table in ("answers", "importance", "context"):
        assert data[table] == nurse[table]
    assert "scenarios" not in data  # the optional scenarios page was passed over
    assert data["notes"] == 'Projects on the renal ward; a "six-month" course\\n\nLine two.'

    # offline: the page asked for nothing but itself; no script or policy error
    assert {u.split(":", 1)[0] for u in requests} <= {"file", "blob"}, requests
    assert problems == []


def test_rating_form_downloads_a_rating_that_joins_the_360_report(tmp_path, new_page, profiles):
    page = new_page(make_form(tmp_path, "--rater"))
    page.locator("#f-subject-input").fill("rn-ward7")
    page.locator("#f-rater-role-input").select_option("peer")
    page.locator("#f-rater-id-input").fill("p9")
    page.locator("#next").click()
    for _ in range(10):
        if page.locator("#download").is_visible():
            break
        for key in page.evaluate("() => Array.from(document.querySelectorAll("
                                 "'section.page:not([hidden]) fieldset.q')).map(f => f.dataset.key)"):
            page.locator(f'input[name="{key}"][value="4"]').check()
        page.locator("#next").click()
    page.locator("#back").click()  # the 360° comments are on the page before the last one
    assert page.locator("#progress-label").text_content().endswith(": Comments")
    page.locator("#f-comments-strengths-input").fill("Knows every ward's routine.\nAsks before changing anything.")
    page.locator("#next").click()
    with page.expect_download() as info:
        page.locator("#download").click()
    assert info.value.suggested_filename == "qim-rating-rn-ward7-peer-p9.toml"
    sheet = tmp_path / "ratings" / info.value.suggested_filename
    sheet.parent.mkdir()
    info.value.save_as(sheet)
    check = runner.invoke(app, ["validate", str(sheet)])
    assert check.exit_code == 0 and "rating of rn-ward7 by peer, 40 of 40 items answered" in check.stdout
    rating = tomllib.loads(sheet.read_text(encoding="utf-8"))
    assert rating["rater"] == {"role": "peer", "id": "p9"}
    assert rating["comments"] == {"strengths": "Knows every ward's routine.\nAsks before changing anything."}
    report = runner.invoke(app, ["report", str(EXAMPLES / "360"), str(sheet.parent), "--format", "json"])
    assert report.exit_code == 0, report.stderr


@pytest.mark.parametrize("rater", [False, True])
def test_form_is_readable_on_a_phone_and_accessible(tmp_path, new_page, rater):
    page = new_page(make_form(tmp_path, *(["--rater"] if rater else [])), width=390, height=844)
    assert scroll_width(page) <= 390
    # every input has a name a screen reader reads: a label, or a radio inside its label
    unlabelled = page.evaluate(
        "() => Array.from(document.querySelectorAll('input, select, textarea'))"
        ".filter(e => !(e.labels && e.labels.length)).map(e => e.name || e.id)")
    assert unlabelled == []
    page.locator("#next").click()  # the error summary, too, must pass
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    page.evaluate("() => { document.querySelectorAll('section.page').forEach((p, i) => p.hidden = i !== 1); }")
    assert scroll_width(page) <= 390
    assert axe_violations(page) == [], describe_violations(axe_violations(page))


def test_both_forms_are_valid_html(tmp_path):
    assert vnu_errors(make_form(tmp_path), make_form(tmp_path, "--rater", name="rating.html")) == []


# --- the optional scenarios page -----------------------------------------------------------

def _to_scenarios(page, nurse: dict) -> None:
    """Fill the details and every question (by mouse: the keyboard is tested above), then
    stop at the scenarios page."""
    page.locator("#f-respondent-id-input").fill("rn-ward7")
    page.locator("#f-respondent-background-input").select_option("clinical")
    page.locator("#f-respondent-role-input").select_option("nurse")
    page.locator("#f-respondent-years_as_qim-input").fill("3")
    page.locator("#next").click()
    while not _label(page).endswith(": Scenarios (optional)"):
        for key in page.evaluate("() => Array.from(document.querySelectorAll("
                                 "'section.page:not([hidden]) fieldset.q')).map(f => f.dataset.key)"):
            table, name = key.split(".")
            page.locator(f'input[name="{key}"][value="{nurse[table][name]}"]').check()
        page.locator("#next").click()


def _error(page, key: str) -> str | None:
    line = page.locator(f"#f-{key.replace('.', '-')}-error")
    return line.text_content() if line.is_visible() else None


def test_scenarios_are_optional_checked_like_import_and_written_as_the_sheets_section(tmp_path, new_page, profiles):
    page = new_page(make_form(tmp_path))
    nurse = tomllib.loads(NURSE.read_text(encoding="utf-8"))
    _to_scenarios(page, nurse)
    assert page.locator("section.page:not([hidden]) .lead").first.text_content().startswith(
        "This page is optional")
    assert page.locator("section.page:not([hidden]) .scenario").count() == len(profiles.scenarios)
    assert axe_violations(page) == [], describe_violations(axe_violations(page))

    # by keyboard: Tab to the first scenario's "most likely", a letter answers, Tab on to the next group
    first = "scenarios.sc_healthcare_context_1"
    _tab_to(page, lambda f: f["type"] == "radio" and f["name"] == f"{first}.best")
    page.keyboard.press("c")
    assert page.locator(f'input[name="{first}.best"]:checked').get_attribute("value") == "c"
    # only the most likely: Next stops, and says so next to the missing pick (Next is 40
    # Tab stops away on this page: focused directly, pressed by keyboard)
    page.locator("#next").focus()
    page.keyboard.press("Enter")
    assert _label(page).endswith(": Scenarios (optional)")
    assert _error(page, f"{first}.worst") == (
        "Choose the response you would least likely give as well, or clear this scenario.")
    assert page.locator("#errors-list").inner_text() == (
        "Theatre turnaround in your first month. Which response would you be least likely to give?: "
        "Choose the response you would least likely give as well, or clear this scenario.")
    page.locator("#errors-list a").press("Enter")
    assert _focused(page)["name"] == f"{first}.worst"
    page.keyboard.press("c")  # the same letter as the most likely one
    assert _error(page, f"{first}.worst") == "Choose a response other than your most likely one (both are c)."
    page.keyboard.press("b")
    assert _error(page, f"{first}.worst") is None  # cleared as soon as it is put right

    # a second scenario begun, then cleared with its button: it is simply not answered
    second = "scenarios.sc_qi_methods_1"
    _tab_to(page, lambda f: f["type"] == "radio" and f["name"] == f"{second}.worst")
    page.keyboard.press("a")
    _tab_to(page, lambda f: f["id"] == "" and f["tag"] == "BUTTON")  # its "Clear" button
    assert page.evaluate("() => document.activeElement.dataset.scenario") == "sc_qi_methods_1"
    page.keyboard.press("Enter")
    assert page.locator(f'input[name="{second}.worst"]:checked').count() == 0
    assert page.locator("#status").text_content() == "Your answers to this scenario were cleared."
    # a third by mouse; the answers survive a reload
    page.locator('input[name="scenarios.sc_trustworthiness_2.best"][value="d"]').check()
    page.locator('input[name="scenarios.sc_trustworthiness_2.worst"][value="a"]').check()
    page.reload()
    assert page.locator(f'input[name="{first}.worst"]:checked').get_attribute("value") == "b"
    page.locator("#next").click()
    assert _label(page).endswith(": Check and download")
    with page.expect_download() as info:
        page.locator("#download").click()
    sheet = tmp_path / info.value.suggested_filename
    info.value.save_as(sheet)

    data = tomllib.loads(sheet.read_text(encoding="utf-8"))
    assert data["scenarios"] == {"sc_healthcare_context_1": {"best": "c", "worst": "b"},
                                 "sc_trustworthiness_2": {"best": "d", "worst": "a"}}
    check = runner.invoke(app, ["validate", "--complete", str(sheet)])
    assert check.exit_code == 0, check.stderr
    report = runner.invoke(app, ["report", str(sheet), "--format", "json"])
    assert report.exit_code == 0, report.stderr
    calibration = json.loads(report.stdout)["calibration"]
    assert (calibration["answered"], calibration["offered"]) == (2, len(profiles.scenarios))


def test_the_scenarios_page_fits_a_phone_and_is_accessible(tmp_path, new_page):
    page = new_page(make_form(tmp_path), width=390, height=844)
    titles = page.evaluate("() => Array.from(document.querySelectorAll('section.page h2')).map(h => h.textContent)")
    shown = titles.index("Scenarios (optional)")
    assert shown == len(titles) - 2  # after the questions, before the last page
    page.evaluate(f"() => {{ document.querySelectorAll('section.page').forEach((p, i) => p.hidden = i !== {shown}); }}")
    page.locator('input[name="scenarios.sc_qi_methods_1.best"][value="b"]').check()
    page.locator('input[name="scenarios.sc_qi_methods_1.worst"][value="b"]').check()  # an error shown
    assert page.locator("#f-scenarios-sc_qi_methods_1-worst-error").is_visible()
    assert scroll_width(page) <= 390
    unlabelled = page.evaluate(
        "() => Array.from(document.querySelectorAll('section.page:not([hidden]) input'))"
        ".filter(e => !(e.labels && e.labels.length)).map(e => e.name)")
    assert unlabelled == []
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
