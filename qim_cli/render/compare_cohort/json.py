"""A programme's before and after as JSON: the CohortComparison as it is (`qim schema
compare-cohort`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...cohort.compare_results import CohortComparison
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: CohortComparison, profiles: Profiles, layout: Layout) -> str:
    return json.dumps(doc.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
