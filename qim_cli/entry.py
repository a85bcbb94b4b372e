"""The `qim` console script: answers --version without loading the command line at all."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"qim {__version__}\n")
        return
    from .cli.app import main as run

    run()
