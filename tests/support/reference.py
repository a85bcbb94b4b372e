"""Reference computations written out the long way, to check qim's own against."""

from __future__ import annotations

import statistics


def alpha_two_pass(rows: list[list[int]]) -> float:
    """An independent computation: two-pass sample variances with the statistics module."""
    k = len(rows[0])
    item_vars = [statistics.variance([r[i] for r in rows]) for i in range(k)]
    total_var = statistics.variance([sum(r) for r in rows])
    return k / (k - 1) * (1 - sum(item_vars) / total_var)
