"""The Rich console every terminal renderer writes into, set up once: a string buffer at
the layout's width, colour only when asked, no markup guessing (no highlighting, no
emoji codes), and lines without the spaces Rich pads them with when there is no colour
(the escape codes follow them when there is)."""

from __future__ import annotations

import io

from rich.console import Console

from .formats import Layout


class Page(Console):
    """A console that writes into a string: print on it, then take its `text()`."""

    def __init__(self, layout: Layout, *, width: int | None = None) -> None:
        self.buffer = io.StringIO()
        self.color = layout.color
        super().__init__(file=self.buffer, force_terminal=layout.color, no_color=not layout.color,
                         width=width or layout.width, highlight=False, emoji=False,
                         soft_wrap=False)

    def text(self) -> str:
        """What was printed: without trailing spaces unless coloured."""
        return unpadded(self.buffer.getvalue(), color=self.color)


def unpadded(text: str, *, color: bool) -> str:
    """Terminal text without the spaces Rich pads its lines with (kept when coloured)."""
    return text if color else "\n".join(line.rstrip() for line in text.split("\n"))
