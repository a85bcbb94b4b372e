"""English for the sentences qim assembles from parts: a list joined with "and", a count
with its noun, a label inside a sentence. One copy of each, used by every layer, so that
the edges (none, one, two, many) read the same everywhere. Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable


def and_list(words: Iterable[str], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`; empty for none (the sentence says what none means).
    Where an item holds the conjunction itself, a comma marks the last one off: `middle
    managers, and the board and senior leaders`."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    last = f", {conjunction} " if any(f" {conjunction} " in w for w in items) else f" {conjunction} "
    return ", ".join(items[:-1]) + last + items[-1]


def plural(n: float, singular: str, plural: str | None = None) -> str:
    """`1 objective`, `2 objectives`, `0 objectives`, `2.5 hours` (`plural` for an
    irregular noun)."""
    return f"{n:g} {singular if n == 1 else plural or singular + 's'}"


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter lowered (`long-term thinking`), unless
    it starts an acronym (`QI knowledge and methods`)."""
    if label[:2] and label[:2] == label[:2].upper():
        return label
    return label[:1].lower() + label[1:]
