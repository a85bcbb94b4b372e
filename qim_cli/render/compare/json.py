"""One person's before and after as JSON: the PersonComparison as it is (`qim schema compare`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...assessment.compare import PersonComparison
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(doc: PersonComparison, profiles: Profiles, layout: Layout) -> str:
    return json.dumps(doc.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
