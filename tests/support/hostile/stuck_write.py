"""Run qim so that its first output file stops just before it gets its name.

Usage: python stuck_write.py READY qim-arguments...

The output's temporary file is written whole and flushed, then this process writes its
process id to READY and waits forever, so a test can send a signal at the moment an
output exists only as its ``.NAME.*.tmp`` file.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import qim_cli.fileio as fileio

READY = Path(sys.argv[1])


def _stuck(tmp, path, **kwargs):  # type: ignore[no-untyped-def]
    part = READY.with_name(READY.name + ".part")
    part.write_text(str(os.getpid()))
    part.replace(READY)  # READY appears whole
    while True:
        time.sleep(3600)


fileio._publish = _stuck
sys.argv = ["qim", *sys.argv[2:]]

from qim_cli.entry import main  # noqa: E402 (after the patch, as qim would start)

main()
