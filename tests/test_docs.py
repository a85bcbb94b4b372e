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
