"""What every format of `qim pair` says the same way: who is in a group, and its cover."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...cohort.pairing import PairGroup


def who(g: PairGroup, points: bool = False) -> list[str]:
    """The members' names (with `points`: and how much each covers of the others' gaps)."""
    return [m.shown + (f" {sum((m.brings_points or {}).values()):g}" if points else "")
            for m in g.members]


def cover(g: PairGroup) -> str:
    """`cover 13.16: qim-004 2.5, qim-030 8.16`: only with --scores; a member who covers
    nothing of the others' gaps is there with 0, as in the wide table."""
    each = ", ".join(f"{m.shown} {sum(m.brings_points.values()):g}"
                     for m in g.members if m.brings_points is not None)
    return f"cover {g.weight or 0:g}" + (f": {each}" if each else "")
