"""The `qim` console script: answers --version without loading the command line at all."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"qim {__version__}\n")
        return
    if sorted(sys.argv[1:]) == ["--verbose", "--version"]:
        sys.stdout.write(version_text(verbose=True))
        return
    from .cli.app import main as run

    run()


def version_text(*, verbose: bool = False) -> str:
    """`qim --version`, and with --verbose the Python and the TOML parser in use."""
    from . import __version__

    text = f"qim {__version__}\n"
    if verbose:
        import platform

        from .loading import toml_parser

        text += (f"Python: {platform.python_implementation()} {platform.python_version()}\n"
                 f"TOML parser: {toml_parser()}\n")
    return text
