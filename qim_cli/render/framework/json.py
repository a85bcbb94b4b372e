"""The profile set as JSON: every file of it as read, with where it was read from."""

from __future__ import annotations

import json

from ...framework.profiles import Profiles, as_plain
from ..formats import Layout


def render(prof: Profiles, profiles: Profiles, layout: Layout) -> str:
    doc = {
        "directory": str(prof.directory),
        "fingerprint": prof.fingerprint,
        "framework": as_plain(prof.framework),
        "table2": as_plain(prof.table2),
        "standard": as_plain(prof.standard),
        "backgrounds": as_plain(prof.backgrounds_file),
        "trainings": as_plain(prof.trainings_file),
        "rules": as_plain(prof.rules_file),
        "scenarios": as_plain(prof.scenarios_file),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
