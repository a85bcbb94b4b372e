"""How precise one person's competency score is, and when a difference is more than noise.

A competency score is the mean of a few self-rated items, so it carries measurement
error. Classical test theory gives its size from the spread of scores and the
reliability of the scale:

* **Standard error of measurement** ``SEM = SD x sqrt(1 - r)`` (Lord & Novick, 1968).
  A single score is precise to about ``+/- z x SEM`` (z = 1.96 at 95%).
* **A gap to a fixed target** is within measurement error when ``|gap| < z x SEM``: the
  target is a fixed number, only the score is measured.
* **A change between two occasions** is judged with the **reliable change index** of
  Jacobson & Truax (1991): ``RCI = (after - before) / S_diff`` with
  ``S_diff = sqrt(2 x SEM^2)``; ``|RCI| >= z`` is a change beyond measurement error,
  anything smaller is within it. The smallest reliable change is ``z x S_diff``.

The SD and the reliability of each competency are data (``profiles/framework.toml``),
with where they come from; this module only does the arithmetic. The normal quantile
comes from the standard library (``statistics.NormalDist``), so the person's report
needs no SciPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

#: the confidence every verdict of this module is made at
CONFIDENCE = 0.95


def z_value(confidence: float = CONFIDENCE) -> float:
    """The two-sided normal quantile for a confidence level (1.959964 at 95%)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1 (got {confidence})")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def sem(sd: float, reliability: float) -> float:
    """Standard error of measurement: ``SD x sqrt(1 - reliability)``."""
    if sd < 0:
        raise ValueError(f"a standard deviation cannot be negative (got {sd})")
    if not 0 <= reliability <= 1:
        raise ValueError(f"reliability must lie between 0 and 1 (got {reliability})")
    return sd * math.sqrt(1 - reliability)


def s_diff(sem_value: float) -> float:
    """Standard error of the difference of two scores, each with this SEM."""
    return math.sqrt(2 * sem_value**2)


def smallest_reliable_change(sem_value: float, confidence: float = CONFIDENCE) -> float:
    """The smallest change that is beyond measurement error: ``z x S_diff``."""
    return z_value(confidence) * s_diff(sem_value)


def score_band(sem_value: float, confidence: float = CONFIDENCE) -> float:
    """Half the width of a single score's band: ``z x SEM``."""
    return z_value(confidence) * sem_value


Verdict = Literal["beyond", "within"]


@dataclass(frozen=True, slots=True)
class ReliableChange:
    """A change judged against measurement error (Jacobson & Truax, 1991)."""

    change: float
    rci: float | None
    #: the smallest change beyond measurement error, in score points
    threshold: float
    verdict: Verdict

    @property
    def beyond(self) -> bool:
        return self.verdict == "beyond"

    @property
    def words(self) -> str:
        return ("changed beyond measurement error" if self.beyond
                else "within measurement error")


def reliable_change(before: float, after: float, sem_value: float,
                    confidence: float = CONFIDENCE) -> ReliableChange:
    """The reliable change index of one person's change from ``before`` to ``after``.

    With an SEM of 0 (a perfectly reliable scale) any change is beyond error and the
    index itself is undefined (None)."""
    change = after - before
    sd = s_diff(sem_value)
    threshold = z_value(confidence) * sd
    if sd == 0:
        return ReliableChange(change, None, 0.0, "beyond" if change else "within")
    rci = change / sd
    # compared on the index, rounded to 1e-9 so that a change of exactly the threshold
    # counts as reliable whatever the floating point does
    verdict: Verdict = "beyond" if round(abs(rci), 9) >= round(z_value(confidence), 9) else "within"
    return ReliableChange(change, rci, threshold, verdict)


def gap_within_error(gap: float, sem_value: float, confidence: float = CONFIDENCE) -> bool:
    """Whether a score's gap to a fixed target lies inside the score's band."""
    return abs(gap) < score_band(sem_value, confidence)
