"""The cohort report as JSON: the CohortSummary as it is (`qim schema cohort`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...cohort.results import CohortSummary
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: CohortSummary, profiles: Profiles, layout: Layout) -> str:
    return json.dumps(doc.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
