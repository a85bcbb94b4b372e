"""The 360° report as JSON: the FeedbackResult as it is (`qim schema feedback`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...assessment.feedback_results import FeedbackResult
    from ...framework.profiles import Profiles
    from ..formats import Layout


def render(fb: FeedbackResult, profiles: Profiles, layout: Layout) -> str:
    return json.dumps(fb.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
