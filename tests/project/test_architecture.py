"""The architecture as executable contracts: layers, a core free of Typer and Rich, no circles.

The contracts live in pyproject.toml ([tool.importlinter]); ARCHITECTURE.md explains them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
#: a module past this many lines holds a second idea that wants its own module
MAX_LINES = 450


def test_import_contracts_are_kept():
    proc = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout
    assert proc.stdout.count(" KEPT") == 4, proc.stdout


def test_every_layer_named_in_the_contract_exists_and_nothing_is_left_out():
    """A new top-level package must take its place in the layers (or the contract is silent on it)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    named = {layer.strip("()").removeprefix("qim_cli.") for layer in layers}
    pkg = ROOT / "qim_cli"
    present = {p.name for p in pkg.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    present |= {p.stem for p in pkg.glob("*.py")} - {"__init__", "__main__", "entry"}
    assert present <= named, f"not placed in a layer: {sorted(present - named)}"


def _capped() -> list[Path]:
    """What the size cap covers: the package's modules and its templates (pages, scripts,
    stylesheets), and the tests with their helpers."""
    return [*(ROOT / "qim_cli").rglob("*.py"),
            *(p for p in (ROOT / "qim_cli" / "templates").rglob("*") if p.is_file()),
            *(ROOT / "tests").rglob("*.py")]


def test_no_module_is_too_long():
    files = _capped()
    assert {p.suffix for p in files} >= {".py", ".j2", ".js", ".css"}, "the cap must see every kind"
    long = {str(p.relative_to(ROOT)): n for p in files
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these by meaning: {long}"


def test_the_test_folders_mirror_the_package_and_name_the_tiers():
    """tests/ has a folder per package of qim_cli (unit tests), ground/ for the modules at the
    package's top, and the tiers (tests/conftest.py gives each test its folder's tier)."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from conftest import ALL_TIERS, TIER_FOLDERS
    finally:
        sys.path.remove(str(ROOT / "tests"))
    packages = {p.parent.name for p in (ROOT / "qim_cli").glob("*/__init__.py")}
    folders = {p.name for p in (ROOT / "tests").iterdir()
               if p.is_dir() and not p.name.startswith((".", "_")) and p.name != "support"}
    assert folders == (packages - {"cli"}) | {"ground"} | set(TIER_FOLDERS)
    assert set(TIER_FOLDERS.values()) | {"unit"} == set(ALL_TIERS)
    import tomllib

    pytest_ini = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert {m.split(":")[0] for m in pytest_ini["markers"]} == {*ALL_TIERS, "slow"}
    # CI's run (scripts/test, and nox for the other interpreters) selects every tier
    every = " or ".join(ALL_TIERS)
    for runner_file in ("scripts/test", "noxfile.py"):
        assert f'"{every}"' in (ROOT / runner_file).read_text(encoding="utf-8"), runner_file


#: modules that `qim --help` (and so every command's start) must not load
HEAVY_AT_START = ("pydantic", "jinja2", "rich", "multiprocessing", "qim_cli.framework.models",
                  "qim_cli.assessment.results", "qim_cli.assessment.scoring", "qim_cli.assessment.rules")


def test_the_command_line_loads_nothing_heavy_at_start():
    """Typer's --help path loads only Typer and the command modules: the core loads on first use."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import qim_cli.cli.app"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    loaded = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert not [m for m in HEAVY_AT_START if m in loaded]


def test_architecture_names_every_module():
    """ARCHITECTURE.md's code map names each module on the line of its folder (a table row):
    `fileio.py`, `cli/` ... `app.py`, `render/cohort/` ... `csv.py`."""
    lines = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines()
    missing = []
    for path in sorted((ROOT / "qim_cli").rglob("*.py")):
        rel = path.relative_to(ROOT / "qim_cli")
        if path.name == "__init__.py" and rel.parent != Path():
            continue  # a package's own module is its folder's row
        folder = f"`{rel.parent.as_posix()}/`" if rel.parent != Path() else ""
        if not any(f"`{path.name}`" in line and folder in line for line in lines):
            missing.append(rel.as_posix())
    assert not missing, f"not named in ARCHITECTURE.md: {missing}"


def _keyed_reads(tree: ast.AST) -> list[int]:
    """Lines that read a value by a string key (`doc["n"]`, `doc.get("n")`), but from a
    constant table (an UPPER_CASE name) or in an assignment."""
    def constant(node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and node.id.isupper()

    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)
                and not constant(node.value)):
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "get" and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and not constant(node.func.value)):
            lines.append(node.lineno)
    return lines


def test_renderers_read_documents_by_attribute():
    """Every document reaches render/ typed: a renamed field fails the type checker, not
    only the test that happens to render it. (render/schema.py fills a JSON Schema in.)"""
    found = {}
    for path in sorted((ROOT / "qim_cli" / "render").rglob("*.py")):
        if path.name == "schema.py":
            continue
        lines = _keyed_reads(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[str(path.relative_to(ROOT))] = lines
    assert not found, found


def test_every_format_of_every_report_has_the_one_signature():
    """Each member of a report's format enum has its module, whose `render` (or, for the
    streamed `qim score`, `write`) takes the document, the profile set and the layout."""
    import importlib
    import inspect

    reports = {"person": "ReportFormat", "feedback": None, "cohort": "CohortFormat",
               "compare": "CompareFormat", "compare_cohort": "CompareCohortFormat",
               "pairing": "PairFormat", "framework": "ListFormat", "score": "ScoreFormat"}
    person = importlib.import_module("qim_cli.render.person")
    for name, enum_name in reports.items():
        package = importlib.import_module(f"qim_cli.render.{name}")
        formats = getattr(package, enum_name) if enum_name else person.ReportFormat
        for fmt in formats:
            module = importlib.import_module(f"qim_cli.render.{name}.{fmt.value}")
            function = module.write if name == "score" else module.render
            params = list(inspect.signature(function).parameters)
            expected = ["records", "out", "profiles", "layout"] if name == "score" else \
                [params[0], "profiles", "layout"]
            assert params == expected, (module.__name__, params)
