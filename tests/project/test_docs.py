"""The documentation is tested like the code (docs/development/docs.md tells writers how).

* The README: its two set-up commands (the second is what CI runs), at most 200 lines, and
  a quick start of at most 10 lines for each kind of user.
* Every page (the README and docs/**/*.md): each line of a ```sh block that runs qim runs,
  with bash, from a fresh copy of examples/ and profiles/ for each block, and exits 0;
  `<!-- test setup: SHELL -->` before a block makes the files it stands for, and
  `<!-- not run: REASON -->` before a block says why it cannot run here.
* Every block after `<!-- excerpt of: COMMAND -->` is COMMAND's real output (standard
  output, then standard error), in parts split at lines of a lone `…`, in order.
* Every command of the Typer application is named in a page written by hand; every exit
  code has a row in docs/reference/exit-codes.md, and that table has no other.
* `mkdocs build --strict` builds the site with no warning (a broken link or anchor, a page
  left out of the navigation), and the generated reference holds what the code says.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import BIN, ROOT

from qim_cli.cli.app import app
from qim_cli.errors import ExitCode

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
# the Markdown written by hand: the README and the pages (not the scripts that build the site)
PAGES = [ROOT / "README.md", *sorted(p for p in DOCS.rglob("*.md") if "hooks" not in p.parts)]
SECONDARY = bool(os.environ.get("QIM_MATRIX_SECONDARY"))
on_the_default_interpreter = pytest.mark.skipif(
    SECONDARY, reason="the documentation is checked on the default interpreter only")


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


# ---------------------------------------------------------------- reading the pages

FENCE = re.compile(r"^(\s*)(`{3,})(\S*)\s*$")
COMMENT = re.compile(r"^\s*<!-- (not run|test setup|excerpt of): ?(.*?) -->\s*$")


@dataclass
class Block:
    page: Path
    line: int  # of the opening fence, counted from 1
    language: str
    text: str
    not_run: str | None = None
    setup: list[str] = field(default_factory=list)
    excerpt_of: str | None = None

    @property
    def where(self) -> str:
        return f"{_name(self.page)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a page, with the comments written just before each."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    pending: dict[str, list[str]] = {}
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        comment = COMMENT.match(lines[i])
        if comment:
            pending.setdefault(comment.group(1), []).append(comment.group(2).strip())
        elif fence:
            indent, ticks, language = fence.groups()
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != ticks:
                body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
                i += 1
            found.append(Block(page, i - len(body), language, "\n".join(body) + "\n",
                               not_run=(pending.get("not run") or [None])[0],
                               setup=pending.get("test setup", []),
                               excerpt_of=(pending.get("excerpt of") or [None])[0]))
            pending = {}
        elif lines[i].strip():
            pending = {}  # a comment applies to the block right after it only
        i += 1
    return found


def runs_qim(line: str) -> bool:
    return line.startswith("qim ") or bool(re.search(r"\|\s*qim\s", line))


def commands(block: Block) -> list[str]:
    """The lines of a ```sh block that run qim, continuation lines joined."""
    joined = block.text.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if runs_qim(line.strip())]


ALL_BLOCKS = [b for page in PAGES for b in blocks(page)]


def test_the_conventions_are_used_as_written():
    """A "not run" says why; a block shown with a setup or an excerpt is one that runs."""
    for block in ALL_BLOCKS:
        if block.not_run is not None:
            assert block.not_run, f"{block.where}: `<!-- not run: REASON -->` needs its reason"
            assert not block.setup, f"{block.where}: a block that is not run needs no setup"
        if block.setup:
            assert block.language == "sh" and commands(block), f"{block.where}: a setup for nothing to run"
    excerpts = [b for b in ALL_BLOCKS if b.excerpt_of]
    assert len(excerpts) >= 10, "the guides show what qim prints"
    runnable = [c for b in ALL_BLOCKS if b.language == "sh" and b.not_run is None for c in commands(b)]
    assert len(runnable) >= 60


# ---------------------------------------------------------------- running what the pages show

def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "QIM_PROFILES", "QIM_DEBUG")}
    env.update(PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", HOME=str(home),
               QIM_STATE_DIR=str(home / "state"), NO_COLOR="1", LANG="C.UTF-8", TERM="dumb",
               SHELL="/bin/bash")  # a login shell, as a reader has
    return env


def _sandbox(tmp_path: Path, n: int) -> Path:
    """A fresh copy of what the pages' commands read: examples/ and profiles/."""
    folder = tmp_path / f"block-{n}"
    folder.mkdir()
    for name in ("examples", "profiles"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("*.png"))
    return folder


def _bash(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=300, stdin=subprocess.DEVNULL, check=False)


def _setup(block: Block, folder: Path, env: dict[str, str]) -> None:
    for command in block.setup:
        done = _bash(command, folder, env)
        assert done.returncode == 0, f"{block.where}: test setup `{command}` failed:\n{done.stderr}"


def _pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        if os.environ.get("CI"):
            pytest.fail("CI must have WeasyPrint with Pango (bash scripts/test installs them)")
        return False
    return True


def _pages_with(predicate) -> list[Path]:
    return [p for p in PAGES if any(predicate(b) for b in blocks(p))]


@on_the_default_interpreter
@pytest.mark.parametrize("page", _pages_with(lambda b: b.language == "sh" and b.not_run is None
                                              and commands(b)), ids=_name)
def test_every_command_shown_runs(page: Path, tmp_path: Path):
    env = _environment(tmp_path)
    for n, block in enumerate(blocks(page)):
        if block.language != "sh" or block.not_run is not None or not commands(block):
            continue
        folder = _sandbox(tmp_path, n)
        _setup(block, folder, env)
        for command in commands(block):
            if "--format pdf" in command and not _pdf_available():
                continue
            done = _bash(command, folder, env)
            assert done.returncode == 0, (
                f"{block.where}: `{command}` exited {done.returncode}:\n{done.stderr[-2000:]}")


def _parts(text: str) -> list[str]:
    """An excerpt's parts: the text between lines holding a lone `…` (the parts left out)."""
    parts = [part.strip("\n") for part in re.split(r"(?m)^…$", text)]
    return [part for part in parts if part.strip()]


@on_the_default_interpreter
@pytest.mark.parametrize("page", _pages_with(lambda b: b.excerpt_of is not None), ids=_name)
def test_every_excerpt_is_the_real_output(page: Path, tmp_path: Path):
    env = _environment(tmp_path)
    for n, block in enumerate(blocks(page)):
        if block.excerpt_of is None:
            continue
        folder = _sandbox(tmp_path, n)
        _setup(block, folder, env)
        done = _bash(block.excerpt_of, folder, env)
        assert done.returncode == 0, f"{block.where}: `{block.excerpt_of}` exited {done.returncode}"
        real, at = done.stdout + done.stderr, 0
        parts = _parts(block.text)
        assert parts, f"{block.where}: an empty excerpt"
        for part in parts:
            found = real.find(part, at)
            assert found >= 0, (f"{block.where}: this part of the excerpt is not what "
                                f"`{block.excerpt_of}` prints (or not in this order):\n{part[:400]}")
            at = found + len(part)


# ---------------------------------------------------------------- the README

def _readme_sh_blocks() -> list[Block]:
    return [b for b in blocks(ROOT / "README.md") if b.language == "sh"]


def test_the_readme_is_short():
    assert len(README.splitlines()) <= 200


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    test_cmd = _readme_sh_blocks()[1].text.splitlines()[-1].strip()
    assert test_cmd == "bash scripts/test"
    assert "\n" + test_cmd + "\n" in ci
    script = (ROOT / "scripts" / "test").read_text()
    assert "pip install -q -e '.[test]'" in script and "-m pytest" in script


def test_the_readme_first_command_installs_and_runs_an_example():
    """One line on a fresh machine: a virtual environment, qim on the shell's PATH, and the
    report of a bundled example, run as `qim` (as the quick starts then run it)."""
    first = next(line for line in _readme_sh_blocks()[0].text.splitlines() if not line.startswith("#"))
    steps = [step.strip() for step in first.split("&&")]
    assert steps[:3] == ["python3 -m venv .venv", ". .venv/bin/activate", "pip install -q -e ."]
    path = re.fullmatch(r"qim report (examples/\S+\.toml)", steps[3]).group(1)
    assert (ROOT / path).is_file()


def test_each_quick_start_is_at_most_ten_lines():
    section = README.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    starts = re.split(r"\n(?=\*\*[^*\n]+\.\*\*)", section.strip())
    kinds = [re.match(r"\*\*([^*]+)\*\*", s).group(1) for s in starts]
    assert [k.split(":")[0] for k in kinds] == ["A QIM", "A trainer", "HR"]
    for start in starts:
        shown = [line for line in start.splitlines() if line.strip() and not COMMENT.match(line)]
        assert len(shown) <= 10, (start.splitlines()[0], len(shown))


# ---------------------------------------------------------------- commands and exit codes

def _commands():
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():
        names.append((name, cmd))
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            names.append((f"{name} {sub}", subcmd))
    return names


def test_every_command_has_help_and_a_page_that_names_it():
    written = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)
    for name, cmd in _commands():
        assert (cmd.help or "").strip(), f"{name} has no help text"
        assert f"qim {name}" in written, f"`qim {name}` is in no page of the documentation"


def test_every_exit_code_is_documented_and_no_other():
    table = (DOCS / "reference" / "exit-codes.md").read_text(encoding="utf-8")
    rows = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    assert rows == {int(code) for code in ExitCode}


# ---------------------------------------------------------------- pages that state figures

NUMBERS = {"no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def test_the_examples_table_counts_the_reports_barriers_and_objectives(monkeypatch):
    """The examples page says how many barriers and objectives each report has: the real
    reports agree."""
    from typer.testing import CliRunner

    monkeypatch.chdir(ROOT)
    page = (DOCS / "examples.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(examples/[^`]+\.toml)` \| [^|]+ \| ([^|]+) \|$", page, re.M)
    assert len(rows) == 5
    for path, shows in rows:
        result = CliRunner().invoke(app, ["report", path, "--format", "json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        barriers = re.search(r"\b(\w+) barriers?\b", shows).group(1)
        objectives = re.search(r"\b(\w+) objectives?\b", shows).group(1)
        assert NUMBERS[barriers] == len(report["barriers"]), (path, shows)
        assert NUMBERS[objectives] == len(report["plan"]["objectives"]), (path, shows)


def test_the_library_examples_run(monkeypatch, capsys):
    """The Python of "Using qim as a library", run as one script from the repository."""
    page = (DOCS / "reference" / "library.md").read_text(encoding="utf-8")
    code = [b.text for b in blocks(DOCS / "reference" / "library.md") if b.language == "python"]
    assert len(code) >= 2 and "## API" not in page  # the API is generated when the site is built
    monkeypatch.chdir(ROOT)
    exec(compile("\n".join(code), "docs/reference/library.md", "exec"), {})  # noqa: S102 (our docs)
    out = capsys.readouterr().out
    assert "qim cohort: 48 files: 48 good, 0 bad 0" in out


# ---------------------------------------------------------------- the site

@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id: str) -> Path:
    """`mkdocs build --strict` into a temporary folder, once for all the workers of a run."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else \
        tmp_path_factory.getbasetemp().parent
    out, log = shared / "site", shared / "site.log"
    with FileLock(str(shared / "site.lock")):
        if not log.exists():
            # Material and MkDocs print a notice about MkDocs 2.0 unless told not to
            env = {**os.environ, "DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
            env.pop("QIM_PROFILES", None)
            done = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
            log.write_text(f"{done.returncode}\n{done.stdout}{done.stderr}", encoding="utf-8")
    code, output = log.read_text(encoding="utf-8").split("\n", 1)
    assert code == "0", output
    assert "WARNING" not in output, output
    return out


def _text(page: Path) -> str:
    import html

    main = page.read_text(encoding="utf-8")
    main = main[main.index("<article"):main.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", "", main))


@on_the_default_interpreter
def test_the_site_builds_strict_with_every_page_in_its_navigation(site: Path):
    for page in PAGES[1:]:
        rel = page.relative_to(DOCS).with_suffix("")
        built = site / (rel.parent if rel.name == "index" else rel) / "index.html"
        assert built.is_file(), f"{_name(page)} was not built"
    # nothing of the site's own scripts is published
    assert not (site / "hooks").exists()


@on_the_default_interpreter
def test_the_cli_reference_is_the_help_of_every_command_and_option(site: Path):
    text = _text(site / "reference" / "cli" / "index.html")
    for name, cmd in _commands():
        assert f"qim {name}" in text, name
        for param in cmd.params:
            for opt in param.opts:
                if opt.startswith("-"):
                    assert opt in text, (name, opt)
        assert " ".join(cmd.help.split()[:6]) in " ".join(text.split()), name


@on_the_default_interpreter
@pytest.mark.parametrize(("kind", "page"), [("answers", "answer-sheet"), ("rating", "rating-sheet"),
                                            ("context", "context-sheet")])
def test_the_sheet_formats_list_every_field_of_their_schema(site: Path, kind: str, page: str):
    from typer.testing import CliRunner

    schema = json.loads(CliRunner().invoke(app, ["schema", kind]).stdout)
    text = _text(site / "reference" / page / "index.html")
    tables = [schema, *schema.get("$defs", {}).values()]
    for table in tables:
        for key in table.get("properties", {}):
            assert key in text, (kind, key)
        for key in table.get("propertyNames", {}).get("enum", []):
            assert f'"{key}"' in text, (kind, key)
    for defn in schema.get("$defs", {}).values():
        for values in (p.get("enum", []) for p in defn.get("properties", {}).values()):
            for value in values:
                assert f'"{value}"' in text, (kind, value)


@on_the_default_interpreter
def test_the_library_api_documents_every_export(site: Path):
    import qim_cli

    text = _text(site / "reference" / "library" / "index.html")
    for name in qim_cli.__all__:
        if not name.startswith("_"):
            assert name in text, name
    assert "load_context_answers" in text and "Batch" in text


@on_the_default_interpreter
def test_the_pictures_and_files_of_the_repository_are_served_not_copied_in_git(site: Path):
    """Screenshots and example reports are copied into the site when it is built: the
    same bytes, under repository/, and docs/ holds no copy of them."""
    for name in ("nurse-early-career-desktop.png", "cohort-desktop.png", "rn-ward7-360-phone.png",
                 "cohort.html"):
        built = site / "repository" / "examples" / "reports" / name
        assert built.read_bytes() == (ROOT / "examples" / "reports" / name).read_bytes()
    assert not [p for p in DOCS.rglob("*") if p.suffix in (".png", ".html")]
    # an included file's links lead to the page that includes the file they point at
    audit = (site / "evidence" / "audit" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../reference/profiles/"' in audit
    assert 'href="../../repository/profiles/table2.toml"' in audit


def test_every_test_the_guarantees_name_as_proof_exists():
    """"What qim guarantees" (docs/reference/guarantees.md) names its proofs, each with its
    file: a renamed, moved or deleted test must not go unnoticed."""
    import re

    page = (ROOT / "docs" / "reference" / "guarantees.md").read_text(encoding="utf-8")
    named = 0
    for line in page.splitlines():
        tests = re.findall(r"`(test_\w+)`", line)
        if not tests:
            continue
        files = re.findall(r"`(tests/[\w/]+\.py)`", line)
        assert files, f"no file named for {tests}"
        defined = {m for f in files
                   for m in re.findall(r"^def (test_\w+)", (ROOT / f).read_text(encoding="utf-8"), re.M)}
        assert set(tests) <= defined, f"not defined in {files}: {sorted(set(tests) - defined)}"
        named += len(tests)
    assert named >= 5