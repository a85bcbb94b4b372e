"""The collection notice at the start of `qim assess`, in a real terminal (tmux)."""

from __future__ import annotations

import shutil

import pytest
from test_assess_terminal import QIM, Tmux, qim_env

from qim_cli.framework import notice

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="needs tmux (scripts/test installs it)")


def test_assess_shows_the_notice_before_the_first_question(tmp_path):
    home = tmp_path / "h"
    home.mkdir()
    t = Tmux(100)
    try:
        t.start(f"{QIM} --out sheet.toml > report.txt", qim_env(home / "state"), home)
        t.prompt()
        screen = _flat(t.screen())
        t.send("q")
    finally:
        t.close()
    start = screen.index(f"{notice.TITLE} (a collection notice):")
    for paragraph in notice.PARAGRAPHS:
        assert _flat(paragraph) in screen
    assert start < screen.index("qim self-check:") < screen.index("Your id for this self-check")


def _flat(text: str) -> str:
    return " ".join(text.split())
