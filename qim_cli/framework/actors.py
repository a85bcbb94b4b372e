"""Who in an organisation can act on a barrier: the three levels of the model of alignment [P].

Plain constants, light to import (renderers and the cohort view share them).
"""

from __future__ import annotations

ACTORS = ("front_line", "middle_managers", "board")
ACTOR_LABEL = {
    "front_line": "front-line staff",
    "middle_managers": "middle managers",
    "board": "the board and senior leaders",
}
