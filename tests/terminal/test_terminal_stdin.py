"""Standard input on a terminal: `qim validate -` says it is waiting for the sheet (pexpect)."""

from __future__ import annotations

import os
import sys

from support.commands import HANG_GUARD, NURSE


def test_on_a_terminal_standard_input_says_it_is_waiting_for_the_sheet():
    """A person who typed `qim validate -` sees why nothing happens, and can paste the sheet."""
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "qim_cli", "validate", "-"], encoding="utf-8",
                          timeout=HANG_GUARD, env={**os.environ, "NO_COLOR": "1"})
    try:
        child.expect_exact("qim: reading an answer sheet from the terminal; end it with Ctrl-D "
                           "(or name the file instead of -)")
        for line in NURSE.read_text().splitlines():
            child.sendline(line)
        child.sendeof()
        child.expect_exact("<stdin>: valid (rn-ward7, clinical")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
