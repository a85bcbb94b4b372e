"""The `qim` console script: answers --version without loading the command line at all."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"qim {__version__}\n")
        return
    if sorted(sys.argv[1:]) == ["--verbose", "--version"]:
        from .loading import version_text

        sys.stdout.write(version_text(verbose=True))
        return
    from .cli.app import main as run

    run()

