"""The text of `qim --version` (with --verbose: the Python and the TOML parser in use)."""

from __future__ import annotations


def version_text(*, verbose: bool = False) -> str:
    """`qim --version`, and with --verbose the Python and the TOML parser in use."""
    from . import __version__

    text = f"qim {__version__}\n"
    if verbose:
        import platform

        from .parsing import toml_parser

        text += (f"Python: {platform.python_implementation()} {platform.python_version()}\n"
                 f"TOML parser: {toml_parser()}\n")
    return text
