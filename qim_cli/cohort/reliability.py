"""Reliability of a cohort's answers: Cronbach's alpha and corrected item-total correlations.

Computed from running sums of item values and their cross products (exact integer
arithmetic), on effective item values (reverse-keyed items flipped), over the people
who answered every item of a competency (listwise deletion). Sample variances (n - 1).

Alpha is computed **within comparable people** (`qim cohort` gives it per background
group, never pooled): pooling groups whose means differ counts the difference between
the groups as true-score variance and inflates alpha, so a pooled figure describes the
mix of the cohort, not the scale. Below ``ALPHA_MIN_N`` people (cohort/inference.py) it
is withheld with the reason (`withheld`), and no item is flagged: a small sample's alpha
and item-total correlations swing too much to judge an item by.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import cast

LOW_ITEM_TOTAL = 0.3


@dataclass
class ItemSums:
    """Running sums for Cronbach's alpha over k items (exact integer arithmetic)."""

    items: list[str]
    n: int = 0
    sums: list[int] = field(default_factory=list)
    cross: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        k = len(self.items)
        self.sums = [0] * k
        self.cross = [[0] * k for _ in range(k)]

    def add(self, values: list[int | None]) -> None:
        if None in values:
            return  # listwise deletion
        xs = cast("list[int]", values)  # (no None in it: checked above)
        self.n += 1
        sums = self.sums
        for i, (x, row) in enumerate(zip(xs, self.cross, strict=True)):
            sums[i] += x
            for j, y in enumerate(xs):
                row[j] += x * y

    def cov(self, i: int, j: int) -> float:
        """Sample covariance of items i and j (n − 1 in the denominator)."""
        n = self.n
        return (self.cross[i][j] - self.sums[i] * self.sums[j] / n) / (n - 1)

    def score_sd(self) -> float | None:
        """The sample SD of the competency score (the mean of the k items) over the same
        people: sqrt(var(total)) / k."""
        k = len(self.items)
        if self.n < 2 or k == 0:
            return None
        var_total = sum(self.cov(i, j) for i in range(k) for j in range(k))
        return math.sqrt(max(var_total, 0.0)) / k


@dataclass(frozen=True)
class ItemTotal:
    item: str
    r: float | None
    low: bool


@dataclass(frozen=True)
class Reliability:
    competency: str
    n: int
    k: int
    alpha: float | None
    items: list[ItemTotal]
    note: str | None = None

    @property
    def flagged(self) -> list[str]:
        return [it.item for it in self.items if it.low]


def withheld(sums: ItemSums, competency: str, min_n: int, why: str | None = None) -> Reliability:
    """Alpha withheld, with the reason (by default: fewer than `min_n` people answered
    every item). No item is flagged."""
    return Reliability(competency, sums.n, len(sums.items), None, [], why or (
        f"withheld: fewer than {min_n} people in the group answered every item"))


def reliability(sums: ItemSums, competency: str) -> Reliability:
    """Cronbach's alpha and corrected item-total correlations from running sums."""
    k, n = len(sums.items), sums.n
    if k < 2:
        return Reliability(competency, n, k, None, [], "fewer than two items")
    if n < 3:
        return Reliability(competency, n, k, None,
                           [ItemTotal(i, None, False) for i in sums.items],
                           "fewer than three people answered every item")
    cov = [[sums.cov(i, j) for j in range(k)] for i in range(k)]
    var_items = [cov[i][i] for i in range(k)]
    var_total = sum(sum(row) for row in cov)
    alpha: float | None
    note = None
    if var_total <= 0:
        alpha, note = None, "every person gave the same total; alpha is undefined"
    else:
        alpha = round(k / (k - 1) * (1 - sum(var_items) / var_total), 3)
    out = []
    for i, item in enumerate(sums.items):
        cov_rest = sum(cov[i]) - var_items[i]
        var_rest = var_total - 2 * sum(cov[i]) + var_items[i]
        if var_items[i] <= 0 or var_rest <= 0:
            out.append(ItemTotal(item, None, False))
            continue
        r = round(cov_rest / math.sqrt(var_items[i] * var_rest), 3)
        out.append(ItemTotal(item, r, r < LOW_ITEM_TOTAL))
    return Reliability(competency, n, k, alpha, out, note)


