"""Browser, HTML-checker and PDF helpers for the tests, on the machine's own tools.

Loaded as a pytest plugin by tests/conftest.py (``pytest_plugins = ["support.browser"]``), so its
fixtures are there in every test; import the plain helpers with ``from support.browser import ...``.

- ``browser`` (session fixture): a Playwright ``Browser`` on the system Chromium
  (/usr/bin/chromium); Playwright never downloads a browser of its own here.
- ``new_page`` (fixture): ``new_page(target=None, *, width=1280, height=800) -> Page``, a
  fresh context per page, closed after the test; ``target`` is a path or a URL.
  ``WIDTHS = (390, 1280)`` is a phone and a desktop, for ``parametrize``.
- ``axe_violations(page, tags=WCAG_TAGS) -> list[dict]``: axe-core's violations.
- ``vnu_errors(*html_paths) -> list[str]``: the Nu Html Checker's errors.
- ``print_pdf(html_path, pdf_path, *, width=None) -> Path``: Chromium's print, honouring
  CSS ``@page`` sizes (A4 when the page sets none).
- ``pdf_pages(pdf_path) -> int`` (pdfinfo) and ``pdf_text(pdf_path) -> str``
  (pdftotext -layout).
- ``scroll_width(page) -> int``: the document's width, to compare with the viewport's.
- ``need_weasyprint()``: skip (fail under CI) without WeasyPrint and Pango.
- ``dump_dom(html_path, tmp_path) -> str``: the document Chromium builds (``--dump-dom``).

A missing tool (Chromium, Playwright, Java, the jar, axe-core, poppler) skips the test with
the reason, except under CI, where it fails: ``bash scripts/test`` installs all of them.
Tests that use the ``browser`` or ``new_page`` fixtures are marked ``browser`` wherever they
are (they belong in tests/browser/, whose tests are all marked so); tests marked ``browser``
are skipped on the secondary interpreters of scripts/test's matrix (``QIM_MATRIX_SECONDARY=1``).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / ".cache" / "node" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
WIDTHS = (390, 1280)
# as root on a machine with no network but the package registries (see the machine notes)
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def missing(what: str) -> NoReturn:
    """Skip the calling test because WHAT is not installed; under CI, fail instead."""
    message = f"{what} is not installed (bash scripts/test installs it)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must have it: {message}", pytrace=False)
    pytest.skip(message)


def chromium_path() -> str:
    """The system Chromium: $QIM_CHROMIUM, else chromium or chromium-browser on PATH."""
    found = (os.environ.get("QIM_CHROMIUM") or shutil.which("chromium")
             or shutil.which("chromium-browser"))
    if not found:
        missing("Chromium")
    return found


# --- one Playwright browser per process, shared by the fixtures and the helpers -----------

_playwright: Playwright | None = None
_browser: Browser | None = None


def launch_browser() -> Browser:
    """Start (once) and return the shared headless Chromium."""
    global _playwright, _browser
    if _browser is not None and _browser.is_connected():
        return _browser
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the Python package playwright")
    executable = chromium_path()
    if _playwright is None:
        _playwright = sync_playwright().start()
    _browser = _playwright.chromium.launch(executable_path=executable, headless=True,
                                           args=list(CHROMIUM_ARGS))
    return _browser


def close_browser() -> None:
    global _playwright, _browser
    if _browser is not None:
        _browser.close()
        _browser = None
    if _playwright is not None:
        _playwright.stop()
        _playwright = None


atexit.register(close_browser)


def _url(target: Path | str) -> str:
    if isinstance(target, Path):
        return target.resolve().as_uri()
    return target if "://" in target or target.startswith(("about:", "data:")) else Path(target).resolve().as_uri()


def open_page(target: Path | str | None = None, *, width: int = 1280, height: int = 800) -> Page:
    """A page in its own context of the shared browser; close it with ``page.context.close()``."""
    context = launch_browser().new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    if target is not None:
        page.goto(_url(target), wait_until="load")
    return page


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    yield launch_browser()
    close_browser()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    pages: list[Page] = []

    def make(target: Path | str | None = None, *, width: int = 1280, height: int = 800) -> Page:
        page = open_page(target, width=width, height=height)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()


# --- checks --------------------------------------------------------------------------------

def axe_violations(page: Page, tags: Sequence[str] = WCAG_TAGS) -> list[dict[str, Any]]:
    """Run axe-core (from .cache/node) on the page: its violations for those rule tags.

    Each is axe's own record: ``id``, ``impact``, ``help``, ``helpUrl`` and ``nodes`` (each
    with ``target`` and ``html``). Works under a strict Content-Security-Policy: the script
    is evaluated through the DevTools protocol, not added to the document.
    """
    if not AXE_JS.is_file():
        missing(f"axe-core ({AXE_JS.relative_to(ROOT)})")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(tags),
    )
    return result["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation and element, for an assertion message."""
    return "\n".join(f"{v['id']} ({v.get('impact')}): {v['help']} at {', '.join(map(str, n['target']))}"
                     for v in violations for n in v.get("nodes", [])) or "no violations"


def vnu_errors(*html_paths: Path | str) -> list[str]:
    """The Nu Html Checker's errors (warnings left out), as ``file:line:column: message``."""
    java = shutil.which("java")
    if java is None:
        missing("Java (default-jre-headless)")
    if not VNU_JAR.is_file():
        missing(f"the Nu Html Checker ({VNU_JAR.relative_to(ROOT)})")
    if not html_paths:
        raise TypeError("vnu_errors() needs at least one file")
    out = subprocess.run(
        # the serial collector and the quick compiler start the JVM about a quarter faster;
        # the checker wants a deep stack (it says so, at least 512k)
        [java, "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR),
         "--errors-only", "--format", "json", "--stdout", *(str(p) for p in html_paths)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    try:
        messages = json.loads(out.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(f"vnu gave no JSON (exit {out.returncode}): {out.stderr[-2000:]}") from exc
    errors = []
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        name = Path(m.get("url", "")).name or "?"
        errors.append(f"{name}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}: "
                      f"{m.get('message', '').strip()}")
    return errors


def print_pdf(html_path: Path | str, pdf_path: Path | str, *, width: int | None = None) -> Path:
    """Print the page to PDF as Chromium does, CSS ``@page`` size first (else A4), backgrounds on."""
    page = open_page(html_path, width=width or 1280)
    try:
        page.pdf(path=str(pdf_path), prefer_css_page_size=True, format="A4", print_background=True)
    finally:
        page.context.close()
    return Path(pdf_path)


def _poppler(tool: str, *args: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        missing(f"{tool} (poppler-utils)")
    out = subprocess.run([exe, *args], capture_output=True, text=True, timeout=120, check=False)
    if out.returncode != 0:
        raise AssertionError(f"{tool} {' '.join(args)} failed (exit {out.returncode}): {out.stderr[-2000:]}")
    return out.stdout


def pdf_pages(pdf_path: Path | str) -> int:
    """The number of pages (pdfinfo)."""
    for line in _poppler("pdfinfo", str(pdf_path)).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError(f"pdfinfo printed no page count for {pdf_path}")


def pdf_text(pdf_path: Path | str) -> str:
    """The text, laid out as on the page (pdftotext -layout); pages are separated by form feeds."""
    return _poppler("pdftotext", "-layout", "-enc", "UTF-8", str(pdf_path), "-")


def need_weasyprint() -> None:
    """Skip the calling test without WeasyPrint and the Pango it loads (fail under CI)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        missing("WeasyPrint (the pdf extra, with Pango)")


def dump_dom(html_path: Path, tmp_path: Path) -> str:
    """The document Chromium builds from a page (``chromium --headless --dump-dom``), after its
    scripts ran: what a reader's browser makes of it, without Playwright."""
    out = subprocess.run(
        [chromium_path(), *CHROMIUM_ARGS, f"--user-data-dir={tmp_path / 'chromium'}", "--dump-dom",
         Path(html_path).resolve().as_uri()],
        capture_output=True, text=True, timeout=90,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def scroll_width(page: Page) -> int:
    """The document's scroll width in CSS pixels: more than the viewport's means a sideways scroll."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0)"
    )


# --- the browser tier -------------------------------------------------------------------

@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that uses the browser is in the browser tier, wherever it is (before tests/conftest.py
    gives each test its folder's tier and skips the browser tier on a secondary interpreter)."""
    for item in items:
        if {"browser", "new_page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
