"""`qim pair` as JSON: the PairingResult as it is (`qim schema pair`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...cohort.pairing import PairingResult
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: PairingResult, profiles: Profiles, layout: Layout) -> str:
    return json.dumps(doc.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
