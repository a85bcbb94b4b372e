"""Every command's --help reads well: usage lines and metavars people can read, examples
kept one per line, choices listed; a wrong value is said plainly (exit 2)."""

from __future__ import annotations

import re

import pytest
import typer.main
from conftest import EXAMPLES
from typer.testing import CliRunner

from qim_cli.cli.app import app


def _commands() -> list[tuple[str, object]]:
    group = typer.main.get_command(app)
    found = [("", group)]
    for name, cmd in group.commands.items():
        found.append((name, cmd))
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            found.append((f"{name} {sub}", subcmd))
    return found


COMMANDS = _commands()


def _help(name: str) -> str:
    result = CliRunner().invoke(app, [*name.split(), "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n or "qim" for n, _ in COMMANDS])
def test_help_shows_no_python_types_or_braces(name, cmd):
    text = _help(name)
    for bad in ("<list[", "<int", "<str>", "<path>", "<dir>", "<file>", "{", "[[", "Value error"):
        assert bad not in text, f"qim {name} --help shows {bad!r}"


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n or "qim" for n, _ in COMMANDS])
def test_help_keeps_each_example_on_its_own_line(name, cmd):
    text = _help(name)
    lines = [line.strip() for line in text.splitlines()]
    examples = [line.strip().split("   # ")[0] for line in (cmd.help or "").splitlines()
                if line.strip().startswith("qim ")]
    for example in examples:
        assert any(line.split("   # ")[0] == example for line in lines), (name, example)
    for example in examples:  # an example is not cut by the terminal at 80 columns
        assert len(example) + 4 <= 80, (name, example)
    for line in lines:  # no example run into the text before it
        assert not re.search(r"\S.*Examples?( \(.*\))?:", line), (name, line)


def test_usage_lines_name_arguments_as_people_read_them():
    usage = {name: _help(name).splitlines()[0] for name, _ in COMMANDS}
    assert usage["report"] == "Usage: qim report [OPTIONS] FILE..."
    assert usage["validate"] == "Usage: qim validate [OPTIONS] FILE..."
    assert usage["schema"] == "Usage: qim schema [OPTIONS] KIND"
    assert usage["assess"] == "Usage: qim assess [OPTIONS] [ID]"
    assert usage["score"] == "Usage: qim score [OPTIONS] PATH..."
    assert usage["cohort"] == "Usage: qim cohort [OPTIONS] PATH..."
    assert usage["pair"] == "Usage: qim pair [OPTIONS] PATH..."
    assert usage["compare"] == "Usage: qim compare [OPTIONS] [OLD] [NEW]"
    assert usage["import"] == "Usage: qim import [OPTIONS] FILE"
    assert usage["export"] == "Usage: qim export [OPTIONS] COMMAND [ARGS]..."
    assert usage[""] == "Usage: qim [OPTIONS] COMMAND [ARGS]..."


def test_options_name_their_values():
    text = " ".join(_help("cohort").split())
    for shown in ("-j, --jobs N", "--min-group N", "--title TEXT", "--profiles DIR",
                  "-o, --output FILE", "--by <background|role|career_stage|setting|organisation|unit>"):
        assert shown in text
    assert "PATH... Answer sheets (TOML) and folders" in " ".join(_help("score").split())
    assert "--before PATH" in _help("compare-cohort") and "--out DIR" in _help("import")
    # each option of qim compare means one thing: the cohort's are compare-cohort's
    assert "--before" not in _help("compare") and "--allow-different-ids" in _help("compare")


def test_template_help_lists_the_backgrounds(profiles):
    text = " ".join(_help("template").split())
    assert "-b, --background BACKGROUND" in text
    for background in profiles.backgrounds:
        assert background in text


def test_a_wrong_choice_is_said_plainly():
    result = CliRunner().invoke(app, ["report", str(EXAMPLES / "nurse-early-career.toml"),
                                      "-f", "jsn"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format' / '-f': 'jsn' is not one of 'table', 'json', "
        "'markdown', 'html', 'pdf'.")


def test_a_number_below_its_minimum_is_said_plainly():
    result = CliRunner().invoke(app, ["score", str(EXAMPLES), "-j", "0"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--jobs' / '-j': must be at least 1 (got 0)")
    result = CliRunner().invoke(app, ["cohort", str(EXAMPLES), "--min-group", "-2"])
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--min-group': must be at least 1 (got -2)")


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n or "qim" for n, _ in COMMANDS])
def test_help_examples_name_no_file_that_only_the_repository_has(name, cmd):
    """Examples read as the person's own files; none points into the repository's
    examples/, which an installed qim does not have."""
    assert "examples/" not in _help(name)


def test_the_try_footer_runs_anywhere(tmp_path, monkeypatch):
    """What `qim --help` suggests trying works in an empty folder: the commands that need
    no terminal run there and exit 0; `qim assess` is the self-check in a terminal."""
    import shlex

    monkeypatch.chdir(tmp_path)
    text = _help("")
    tried = [line.strip().split("   ")[0] for line in text.split("Try:", 1)[1].splitlines()
             if line.strip().startswith("qim ")]
    assert tried == ["qim framework", "qim assess"]
    result = CliRunner().invoke(app, shlex.split(tried[0])[1:])
    assert result.exit_code == 0 and "Healthcare context" in result.stdout
    assert list(tmp_path.iterdir()) == []
