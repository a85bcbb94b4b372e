"""360° sets made for a test: a colleague's rating at given levels, and a self-assessment with
six ratings in three groups whose merged scores the tests work out by hand."""

from __future__ import annotations

from conftest import make_sheet

from qim_cli.sheets.models import RaterSheet


def rating(profiles, role, levels: dict[str, int], default: int, rid: str | None = None) -> RaterSheet:
    """A colleague's rating where every item of a competency shows the given level."""
    answers = {}
    for cid, comp in profiles.competencies.items():
        level = levels.get(cid, default)
        for item in comp.items:
            answers[item.id] = 6 - level if item.reverse else level
    rater = {"role": role} | ({"id": rid} if rid else {})
    return RaterSheet.model_validate(
        {"schema_version": 1, "subject": "t-1", "rater": rater, "answers": answers})


def hand_built_set(profiles):
    """Self plus six raters in three groups: 3 peers, 2 front-line staff, 1 line manager."""
    self_sheet = make_sheet(profiles, background="clinical", years=3,
                            by_competency={"healthcare_context": 5, "supportiveness": 2})
    ratings = [
        rating(profiles, "peer", {"supportiveness": 4}, 3),
        rating(profiles, "peer", {"supportiveness": 4}, 3),
        rating(profiles, "peer", {"supportiveness": 5}, 4),
        rating(profiles, "frontline", {"supportiveness": 4}, 2),
        rating(profiles, "frontline", {"supportiveness": 4}, 4),
        rating(profiles, "line_manager", {"supportiveness": 4}, 3),
    ]
    return self_sheet, ratings
