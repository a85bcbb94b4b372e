"""`qim report --format pdf`: the HTML report printed to A4 by WeasyPrint (the extra
qim[pdf]), page for page as Chromium prints the same HTML: the same page size, page
count, footers and words. Without the extra, one line names the command that installs it
(exit 69); a PDF never goes onto a terminal."""

from __future__ import annotations

import importlib.abc
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES
from support.browser import need_weasyprint, pdf_pages, pdf_text, print_pdf
from typer.testing import CliRunner

from qim_cli.cli.app import app
from qim_cli.errors import ExitCode

runner = CliRunner()
CASES = {
    "individual": EXAMPLES / "nurse-early-career.toml",
    "360": EXAMPLES / "360",
    "scenarios": EXAMPLES / "process-engineer-new.toml",
}
FOOTER = re.compile(r"Page (\d+) of (\d+)")
INSTALL = "python -m pip install 'qim[pdf]'"  # python: the one on PATH is this one (conftest)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each case as qim's PDF and as Chromium's print of qim's HTML."""
    need_weasyprint()
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name, source in CASES.items():
        html, pdf = folder / f"{name}.html", folder / f"{name}.pdf"
        for fmt, path in (("html", html), ("pdf", pdf)):
            result = runner.invoke(app, ["report", str(source), "--format", fmt, "-o", str(path)])
            assert result.exit_code == 0, result.stderr
        out[name] = (pdf, print_pdf(html, folder / f"{name}-chromium.pdf"))
    return out


def _info(pdf: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)


def _footers(pdf: Path) -> list[str]:
    pages = [p for p in pdf_text(pdf).split("\f") if p.strip()]
    return [" ".join(next(ln for ln in reversed(p.splitlines()) if ln.strip()).split()) for p in pages]


def _words(pdf: Path) -> Counter[str]:
    """The words in content order, a hyphen at a line's end joined to what follows (the
    two print the same text, broken into lines a little differently), list bullets apart."""
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return Counter(w for w in re.sub(r"-\s+", "-", text).split() if w != "•")


@pytest.mark.browser
@pytest.mark.parametrize("name", list(CASES))
def test_a4_pages_and_footers_as_chromium_prints_the_html(made, name):
    ours, chromium = made[name]
    info = _info(ours)
    assert "(A4)" in info["Page size"], info["Page size"]
    assert "(A4)" in _info(chromium)["Page size"]
    assert pdf_pages(ours) == pdf_pages(chromium)
    footers = _footers(ours)
    assert footers == _footers(chromium)
    pages = len(footers)
    for number, footer in enumerate(footers, start=1):
        assert FOOTER.search(footer).groups() == (str(number), str(pages)), footer
    assert pages <= (5 if name == "scenarios" else 4)


@pytest.mark.browser
@pytest.mark.parametrize("name", list(CASES))
def test_the_same_words_as_chromium_prints(made, name):
    ours, chromium = made[name]
    assert _words(ours) == _words(chromium)
    assert "Development plan" in " ".join(_words(ours))


@pytest.mark.browser
def test_a_pdf_to_a_pipe_is_the_pdf(made, tmp_path):
    need_weasyprint()
    done = subprocess.run([sys.executable, "-m", "qim_cli", "report", str(CASES["individual"]),
                           "--format", "pdf"], capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF-") and done.stdout.rstrip().endswith(b"%%EOF")
    piped = tmp_path / "piped.pdf"
    piped.write_bytes(done.stdout)
    assert _footers(piped) == _footers(made["individual"][0])


class _Broken(importlib.abc.MetaPathFinder):
    """Importing weasyprint fails as it does without Pango on the system."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return None


def test_without_the_extra_one_line_names_the_install_command_exit_69(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # not installed
    out = tmp_path / "plan.pdf"
    result = runner.invoke(app, ["report", str(CASES["individual"]), "--format", "pdf", "-o", str(out)])
    assert result.exit_code == ExitCode.UNAVAILABLE == 69
    assert result.stderr == ("PDF output needs WeasyPrint, which is not installed; install it "
                             f"with: {INSTALL}\n")
    assert not out.exists()
    # the self-check says so before the first question, not after the last
    asked = runner.invoke(app, ["assess", "--interactive", "--format", "pdf"], input="rn-ward7\n")
    assert asked.exit_code == 69
    assert "About you" not in asked.stderr and INSTALL in asked.stderr


def test_without_its_system_library_it_says_so(tmp_path, monkeypatch):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_Broken(), *sys.meta_path])
    result = runner.invoke(app, ["report", str(CASES["individual"]), "--format", "pdf",
                                 "-o", str(tmp_path / "plan.pdf")])
    assert result.exit_code == 69
    assert result.stderr == ("PDF output needs WeasyPrint, which cannot load a system library it "
                             "needs (cannot load library 'libpango-1.0-0'); install it with: "
                             f"{INSTALL}\n")


def test_a_pdf_is_never_written_onto_a_terminal(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "QIM_STATE_DIR": str(tmp_path / "state")}
    for args in (["report", str(CASES["individual"]), "--format", "pdf"],
                 ["assess", "--format", "pdf"]):
        child = pexpect.spawn(sys.executable, ["-m", "qim_cli", *args], env=env, cwd=str(tmp_path),
                              encoding="utf-8", timeout=60)
        child.expect(pexpect.EOF)
        child.close()
        said = " ".join(child.before.split())
        assert child.exitstatus == 2, said
        assert said.endswith("a PDF is not for the terminal: write it to a file with -o plan.pdf, "
                             "or redirect standard output (> plan.pdf)"), said
        assert "%PDF" not in said and "About you" not in said
    assert not (tmp_path / "state").exists()
