"""The one line every human-readable report ends with: what the answers are for, and the
collection notice it refers to (framework/notice.py). Terminal tables and Markdown get it
here, from each report's `render`; HTML pages (and the PDF printed from them) from the
templates, where `notice_footer` is a global of the environment (templates.py)."""

from __future__ import annotations

import textwrap
from enum import Enum
from typing import Any

from ..framework.notice import FOOTER
from .formats import Layout, format_module


def with_footer(text: str, fmt: Enum, layout: Layout) -> str:
    """`text` with the footer line: wrapped to the terminal for a table, a paragraph of its
    own in Markdown; other formats (data, and HTML, which has it in its page) unchanged."""
    if fmt.value == "table":
        return text.rstrip("\n") + "\n" + "\n".join(textwrap.wrap(FOOTER, layout.width)) + "\n"
    if fmt.value == "markdown":
        return text.rstrip("\n") + "\n\n---\n\n" + FOOTER + "\n"
    return text


def rendered(package: str, fmt: Enum, doc: Any, profiles: Any, layout: Layout) -> str | bytes:
    """A report's `render`: the module of `package` for `fmt` renders `doc`, and a text
    format gets the footer line (a PDF is bytes, its page carries it already)."""
    out: str | bytes = format_module(package, fmt).render(doc, profiles, layout)
    return with_footer(out, fmt, layout) if isinstance(out, str) else out
