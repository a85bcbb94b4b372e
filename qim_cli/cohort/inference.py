"""Inference over a group: how sure a reliability figure is, how large a change is, and
what many comparisons at once allow.

* **Feldt's interval for Cronbach's alpha** (Feldt, Woodruff & Salih, 1987, p. 95,
  formulas 6 and 7): with n people and k items,
  ``lower = 1 - (1 - alpha) x F(1 - c/2; n - 1, (n - 1)(k - 1))`` and
  ``upper = 1 - (1 - alpha) x F(c/2; ...)``, F the quantiles of SciPy's F distribution.
* **Effect sizes for paired data** (Lakens, 2013): ``d_z``, the mean change over the SD
  of the changes; and ``d_av``, the mean change over the average of the two SDs, which
  is on the scale of a between-people difference and is not inflated by a high
  correlation between before and after.
* **Holm's step-down adjustment** (Holm, 1979) of a family of p values, from
  statsmodels (``multipletests(method="holm")``): it keeps the chance of even one false
  "significant" change in the family at 5%.

* **A paired change** (`paired_change`): the mean change with its paired-t confidence
  interval and p value (``scipy.stats.ttest_rel``), with d_z and d_av.

SciPy and statsmodels are imported when first needed: only the cohort commands use them.
"""

from __future__ import annotations

import gc
import math
import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from ..assessment.results import Out

#: the minimum number of people in a group before its alpha is reported: qim's own
#: choice. Sample alpha is biased and unstable in small samples unless the items are
#: strongly related (Yurdugul, 2008, Hacettepe Univ. J. Educ. 35:397-405), and about 30
#: is a common floor in the sample-size literature (reviewed by Bujang, Omar & Baharum,
#: 2018, Malays. J. Med. Sci. 25(6):85-99). Below it, alpha is withheld with the reason.
ALPHA_MIN_N = 30


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float


def feldt_interval(alpha: float, n: int, k: int, confidence: float = 0.95) -> Interval | None:
    """Feldt's confidence interval for Cronbach's alpha from n people and k items.

    None when it is not defined (fewer than two people or two items)."""
    if n < 2 or k < 2:
        return None
    from scipy.stats import f  # lazy: SciPy is heavy

    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - confidence) / 2
    low = 1 - (1 - alpha) * float(f.ppf(1 - tail, df1, df2))
    high = 1 - (1 - alpha) * float(f.ppf(tail, df1, df2))
    return Interval(low, high)


@dataclass(frozen=True, slots=True)
class PairedEffect:
    """Standardised mean change of paired scores, each with its name (Lakens, 2013)."""

    n: int
    mean_change: float
    #: the mean change over the SD of the changes
    d_z: float | None
    #: the mean change over the mean of the SD before and the SD after
    d_av: float | None


def paired_effect(before: Sequence[float], after: Sequence[float]) -> PairedEffect:
    """d_z and d_av of paired scores; None where a denominator is 0 or n < 2."""
    if len(before) != len(after):
        raise ValueError("before and after must pair up")
    n = len(before)
    if n == 0:
        return PairedEffect(0, math.nan, None, None)
    diffs = [a - b for b, a in zip(before, after, strict=True)]
    mean = statistics.fmean(diffs)
    if n < 2:
        return PairedEffect(n, mean, None, None)
    sd_diff = statistics.stdev(diffs)
    sd_av = (statistics.stdev(before) + statistics.stdev(after)) / 2
    return PairedEffect(
        n, mean,
        mean / sd_diff if sd_diff > 1e-12 else None,
        mean / sd_av if sd_av > 1e-12 else None,
    )


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm-adjusted p values of a family, in the order given; a None stays None and
    is not counted in the family."""
    known = [(i, p) for i, p in enumerate(pvalues) if p is not None]
    out: list[float | None] = [None] * len(pvalues)
    if not known:
        return out
    from statsmodels.stats.multitest import multipletests  # lazy: pulls in pandas

    with _objects_so_far_left_out_of_collections():
        _, adjusted, _, _ = multipletests([p for _, p in known], method="holm")
    for (i, _), q in zip(known, adjusted, strict=True):
        out[i] = float(q)
    return out


@contextmanager
def _objects_so_far_left_out_of_collections() -> Iterator[None]:
    """statsmodels' Holm branch ends with a full `gc.collect()` (statsmodels 0.15,
    stats/multitest.py; the removal was proposed upstream in statsmodels PR #8671). With
    SciPy and pandas loaded that walks every object of the process, 40 ms and more, each
    call. Frozen for the call (`gc.freeze`), the objects made before it are left out of
    that collection; they are unfrozen after it. Nothing is frozen here when something
    else has frozen objects: they would be unfrozen too."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# --------------------------------------------------------------------------- a paired change


class PairedChange(Out):
    """The change of one competency over the people scored both times (`paired_change`)."""

    before_mean: float | None
    after_mean: float | None
    change_mean: float | None
    change_sd: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None
    d_z: float | None
    d_av: float | None


def paired_change(before: list[float], after: list[float],
                  confidence: float = 0.95) -> PairedChange:
    """Mean change, its paired-t confidence interval and p value, d_z and d_av."""
    return paired_change_p(before, after, confidence)[0]


def paired_change_p(before: list[float], after: list[float],
            confidence: float = 0.95) -> tuple[PairedChange, float | None]:
    """`paired_change`, and its p value unrounded (for Holm's adjustment).

    With fewer than two people there is no interval; when every change is the same the
    interval is that change and d_z is not defined.
    """
    n = len(before)
    diffs = [a - b for b, a in zip(before, after, strict=True)]
    means = {"before_mean": round(statistics.fmean(before), 2) if n else None,
             "after_mean": round(statistics.fmean(after), 2) if n else None,
             "change_mean": round(statistics.fmean(diffs), 2) if n else None}
    if n < 2:
        return PairedChange(**means, change_sd=None, ci_low=None, ci_high=None, p=None,
                            d_z=None, d_av=None), None
    effect = paired_effect(before, after)
    d_av = None if effect.d_av is None else round(effect.d_av, 2)
    mean = statistics.fmean(diffs)
    sd = statistics.stdev(diffs)
    if sd < 1e-12:
        return PairedChange(**means, change_sd=round(sd, 2), ci_low=round(mean, 2),
                            ci_high=round(mean, 2), p=None, d_z=None, d_av=d_av), None
    from scipy import stats  # lazy: scipy is heavy and only this command needs it

    res = stats.ttest_rel(after, before)
    ci = res.confidence_interval(confidence_level=confidence)
    p = float(res.pvalue)
    raw = p if math.isfinite(p) else None
    return PairedChange(**means, change_sd=round(sd, 2), ci_low=round(float(ci.low), 2),
                        ci_high=round(float(ci.high), 2),
                        p=None if raw is None else round(raw, 4), d_z=round(mean / sd, 2),
                        d_av=d_av), raw
