"""`qim form` in Chromium: filled by keyboard, reloaded midway, downloaded, then checked by
qim; axe-core finds no WCAG 2.1 AA violation, on a desktop and on a phone; the Nu Html
Checker finds no error."""

from __future__ import annotations

import datetime
import json
import re
import tomllib

import pytest
from browser import axe_violations, describe_violations, scroll_width, vnu_errors
from conftest import EXAMPLES
from test_form import _form
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
        if key == skip:
            continue
        _tab_to(page, lambda f, key=key: f["type"] == "radio" and f["name"] == key)
        value = wanted[key]
        page.keyboard.press("n" if value == "na" else str(value))
        assert page.locator(f'input[name="{key}"]:checked').get_attribute("value") == str(value)
    return keys


def _next(page) -> None:
    _tab_to(page, lambda f: f["id"] == "next")
    page.keyboard.press("Enter")


def _label(page) -> str:
    return page.locator("#progress-label").text_content()


def test_form_filled_by_keyboard_reloaded_midway_downloads_a_sheet_qim_accepts(tmp_path, new_page, profiles):
    form = _form(tmp_path)
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
    assert _label(page) == "Page 2 of 7: QI expertise"
    assert _focused(page)["id"] == "page-1-title"

    # a question left out stops the page, like qim assess asks again
    _answer_page_by_keyboard(page, wanted, skip="answers.qm_04")
    _next(page)
    assert _label(page).startswith("Page 2 of 7")
    assert page.locator("#errors-list").inner_text().endswith(": Choose an answer.")
    assert page.locator("#f-answers-qm_04-error").text_content() == "Choose an answer."
    page.locator("#errors-list a").press("Enter")
    assert _focused(page)["name"] == "answers.qm_04"
    page.keyboard.press(str(wanted["answers.qm_04"]))
    assert page.locator("#f-answers-qm_04-error").is_hidden()  # cleared as soon as it is answered
    _next(page)
    assert _label(page).startswith("Page 3 of 7")

    # reload midway: every answer and the page are still there
    _answer_page_by_keyboard(page, {**wanted})
    count = page.locator("#progress-count").text_content()
    page.reload()
    assert _label(page).startswith("Page 3 of 7")
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
    assert _label(page) == "Page 7 of 7: Check and download"
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
    assert f"valid (rn-ward7, clinical, {answered} of 40 items answered)" in check.stdout
    report = runner.invoke(app, ["report", str(sheet), "--format", "json"])
    assert report.exit_code == 0, report.stderr
    result = json.loads(report.stdout)
    assert result["respondent"]["career_stage"] == "early_career"
    data = tomllib.loads(sheet.read_text(encoding="utf-8"))
    today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    assert data["assessed_on"] == datetime.date(*today)  # like qim assess: the day it was done
    assert download.suggested_filename == f"qim-rn-ward7-{data['assessed_on'].isoformat()}.toml"
    assert data["respondent"] == {"id": "rn-ward7", "name": 'Aroha "Ro" Ngata', "background": "clinical",
                                  "role": "nurse", "years_as_qim": 2.5, "setting": "rural"}
    for table in ("answers", "importance", "context"):
        assert data[table] == nurse[table]
    assert data["notes"] == 'Projects on the renal ward; a "six-month" course\\n\nLine two.'

    # offline: the page asked for nothing but itself; no script or policy error
    assert {u.split(":", 1)[0] for u in requests} <= {"file", "blob"}, requests
    assert problems == []


def test_rating_form_downloads_a_rating_that_joins_the_360_report(tmp_path, new_page, profiles):
    page = new_page(_form(tmp_path, "--rater"))
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
    page = new_page(_form(tmp_path, *(["--rater"] if rater else [])), width=390, height=844)
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
    assert vnu_errors(_form(tmp_path), _form(tmp_path, "--rater", name="rating.html")) == []
