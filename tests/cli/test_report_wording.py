"""Sentences in the reports read well: the stage named once and the needs a barrier may
constrain as a list, no doubled bracket nor a list without "and" in any example's report, one
colleague said in the singular, the cohort's counts in words. (The words themselves:
tests/ground/test_words.py.)"""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.toml")))
def test_no_report_of_an_example_doubles_a_bracket_or_a_list_without_and(example):
    for fmt in ("markdown", "html", "table"):
        result = runner.invoke(app, ["report", str(EXAMPLES / example), "--format", fmt],
                               env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.stderr
        text = result.stdout
        if fmt == "html":  # the words, without the stylesheet and the markup
            text = re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>", " ", text, flags=re.S)
        assert "((" not in text and "))" not in text, (fmt, example)
        for names in re.findall(r"make (?:your )?work on ([^.]*?) harder", " ".join(text.split())):
            assert "," not in names or " and " in names.rsplit(",", 1)[1], (fmt, example, names)
        assert " 1 colleagues" not in text and " 1 objectives" not in text, (fmt, example)


def test_a_360_with_one_colleague_says_colleague(tmp_path):
    (tmp_path / "self.toml").write_text((EXAMPLES / "360" / "rn-ward7-self.toml").read_text())
    (tmp_path / "peer.toml").write_text((EXAMPLES / "360" / "rn-ward7-peer-p1.toml").read_text())
    for fmt in ("table", "markdown", "html"):
        result = runner.invoke(app, ["report", str(tmp_path), "--format", fmt, "--min-raters", "1"],
                               env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.stderr
        text = " ".join(result.stdout.split())
        assert "1 colleagues" not in text, fmt
        assert "1 colleague" in text, fmt
