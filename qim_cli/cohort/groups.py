"""How the people of a cohort are grouped (--by): the grouping, each person's group and
its words. Standard library only."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from .records import Record

#: the group of people who did not say (a sheet without a setting, say)
NOT_GIVEN = "not_given"


class GroupBy(str, Enum):
    background = "background"
    role = "role"
    career_stage = "career_stage"
    setting = "setting"
    organisation = "organisation"
    #: a unit within its organisation ("Northshore Hospital: Ward 7")
    unit = "unit"


def group_key(rec: Record, by: GroupBy) -> str:
    value: str | None = getattr(rec, by.value)
    if value is None:
        return NOT_GIVEN
    if by is GroupBy.unit and rec.organisation is not None:  # two hospitals' "Ward 7"
        return f"{rec.organisation}: {value}"
    return str(value)


def group_label(profiles: Profiles, by: GroupBy, key: str) -> str:
    """The words for a group key ("Not given" for people who did not say)."""
    if key == NOT_GIVEN:
        return "Not given"
    labels: dict[GroupBy, Mapping[str, str]] = {
        GroupBy.background: {k: v.label for k, v in profiles.backgrounds.items()},
        GroupBy.role: {k: v.label for k, v in profiles.roles.items()},
        GroupBy.career_stage: {k: v.label for k, v in profiles.stages.items()},
        GroupBy.setting: profiles.settings,
        GroupBy.organisation: {},  # the names as the sheets give them
        GroupBy.unit: {},
    }
    return labels[by].get(key, key)
