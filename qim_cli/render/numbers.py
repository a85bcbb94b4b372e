"""How every report writes a number: a score or a difference to two decimals, a share
as a whole percentage, and a dash for a figure that is not there. Standard library only."""

from __future__ import annotations

NONE = "–"


def number(x: float | None, *, signed: bool = False) -> str:
    """`3.25`, with `signed` `+0.50` / `-0.25`; a dash for None."""
    if x is None:
        return NONE
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def percent(share: float | None) -> str:
    """A share (0–1) as a whole percentage, `42%`; a dash for None."""
    return NONE if share is None else f"{share * 100:.0f}%"


def percent_of(k: int, n: int) -> str:
    """A count of a group as a whole percentage, from the two integers: 15 of 36 -> 42%."""
    return f"{round(100 * k / n)}%"
