"""`qim pair`: mixed-team and mentoring pairs (cohort.pairing.PairingResult), one module
per format. Pairs are shared with the people in them, so numbers (how much each person
covers of the other's gaps) appear only when the document carries them (--scores)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from ..formats import Layout
from ..notice import rendered

if TYPE_CHECKING:
    from ...cohort.pairing import PairingResult
    from ...framework.profiles import Profiles


class PairFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


def render(fmt: PairFormat, doc: PairingResult, profiles: Profiles,
           layout: Layout) -> str:
    out = rendered(__name__, fmt, doc, profiles, layout)
    assert isinstance(out, str)
    return out
