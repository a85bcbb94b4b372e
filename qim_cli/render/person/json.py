"""The person's report as JSON: the Result as it is (`qim schema result`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...assessment.results import Result
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(result: Result, profiles: Profiles, layout: Layout) -> str:
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
