"""qim: assess a healthcare Quality Improvement Manager against an evidence-based framework.

Library use::

    from qim_cli import load_profiles, load_sheet, score_sheet, recommend, build_result

The package imports nothing heavy at start-up; the names below load on first use.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "load_profiles": "framework.profiles",
    "Profiles": "framework.profiles",
    "load_sheet": "sheets.answers",
    "load_sheet_bytes": "sheets.answers",
    "score_sheet": "assessment.scoring",
    "recommend": "assessment.report",
    "build_result": "assessment.report",
    "QimError": "errors",
    "ExitCode": "errors",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'qim_cli' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"qim_cli.{module}"), name)
