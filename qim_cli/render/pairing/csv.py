"""`qim pair` as CSV: one row per person, their group (empty when unpaired), side
(background in a mixed pair, mentor or mentee) and what they bring; weight and
brings_points only with --scores."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..spreadsheet import LongCsv

if TYPE_CHECKING:
    from ...cohort.pairing import PairingResult
    from ...framework.profiles import Profiles
    from ..formats import Layout

COLUMNS = ["group", "id", "name", "background", "career_stage", "side", "brings",
           "explanation", "reason", "weight", "brings_points"]


def render(doc: PairingResult, profiles: Profiles, layout: Layout) -> str:
    out = LongCsv(COLUMNS if doc.scores else COLUMNS[:-2])
    for g in doc.groups:
        for m in g.members:
            points = None
            if m.brings_points is not None:
                points = " ".join(f"{k}={v:g}" for k, v in m.brings_points.items())
            out.row(group=g.number, id=m.id, name=m.name, background=m.background,
                    career_stage=m.career_stage, side=m.side, brings=" ".join(m.brings),
                    explanation=g.explanation, weight=g.weight, brings_points=points)
    for u in doc.unpaired:
        out.row(id=u.id, name=u.name, background=u.background, career_stage=u.career_stage,
                reason=u.reason)
    return out.text()
