"""The HTML reports as people see them, in a real Chromium: on a phone and a desktop, printed
on A4, and checked by axe-core (WCAG 2.1 AA) and the Nu Html Checker."""

from __future__ import annotations

import re
from datetime import date
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
from qim_cli.render.text import date_words as fmt_date

runner = CliRunner()
NURSE = EXAMPLES / "nurse-early-career.toml"
COMMANDS = {
    "individual": ["report", str(NURSE)],
    "360": ["report", str(EXAMPLES / "360")],
    # with the scenarios section (calibration notes, tripwires)
    "scenarios": ["report", str(EXAMPLES / "process-engineer-new.toml")],
    "cohort": ["cohort", str(EXAMPLES / "cohort"), str(EXAMPLES / "360"), "--title", "2026 QIM cohort"],
    # one person a year on: the review of last year's plan, for the appraisal
    "compare": ["compare", str(NURSE), str(EXAMPLES / "nurse-early-career-2027.toml")],
    # a programme a year on: its change tables turn into labelled rows on a phone
    "compare-cohort": ["compare-cohort", str(EXAMPLES / "cohort"), str(EXAMPLES / "cohort-after")],
}
FOOTER = re.compile(r"Page (\d+) of (\d+)")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for name, args in COMMANDS.items():
        path = folder / f"{name}.html"
        result = runner.invoke(app, [*args, "--format", "html", "-o", str(path)])
        assert result.exit_code == 0, result.stderr
        out[name] = path
    return out


@pytest.fixture(scope="module")
def printed(reports, tmp_path_factory) -> dict[str, tuple[int, list[str]]]:
    """Each report printed to PDF by Chromium: (pages, the text of each page)."""
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name, html in reports.items():
        pdf = print_pdf(html, folder / f"{name}.pdf")
        pages = pdf_text(pdf).split("\f")
        out[name] = (pdf_pages(pdf), [p for p in pages if p.strip()])
    return out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_sideways_scrolling(reports, new_page, name, width):
    page = new_page(reports[name], width=width)
    assert scroll_width(page) <= width


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_wcag_21_aa(reports, new_page, name, width):
    violations = axe_violations(new_page(reports[name], width=width))
    assert violations == [], describe_violations(violations)


def test_valid_html(reports):
    assert vnu_errors(*reports.values()) == []


def test_nurse_report_prints_on_at_most_four_pages(printed):
    pages, _ = printed["individual"]
    assert 1 <= pages <= 4


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_printed_page_has_the_footer(printed, name):
    pages, texts = printed[name]
    assert len(texts) == pages
    who = {"individual": "Aroha Ngata (rn-ward7) · assessed 2 Mar 2026",
           "360": "Aroha Ngata (rn-ward7) · assessed 2 Mar 2026",
           "scenarios": "Mei Lin Chen (pe-newhire) · assessed 13 Apr 2026",
           "cohort": f"2026 QIM cohort · {fmt_date(date.today())}",
           "compare": "rn-ward7 · before and after · 2 Mar 2026 and 1 Mar 2027",
           "compare-cohort": "Programme: before and after"}[name]
    for number, text in enumerate(texts, start=1):
        footer = next(line for line in reversed(text.splitlines()) if line.strip())
        assert FOOTER.search(footer).groups() == (str(number), str(pages)), footer
        assert who in footer


def _headings(new_page, html: Path) -> list[str]:
    page = new_page(html)
    page.emulate_media(media="print")
    return page.eval_on_selector_all("main h1, main h2, main h3, main h4",
                                     "els => els.map(e => e.innerText.replace(/\\s+/g, ' ').trim())")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_heading_ends_a_page(reports, printed, new_page, name):
    headings = [h for h in _headings(new_page, reports[name]) if h]
    _, texts = printed[name]
    for number, text in enumerate(texts[:-1], start=1):
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not FOOTER.search(line)]
        last = body[-1]
        assert not any(last == h or last.endswith(" " + h) for h in headings), (number, last)


def _page_of(texts: list[str], line: str) -> int:
    """The 1-based page whose text holds this line (spaces normalised)."""
    want = " ".join(line.split())
    hits = [i for i, text in enumerate(texts, start=1) if want in " ".join(text.split())]
    assert hits, f"not printed: {want!r}"
    return hits[0]


def test_the_plan_is_on_one_page_and_page_one_is_the_summary(reports, printed, new_page):
    _, texts = printed["individual"]
    page = new_page(reports["individual"])
    page.emulate_media(media="print")
    plan = [line for line in page.inner_text("#plan").splitlines() if line.strip()]
    first, last = plan[0], plan[-1][-60:]
    assert _page_of(texts, first) == _page_of(texts, last) == 1
    one = " ".join(texts[0].split())
    for fact in ("Aroha Ngata (rn-ward7)", "Nurse", "Clinical QIM", "2 Mar 2026", "2026.2",
                 "Strengths to build on", "Development plan: 3 objectives",
                 "Organisational barriers to raise (0)"):
        assert fact in one, fact
    # the profile and the explanations come after the summary
    assert _page_of(texts, "Competency profile") > 1
    assert _page_of(texts, "Appendix: why this plan") > 1


def test_a_hostile_title_stays_text_in_the_page_and_its_footer(tmp_path, new_page):
    title = 'Q3 "cohort" </style><b id="x">bold</b> \\ end'
    html = tmp_path / "cohort.html"
    result = runner.invoke(app, ["cohort", str(EXAMPLES / "cohort"), "--title", title, "-f", "html",
                                 "-o", str(html)])
    assert result.exit_code == 0, result.stderr
    page = new_page(html)
    assert page.inner_text("h1") == title
    assert page.locator("#x").count() == 0  # no element was made from it
    texts = pdf_text(print_pdf(html, tmp_path / "cohort.pdf")).split("\f")
    footer = next(line for line in reversed(texts[0].splitlines()) if line.strip())
    assert f"{title} · {fmt_date(date.today())}" in footer
