"""The helpers of tests/browser.py find what they are for, on small hand-written pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
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

# the CSP of qim's own HTML reports: axe must still run under it
CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
PIXEL = "data:image/gif;base64,R0lGODlhAQABAAAAACw="


def page_html(body: str, *, head: str = "", title: str = "A test page") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{CSP}\n'
            f"<title>{title}</title>\n{head}</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


VALID = page_html('<h1>Plan</h1>\n<p>Some text.</p>\n<img src="' + PIXEL + '" alt="A dot">')


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("width", WIDTHS)
def test_new_page_has_the_asked_width(new_page, tmp_path, width):
    page = new_page(write(tmp_path, "ok.html", VALID), width=width)
    assert page.evaluate("() => window.innerWidth") == width
    assert page.title() == "A test page"


def test_axe_finds_an_image_without_alt(new_page, tmp_path):
    page = new_page(write(tmp_path, "bad.html", page_html(f'<h1>Plan</h1>\n<img src="{PIXEL}" id="dot">')))
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["image-alt"], describe_violations(violations)
    assert violations[0]["nodes"][0]["target"] == ["#dot"]
    assert "image-alt" in describe_violations(violations) and "#dot" in describe_violations(violations)


def test_axe_finds_low_contrast_only_for_the_tags_asked(new_page, tmp_path):
    grey = page_html('<h1>Plan</h1>\n<p style="color:#bbb;background:#fff">Pale text.</p>')
    page = new_page(write(tmp_path, "grey.html", grey))
    assert [v["id"] for v in axe_violations(page)] == ["color-contrast"]
    assert axe_violations(page, tags=("wcag2a",)) == []  # contrast is an AA rule


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_passes_a_valid_page(new_page, tmp_path, width):
    page = new_page(write(tmp_path, "ok.html", VALID), width=width)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


@pytest.mark.browser
def test_vnu_flags_an_invalid_page_and_passes_a_valid_one(tmp_path):
    bad = write(tmp_path, "bad.html", "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
                "</head>\n<body><p>Text <div>block in a paragraph</div></p></body>\n</html>\n")
    ok = write(tmp_path, "ok.html", VALID)
    errors = vnu_errors(ok, bad)  # one JVM for both files
    assert any("missing a required instance of child element “title”" in e for e in errors), errors
    assert any("No “p” element in scope" in e for e in errors), errors
    assert all(e.startswith("bad.html:") for e in errors), errors  # none about ok.html


@pytest.mark.browser
def test_a_two_page_document_prints_on_two_a5_pages(tmp_path):
    html = page_html(
        '<section class="sheet"><h1>First page</h1><p>Alpha marker one.</p></section>\n'
        '<section class="sheet"><h2>Second page</h2><p>Omega marker two.</p></section>',
        head="<style>@page { size: A5; margin: 15mm } .sheet { break-after: page }"
             " .sheet:last-child { break-after: auto }</style>\n",
    )
    pdf = print_pdf(write(tmp_path, "doc.html", html), tmp_path / "doc.pdf")
    assert pdf == tmp_path / "doc.pdf" and pdf.stat().st_size > 0
    assert pdf_pages(pdf) == 2
    first, second = pdf_text(pdf).split("\f")[:2]
    assert "Alpha marker one." in first and "Omega marker two." not in first
    assert "Omega marker two." in second
    # the CSS page size won over the A4 default
    info = subprocess.run([shutil.which("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    assert "(A5)" in info.stdout, info.stdout


@pytest.mark.browser
def test_a_page_with_no_page_size_prints_on_a4(tmp_path):
    pdf = print_pdf(write(tmp_path, "ok.html", VALID), tmp_path / "ok.pdf")
    assert pdf_pages(pdf) == 1
    assert "Some text." in pdf_text(pdf)
    info = subprocess.run([shutil.which("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout, info.stdout


def test_scroll_width_shows_a_sideways_scroll_on_a_phone(new_page, tmp_path):
    wide = write(tmp_path, "wide.html", page_html('<div style="width:900px">A wide table</div>'))
    narrow = write(tmp_path, "ok.html", VALID)
    assert scroll_width(new_page(wide, width=390)) == 8 + 900  # the body's left margin, then the div
    assert scroll_width(new_page(narrow, width=390)) == 390
    assert scroll_width(new_page(wide, width=1280)) == 1280


def test_tests_using_the_browser_are_marked(request, new_page):
    # no marker written on this test: using the fixture is enough
    assert request.node.get_closest_marker("browser") is not None
