"""Text that continues on the next line starts under its text, never at column 0, and
nothing is cut mid-word: the plan's alternatives, `--explain`, `qim compare`'s entries and
review, and the programme's caveats."""

from __future__ import annotations

import json
import re

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()
NURSE = EXAMPLES / "nurse-early-career.toml"


def run(*args: str, width: int) -> str:
    """The report, without its footer line (the collection notice's pointer, a paragraph
    of its own after every report: tests/test_notice.py)."""
    result = runner.invoke(app, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout.split("For development, not performance", 1)[0]


def continuations(part: str, start: re.Pattern[str]) -> list[str]:
    """The lines of `part` after its first entry (a line matching `start`) that are not
    themselves an entry: each must continue under its entry's text."""
    lines = [ln for ln in part.splitlines() if ln.strip()]
    first = next(i for i, ln in enumerate(lines) if start.match(ln))
    return [ln for ln in lines[first:] if not start.match(ln)]


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_the_first_alternative_is_shown_whole(width):
    doc = json.loads(run("report", str(NURSE), "--format", "json", width=width))
    text = " ".join(run("report", str(NURSE), width=width).split())
    for o in doc["plan"]["objectives"]:
        if o["alternatives"]:
            first = o["alternatives"][0]
            more = len(o["alternatives"]) - 1
            shown = f"Or {first['title']} ({first['effort']})" + (f" +{more} more" if more else "")
            assert shown in text
    assert "…" not in text


@pytest.mark.parametrize("width", [40, 60, 80])
def test_explain_continues_under_the_text(width):
    text = run("report", str(EXAMPLES / "physician-experienced.toml"), "--explain", width=width)
    trace = text.split("Trace: the rules behind the plan", 1)[1]
    rules, barriers = trace.split("Trace: organisational barriers", 1)
    for part, start in ((rules, re.compile(r"^ ?\d+\. \[")), (barriers, re.compile(r"^ ▲ "))):
        later = continuations(part.split("--explain:")[0], start)
        assert later and all(line.startswith("    ") for line in later), \
            [ln for ln in later if not ln.startswith("    ")]
    # a condition's continuation lines start under the condition, not under the bullet
    lines = trace.splitlines()
    for at, line in enumerate(lines[:-1]):
        if line.lstrip().startswith("• "):
            following = lines[at + 1]
            if following.strip() and not following.lstrip().startswith(
                    ("•", "In the study", "Sources", "Who can", "Action", "Held back")):
                assert following.startswith(" " * (line.index("•") + 2)), (line, following)


@pytest.mark.parametrize("width", [40, 60, 80])
def test_compare_entries_and_caveats_continue_under_the_text(width):
    text = run("compare", str(NURSE), str(EXAMPLES / "nurse-early-career-2027.toml"), width=width)
    for title in ("Recommendations resolved", "Recommendations that remain"):
        section = text.split(title, 1)[1].split("\n", 1)[1]
        section = re.split(r"\n(?=\S)", section, maxsplit=1)[0]  # up to the next heading
        later = continuations(section, re.compile(r"^  • "))
        assert all(line.startswith("    ") for line in later), later
    review = text.split("Review of last time's plan", 1)[1].split("\n", 1)[1]
    review = review.split("objectives:", 1)[0].rsplit("\n", 1)[0]
    later = continuations(review, re.compile(r"^ \d+\. "))
    assert later and all(line.startswith("    ") for line in later), later
    programme = run("compare", str(EXAMPLES / "cohort"), str(EXAMPLES / "cohort-after"), width=width)
    caveats = programme.split("What this design cannot show", 1)[1]
    later = continuations(caveats, re.compile(r"^  • "))
    assert later and all(line.startswith("    ") for line in later), later
