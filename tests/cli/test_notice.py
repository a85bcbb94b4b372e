"""The collection notice, written once (framework/notice.py): at the start of `qim assess`,
on the first page of the offline form, as a descriptive field of the REDCap dictionary, in
the blank sheets, and as one line at the foot of every human-readable report."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.framework import notice

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_notice_says_what_ipp3_asks():
    text = notice.TEXT
    for point in ("What is collected:", "What it is for: development.",
                  "not for selection, performance ratings or disciplinary decisions",
                  "Who sees what:", "never what a person lacks", "answering is voluntary",
                  "see or correct what they hold",
                  "New Zealand Privacy Act 2020, information privacy principle 3"):
        assert point in text, point
    assert notice.FOOTER == ("For development, not performance management or selection: see "
                             "\"Using qim fairly\" (collection notice: NZ Privacy Act 2020, "
                             "IPP 3).")


@pytest.mark.parametrize("args", [[], ["--context"]])
def test_the_blank_sheets_carry_it_in_their_header(args):
    text = _run("template", *args)
    head = text.split("schema_version")[0]
    comments = _flat(" ".join(line.lstrip("#") for line in head.splitlines()))
    assert f"{notice.TITLE}:" in comments
    for paragraph in notice.PARAGRAPHS:
        assert _flat(paragraph) in comments


@pytest.mark.parametrize("args, shown", [([], True), (["--context"], True), (["--rater"], False)])
def test_the_form_shows_it_on_its_first_page(args, shown, tmp_path):
    out = tmp_path / "form.html"
    result = runner.invoke(app, ["form", *args, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    first = page[page.index('id="page-0"'):page.index('id="page-1"')]
    assert ('id="collection-notice"' in first) is shown
    assert page.count('id="collection-notice"') == (1 if shown else 0)
    if shown:
        assert notice.PARAGRAPHS[1] in first


@pytest.mark.parametrize("args", [[], ["--context"]])
def test_the_redcap_dictionary_has_it_as_a_descriptive_field(args):
    rows = list(csv.DictReader(io.StringIO(_run("export", "redcap", *args))))
    assert len(rows[0]) == 18  # REDCap's 18 columns
    # the record id stays first (REDCap requires it); the notice is next, before any question
    assert rows[0]["Variable / Field Name"] == "record_id"
    row = rows[1]
    assert (row["Variable / Field Name"], row["Field Type"]) == ("collection_notice", "descriptive")
    assert row["Field Label"].startswith("About your answers. What is collected:")
    assert row["Required Field?"] == "" and row["Choices, Calculations, OR Slider Labels"] == ""
    assert [r["Variable / Field Name"] for r in rows].count("collection_notice") == 1


def test_a_redcap_export_still_imports_without_the_notice_column(tmp_path):
    """A descriptive field holds no data: an export has no column for it."""
    from qim_cli.interop.redcap import BOOKKEEPING_RAW, NOTICE_FIELD

    assert NOTICE_FIELD not in BOOKKEEPING_RAW
    doc = _run("export", "redcap")
    assert "collection_notice" in doc


# --------------------------------------------------------------------------- report footers

FORMATS = ["table", "markdown", "html"]


def _reports(tmp_path):
    people = shutil.copytree(EXAMPLES / "cohort", tmp_path / "cohort")
    yield "person", ["report", str(EXAMPLES / "nurse-early-career.toml")], FORMATS
    yield "360", ["report", str(EXAMPLES / "360")], FORMATS
    yield "cohort", ["cohort", str(people)], FORMATS
    yield "compare", ["compare", str(EXAMPLES / "nurse-early-career.toml"),
                      str(EXAMPLES / "nurse-early-career-2027.toml")], FORMATS
    yield "compare-cohort", ["compare-cohort", str(people), str(EXAMPLES / "cohort-after")], \
        FORMATS
    yield "pair", ["pair", str(people)], ["table", "markdown"]


def test_every_human_readable_report_ends_with_the_footer(tmp_path):
    seen = 0
    for name, args, formats in _reports(tmp_path):
        for fmt in formats:
            text = _run(*args, "--format", fmt)
            flat = _flat(re.sub(r"<[^>]+>", " ", text).replace("&#34;", '"')
                         .replace("&quot;", '"').replace("&#39;", "'"))
            assert notice.FOOTER in flat, (name, fmt)
            if fmt != "html":  # the last thing said
                assert flat.endswith(notice.FOOTER), (name, fmt)
            seen += 1
        for data in ("json", "csv"):
            if name != "pair" or data:
                result = runner.invoke(app, [*args, "--format", data])
                if result.exit_code == 0:  # (not every report has CSV)
                    assert notice.FOOTER not in result.stdout, (name, data)
    assert seen == 17


def test_the_footer_is_in_the_json_of_no_report():
    doc = json.loads(_run("report", str(EXAMPLES / "nurse-early-career.toml"), "-f", "json"))
    assert "Using qim fairly" not in json.dumps(doc)
