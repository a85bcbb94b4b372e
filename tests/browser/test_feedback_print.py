"""The 360° report as people share it: printed on A4 by Chromium and read back from the PDF,
on a 390 px phone, checked by axe-core and the Nu Html Checker, with the anonymity threshold
and the Markdown's sections held to what the HTML shows.

Two 360 sets: the example (examples/360) and the longest report we print
(tests/feedback_worst.py: every competency rated higher by oneself or a hidden strength, four rater
groups shown, every colleague writing both comments)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES
from support.browser import (
    axe_violations,
    describe_violations,
    open_page,
    pdf_pages,
    pdf_text,
    print_pdf,
    scroll_width,
    vnu_errors,
)
from support.feedback_worst import ARGS as WORST_ARGS
from support.feedback_worst import GROUPS, write_worst_case
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()
FOOTER = re.compile(r"Page (\d+) of (\d+)")
WHO = "Aroha Ngata (rn-ward7) · assessed 2 Mar 2026"
#: the most pages each prints on (it was 7 and 8); the worst case holds a third more text than
#: the example, which fills four pages: it could reach four only in type too small to read
#: (the worst case filled its fifth page to the last line; the sentence on each score's
#: measurement error and the footer line every report ends with take it onto a sixth)
MAX_PAGES = {"example": 4, "worst": 6}
#: A4 less the 360 report's side margins (10 mm each), in CSS pixels
PRINT_WIDTH = round((210 - 20) / 25.4 * 96)


def _args(name: str, folder: Path) -> list[str]:
    if name == "example":
        return [str(EXAMPLES / "360")]
    return [str(write_worst_case(folder / "worst-set")), *WORST_ARGS]


@pytest.fixture(scope="module")
def sets(tmp_path_factory) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("sets")
    return {name: _args(name, folder) for name in MAX_PAGES}


def _report(args: list[str], fmt: str) -> str:
    result = runner.invoke(app, ["report", *args, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def reports(sets, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    out = {}
    for name, args in sets.items():
        out[name] = folder / f"{name}.html"
        out[name].write_text(_report(args, "html"), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def printed(reports, tmp_path_factory) -> dict[str, tuple[int, list[str]]]:
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name, html in reports.items():
        pdf = print_pdf(html, folder / f"{name}.pdf")
        texts = [t for t in pdf_text(pdf).split("\f") if t.strip()]
        out[name] = (pdf_pages(pdf), texts)
    return out


@pytest.fixture(scope="module")
def feedback(sets) -> dict[str, dict]:
    return {name: json.loads(_report(args, "json")) for name, args in sets.items()}


def _page(html: Path, *, width: int, media: str = "screen"):
    page = open_page(html, width=width)
    page.emulate_media(media=media)
    return page


# --- the sets are what they claim to be ---------------------------------------------------

def test_the_worst_case_disagrees_everywhere_with_every_group_shown(feedback):
    fb = feedback["worst"]
    assert {c["agreement"] for c in fb["competencies"]} <= {"self_higher", "hidden_strength"}
    assert {g["group"] for g in fb["groups"] if g["shown"]} == set(GROUPS)
    assert fb["raters"] == 12 and len(fb["comments"]["strengths"]) == len(fb["comments"]["develop"]) == 12


# --- paper ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_prints_on_a4_within_its_page_budget(printed, name):
    pages, texts = printed[name]
    assert 1 <= pages <= MAX_PAGES[name]
    assert len(texts) == pages


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_every_page_has_the_footer(printed, name):
    pages, texts = printed[name]
    for number, text in enumerate(texts, start=1):
        footer = next(line for line in reversed(text.splitlines()) if line.strip())
        assert FOOTER.search(footer).groups() == (str(number), str(pages)), footer
        assert WHO in footer


def _words(text: str) -> Counter:
    return Counter(w.casefold() for w in re.findall(r"\w+", text))


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_everything_on_screen_is_printed(reports, printed, name):
    """Every word of the page as a desktop shows it is in the PDF, as often as on screen."""
    page = _page(reports[name], width=1280)
    # the one thing not printed where the screen shows it, the qim version, is printed in Sources;
    # "Why" is the button that opens an explanation (printed open); a chart label's lines are words
    hidden = page.eval_on_selector_all(".no-print", "els => els.map(e => e.innerText)")
    screen = page.evaluate("""() => {
      document.querySelectorAll('.no-print, summary').forEach(e => e.remove());
      document.querySelectorAll('tspan').forEach(e => e.append(' '));
      return document.querySelector('main').innerText; }""")
    page.context.close()
    paper = _words("\n".join(printed[name][1]))
    missing = {w: n - paper[w] for w, n in _words(screen).items() if paper[w] < n}
    assert missing == {}, " ".join(f"{w}×{n}" for w, n in sorted(missing.items()))
    version = re.search(r"qim (\d+\.\d+\.\d+)", "".join(hidden)).group(1)
    assert f"qim {version}" in " ".join(" ".join(printed[name][1]).split())


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_nothing_is_wider_than_the_page(reports, name):
    page = _page(reports[name], width=PRINT_WIDTH, media="print")
    assert scroll_width(page) <= PRINT_WIDTH
    widest = page.evaluate("() => Math.max(...[...document.querySelectorAll('main *')]"
                           ".map(e => e.getBoundingClientRect().right))")
    # a numbered list's marker ("10.") stands to the left of its item: it must stay on the page
    clipped = page.evaluate("""() => [...document.querySelectorAll('main ol > li')].filter((li, _) => {
        const probe = document.createElement('span');
        probe.textContent = (li.value || [...li.parentElement.children].indexOf(li) + 1) + '. ';
        probe.style.font = getComputedStyle(li).font;
        probe.style.whiteSpace = 'pre';
        document.body.append(probe);
        const width = probe.getBoundingClientRect().width;
        probe.remove();
        return li.getBoundingClientRect().left < width;
      }).map(li => li.innerText.slice(0, 40))""")
    page.context.close()
    assert widest <= PRINT_WIDTH + 0.5
    assert clipped == []


def _rows(html: Path, table: str) -> list[list[str]]:
    page = _page(html, width=PRINT_WIDTH, media="print")
    rows = page.eval_on_selector_all(
        f"{table} tbody tr:not(.theme)", "trs => trs.map(tr => [...tr.cells].map(c => c.innerText.trim()))")
    # Chromium keeps a row whole on a page when the print styles ask it to
    breaks = page.eval_on_selector_all(f"{table} tr", "trs => trs.map(tr => getComputedStyle(tr).breakInside)")
    page.context.close()
    assert set(breaks) == {"avoid"}
    return rows


@pytest.mark.parametrize("name", list(MAX_PAGES))
@pytest.mark.parametrize("table", ["#feedback-table", "#profile-table"])
def test_no_table_row_is_split_across_pages(reports, printed, name, table):
    """Each row's figures are on one printed line, under the first word of its competency,
    and that line is on one page."""
    _, texts = printed[name]
    for cells in _rows(reports[name], table):
        label, figures = cells[0].split()[0], " ".join(" ".join(cells[1:3]).split())
        hits = [n for n, text in enumerate(texts, start=1)
                for line in text.splitlines()
                if figures in " ".join(line.split()) and label in line.split()]
        assert hits, (table, cells)


def _headings(html: Path) -> list[str]:
    page = _page(html, width=1280, media="print")
    out = page.eval_on_selector_all("main h1, main h2, main h3, main h4",
                                    "els => els.map(e => e.innerText.replace(/\\s+/g, ' ').trim())")
    page.context.close()
    return [h for h in out if h]


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_no_heading_ends_a_page(reports, printed, name):
    headings = _headings(reports[name])
    _, texts = printed[name]
    for number, text in enumerate(texts[:-1], start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        last = [line for line in lines if not FOOTER.search(line)][-1]
        # two columns print side by side (apart by a run of spaces): a heading may end either
        for end in [" ".join(last.split()), *(" ".join(c.split()) for c in re.split(r"\s{3,}", last))]:
            assert not any(end == h or end.endswith(" " + h) for h in headings), (number, end)


# --- a phone --------------------------------------------------------------------------------

SMALL_TEXT = """() => {
  const small = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.getClientRects().length || el.closest('#radar')) continue;
    let px = parseFloat(getComputedStyle(el).fontSize);
    const m = el.closest('svg') && el.getScreenCTM();
    if (m) px *= Math.hypot(m.a, m.b);
    if (px < 15.95) small.push(`${el.tagName}.${el.getAttribute('class') || ''} ${px.toFixed(1)}px: ${n.textContent.trim().slice(0, 30)}`);
  }
  return small;
}"""


@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_on_a_phone_nothing_scrolls_sideways_and_text_is_16px(reports, name, tmp_path):
    page = _page(reports[name], width=390)
    assert scroll_width(page) <= 390
    assert page.eval_on_selector(".table-wrap", "e => e.scrollWidth <= e.clientWidth")  # no inner scroll either
    # the radar chart scales with the screen (its figures are in the table below it)
    assert page.evaluate(SMALL_TEXT) == []
    # the colleagues' table becomes labelled rows: each figure says what it is
    labels = page.eval_on_selector_all(
        "#feedback-table tbody tr:first-child td",
        "tds => tds.map(td => getComputedStyle(td, '::before').content)")
    assert labels[:2] == ['"Self "', '"All colleagues "']
    shot = tmp_path / "phone.png"
    page.screenshot(path=str(shot), full_page=True)
    width = int.from_bytes(shot.read_bytes()[16:20], "big")  # the PNG header's width
    page.context.close()
    assert width == 390


# --- accessibility and validity ---------------------------------------------------------------

@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_wcag_21_aa(reports, name, width, media):
    page = _page(reports[name], width=width, media=media)
    violations = axe_violations(page)
    page.context.close()
    assert violations == [], describe_violations(violations)


def test_valid_html(reports):
    assert vnu_errors(*reports.values()) == []


# --- anonymity: the HTML shows the groups and comments the JSON does, no more -----------------

@pytest.mark.parametrize("extra", [[], ["--min-raters", "2"], ["--show-line-manager"]])
def test_a_group_below_the_threshold_never_appears_on_its_own(extra, tmp_path):
    args = [str(EXAMPLES / "360"), *extra]
    fb = json.loads(_report(args, "json"))
    shown = [g["label"] for g in fb["groups"] if g["shown"]]
    hidden = [g["label"] for g in fb["groups"] if not g["shown"]]
    assert hidden  # each variant keeps at least one group back
    html = tmp_path / "r.html"
    html.write_text(_report(args, "html"), encoding="utf-8")
    page = _page(html, width=1280)
    head = page.eval_on_selector_all("#feedback-table thead th", "ths => ths.map(th => th.innerText)")
    legend = page.eval_on_selector_all(".dot-legend li", "lis => lis.map(li => li.innerText.trim())")
    cells = page.eval_on_selector_all("#feedback-table td[data-label]",
                                      "tds => [...new Set(tds.map(td => td.dataset.label))]")
    series = page.eval_on_selector_all(".dot-track svg[class^=series-]",
                                       "els => [...new Set(els.map(e => e.getAttribute('class')))]")
    comments = page.eval_on_selector_all(".comments li", "lis => lis.map(li => li.textContent)")
    page.context.close()
    assert head[3:3 + len(shown)] == shown and not set(hidden) & set(head)
    assert legend == ["Self", "All colleagues", *shown]
    assert cells == ["Self", "All colleagues", *shown, "Others − self", "Agreement", "Spread", "View used"]
    assert sorted(series) == sorted(["series-self", "series-others",
                                     *(f"series-{g['group']}" for g in fb["groups"] if g["shown"])])
    assert comments == fb["comments"]["strengths"] + fb["comments"]["develop"]


# --- Markdown: the same sections ------------------------------------------------------------

@pytest.mark.parametrize("name", list(MAX_PAGES))
def test_markdown_has_the_html_sections(reports, sets, name):
    page = _page(reports[name], width=1280)
    sections = page.eval_on_selector_all("main h2", "els => els.map(e => '## ' + e.innerText.trim())")
    lists = page.eval_on_selector_all("#behaviours h3, #comments h3",
                                      "els => els.map(e => '### ' + e.innerText.trim())")
    page.context.close()
    md = _report(sets[name], "markdown").splitlines()
    assert sorted(line for line in md if line.startswith("## ")) == sorted(sections)
    start, end = md.index("## Behaviour by behaviour"), md.index("## Competency profile")
    assert [line for line in md[start:end] if line.startswith("### ")] == lists
