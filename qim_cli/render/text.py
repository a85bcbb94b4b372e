"""Text for documents: Markdown made inert, dates in words, user text cleaned for a
terminal or a page. Standard library only."""

from __future__ import annotations

import re
from datetime import date

from ..printable import one_line, printable

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_words(day: date | None, none: str = "–") -> str:
    """2 Mar 2026 (the same in every locale); `none` when there is no date."""
    if day is None:
        return none
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def terminal_text(text: str | None) -> str:
    """User-supplied text without control characters or terminal escape sequences (line
    breaks kept)."""
    return "" if text is None else printable(text, keep="\n")


def page_text(text: str | None) -> str | None:
    """No control characters in a document (escaping is the template's job)."""
    return None if text is None else printable(text, keep="\n\t", instead="\ufffd")


# Markdown: only what would otherwise turn into markup is escaped, so that the text reads
# as plain text too (no "&lt;", no "\\[A\\]"): a backslash before punctuation, code
# and emphasis marks, "<" that could open a tag or autolink, "&" that could start an entity,
# "]" that could close a link or image, and "|" inside a table cell.
_MD_INLINE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~])"        # a backslash that would escape the next mark
    r"|[`*~]"                          # code spans, emphasis, strikethrough
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # "_" that is not inside a word
    r"|<(?=[A-Za-z/!?])"               # a tag, comment or autolink
    r"|&(?=#?[A-Za-z0-9]+;)"           # an entity or character reference
    r"|\](?=[(\[:])"                   # the end of a link, image or reference
)
# what would start a heading, quote, list or setext underline at the start of a line
_MD_BLOCK_START = re.compile(r"^(?:>|[#+=-](?=\s|$))")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def md_inline(text: object, *, table: bool = False) -> str:
    """Any text as inert Markdown on one line, escaping only what would become markup."""
    if text is None:
        return ""
    s = one_line(str(text))
    s = _MD_INLINE.sub(lambda m: "\\" + m.group(0), s)
    s = _MD_BLOCK_START.sub(lambda m: "\\" + m.group(0), s)
    s = _MD_ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), s)
    if table:
        s = s.replace("|", "\\|")
    return s


def md_cell(text: object) -> str:
    """Text for a cell of a Markdown table (a "|" escaped too)."""
    return md_inline(text, table=True)
