"""What every report's renderers share: one signature, chosen by a format enum.

Each report is a package here (`person`, `feedback`, `cohort`, `compare`,
`compare_cohort`, `pairing`, `score`, `framework`) with one module per output format,
named after the format (`table`, `json`, `csv`, `markdown`, `html`, `pdf`). Every
format module of a document report has the one function::

    def render(doc: <the report's document>, profiles: Profiles, layout: Layout) -> str

(`bytes` for a PDF): the typed document the core made, the profile set it was made with,
and how text for people is laid out. The package's own `render(fmt, doc, profiles,
layout)` imports the format's module when it is first asked for (`format_module`), so
that `qim --help` and the commands import only the formats they use. `qim score`
streams instead: its format modules write records as they come (render/score).

Standard library only: the commands import the format enums at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from types import ModuleType
from typing import Protocol


@dataclass(frozen=True)
class Layout:
    """How text for people is laid out: a terminal's width and colours, and whether the
    person's terminal report adds its trace (--explain). Documents (JSON, CSV, Markdown,
    HTML, PDF) do not depend on it."""

    color: bool = False
    width: int = 80
    explain: bool = False


class TextOut(Protocol):
    """Where a streamed format writes: a text file, or standard output for data."""

    def write(self, text: str, /) -> object: ...


def format_module(package: str, fmt: Enum) -> ModuleType:
    """The module of `package` that renders `fmt` (`qim_cli.render.cohort.csv`, say)."""
    return import_module(f"{package}.{fmt.value}")
