"""Docs that cannot drift: commands in the README, the README's test command is CI's."""

from __future__ import annotations

import re

from conftest import ROOT

from qim_cli.cli.app import app
from qim_cli.errors import ExitCode

README = (ROOT / "README.md").read_text()


def _commands():
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():
        names.append((name, cmd))
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            names.append((f"{name} {sub}", subcmd))
    return names


def test_every_command_has_help_and_is_in_the_readme():
    for name, cmd in _commands():
        assert (cmd.help or "").strip(), f"{name} has no help text"
        assert f"qim {name}" in README, f"`qim {name}` is not in the README"


def test_every_exit_code_is_documented():
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", README, flags=re.M), code


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    test_cmd = blocks[1].splitlines()[-1].strip()
    assert test_cmd == "bash scripts/test"
    assert "\n" + test_cmd + "\n" in ci
    script = (ROOT / "scripts" / "test").read_text()
    assert "pip install -q -e '.[test]'" in script and "-m pytest" in script


def test_readme_first_command_runs_an_example():
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    first = next(line for line in blocks[0].splitlines() if not line.startswith("#"))
    path = re.search(r"qim report (examples/\S+\.toml)", first).group(1)
    assert (ROOT / path).is_file()


EXCERPT = re.compile(r"<!-- excerpt of: (qim [^>]*?) -->\n(`{3,})markdown\n(.*?)\n\2\n", re.S)


def test_readme_excerpts_are_the_real_output(monkeypatch):
    """Each excerpt marked `<!-- excerpt of: COMMAND -->` is COMMAND's real output: its
    parts (split at lines of a lone `…`, the parts left out) appear verbatim, in order."""
    import shlex

    from typer.testing import CliRunner

    monkeypatch.chdir(ROOT)  # the commands name the examples as the README does
    excerpts = EXCERPT.findall(README)
    assert excerpts, "no marked excerpt in the README"
    for command, _fence, text in excerpts:
        result = CliRunner().invoke(app, shlex.split(command)[1:], catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output)
        real, at = result.stdout, 0
        for part in re.split(r"\n\n…\n\n", text):
            assert part.strip() and "…\n" not in part, (command, part[:80])
            found = real.find(part, at)
            assert found >= 0, f"`{command}`: the README's excerpt is not its output:\n{part[:300]}"
            at = found + len(part)


NUMBERS = {"no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def test_readme_examples_table_counts_the_reports_barriers_and_objectives(monkeypatch):
    """The Examples table says how many barriers and objectives each report has: the
    real reports agree."""
    import json

    from typer.testing import CliRunner

    monkeypatch.chdir(ROOT)
    section = README.split("\n## Examples\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(examples/[^`]+\.toml)` \| [^|]+ \| ([^|]+) \|$", section, re.M)
    assert len(rows) == 5
    for path, shows in rows:
        result = CliRunner().invoke(app, ["report", path, "--format", "json"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        barriers = re.search(r"\b(\w+) barriers?\b", shows).group(1)
        objectives = re.search(r"\b(\w+) objectives?\b", shows).group(1)
        assert NUMBERS[barriers] == len(report["barriers"]), (path, shows)
        assert NUMBERS[objectives] == len(report["plan"]["objectives"]), (path, shows)


def test_readme_library_examples_run(monkeypatch, capsys):
    """The Python of "Using qim as a library", run as one script from the repository."""
    section = README.split("## Using qim as a library", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) >= 2
    monkeypatch.chdir(ROOT)
    exec(compile("\n".join(blocks), "README.md", "exec"), {})  # noqa: S102 (our README)
    out = capsys.readouterr().out
    assert "qim cohort: 48 files: 48 good, 0 bad 0" in out
