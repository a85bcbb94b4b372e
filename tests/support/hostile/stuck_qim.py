"""Run qim with one answer sheet whose reading never ends: a batch stopped mid-way on cue.

Usage: python stuck_qim.py READY qim-arguments...

A sheet whose name starts with "zzz-stuck" makes its reader (this process, or the worker
that scores it) write its process id to the file READY and then wait forever, so a test can send a signal
at a known point of the run (earlier sheets scored, the output's temporary file open)
without guessing how long the run takes.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import qim_cli.reading as reading

READY = Path(sys.argv[1])
_read = reading.read_file_bytes


def _stuck(path, *args, **kwargs):  # type: ignore[no-untyped-def]
    if Path(path).name.startswith("zzz-stuck"):
        tmp = READY.with_name(READY.name + ".part")
        tmp.write_text(str(os.getpid()))
        tmp.replace(READY)  # READY appears whole
        while True:
            time.sleep(3600)
    return _read(path, *args, **kwargs)


reading.read_file_bytes = _stuck
sys.argv = ["qim", *sys.argv[2:]]

from qim_cli.entry import main  # noqa: E402 (after the patch, as qim would start)

main()
