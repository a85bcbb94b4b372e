"""Text that someone else wrote, made safe to show: control characters and terminal escape
sequences replaced, once for every layer (file names in messages, titles, cells of a
table, Markdown, HTML). Standard library only.
"""

from __future__ import annotations


def printable(text: str, *, instead: str = "?", keep: str = "") -> str:
    """`text` with every character that is not printable (and not in `keep`, "\\n" say)
    replaced by `instead`."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in keep else instead for ch in text)


def one_line(text: str) -> str:
    """`text` on one line: anything unprintable (line breaks too) a space, runs of spaces
    one space, no space at either end."""
    return " ".join(printable(text, instead=" ").split())
