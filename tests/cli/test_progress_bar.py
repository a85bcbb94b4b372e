"""The progress bar itself (cli/progress.py): never loaded for a short run, wanted only on
a terminal and not with --quiet, time left in words, counting as discovery finds. (On a
real terminal: tests/terminal/test_progress.py.)"""

from __future__ import annotations

import io
import sys

import pytest
from conftest import EXAMPLES

from qim_cli.cli import progress
from qim_cli.cohort.discovery import Discovery

COHORT = EXAMPLES / "cohort"


def test_a_short_run_never_loads_the_display(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 3600.0)
    bar = progress.Bar("x", "files", total=lambda: pytest.fail("counted without a bar"))
    for _ in range(10_000):
        bar.tick()
    assert bar.done == 10_000 and bar._progress is None
    bar.close()


def test_wanted_only_on_a_terminal_and_not_quiet(monkeypatch):
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Tty())
    assert progress.wanted(quiet=False)
    assert not progress.wanted(quiet=True)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not progress.wanted(quiet=False)


@pytest.mark.parametrize("duration", [(5, "5 s"), (75, "1 min 15 s"), (3725, "1 h 02 min")])
def test_time_left_in_words(duration):
    assert progress._duration(duration[0]) == duration[1]


def test_counting_agrees_with_discovery(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.toml").write_text("")
    (tmp_path / "a" / ".hidden.toml").write_text("")
    (tmp_path / "a" / "notes.txt").write_text("")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "y.toml").write_text("")
    (tmp_path / "loop").symlink_to(tmp_path)
    alone = tmp_path / "z.txt"
    alone.write_text("")
    for paths in ([tmp_path], [tmp_path, tmp_path / "a" / "x.toml"], [alone, COHORT], [COHORT]):
        d = Discovery(paths)
        assert d.count() == len(list(d)), paths
