"""The anonymity rule every cohort figure follows, in one place.

A group with fewer than ``min_group`` people is not shown on its own (its people still
count in the overall figures). When exactly one group would be hidden, the smallest
shown group is hidden too, so that the hidden one cannot be worked out by subtracting
the shown groups from the overall figures (complementary suppression).
"""

from __future__ import annotations

from collections.abc import Collection


def suppressed_groups(sizes: dict[str, int], min_group: int) -> tuple[list[str], list[str]]:
    """(groups below the threshold, groups hidden as well to protect them)."""
    small = sorted(g for g, n in sizes.items() if n < min_group)
    shown = sorted((n, g) for g, n in sizes.items() if n >= min_group)
    secondary: list[str] = []
    if len(small) == 1 and shown:
        secondary.append(shown[0][1])
    return small, secondary


def hidden_cells(sizes: dict[str, int], min_group: int, already: Collection[str] = ()) -> set[str]:
    """The cells of one row (one figure, one cell per group) to withhold.

    `sizes` is how many people each shown group's cell rests on (for example those who
    answered a question); `already` the groups withheld as a whole. A cell resting on
    fewer than ``min_group`` people is withheld; when that leaves exactly one group
    withheld in the row, the smallest other cell is withheld too.
    """
    hidden = set(already) | {g for g, n in sizes.items() if n < min_group}
    shown = sorted((n, g) for g, n in sizes.items() if g not in hidden)
    if len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    return hidden
