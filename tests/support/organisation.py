"""The organisation's view of a made-up cohort, read as its JSON: the summary of some sheets,
a row's cell for a group, a row by id, and a cohort of roles with and without protected time."""

from __future__ import annotations

from typing import Any

from conftest import make_sheet

from qim_cli.cohort.groups import GroupBy
from qim_cli.cohort.records import record_from_sheet
from qim_cli.cohort.stats import Cohort
from qim_cli.cohort.summary import summarise
from qim_cli.framework.profiles import Profiles


def cohort_doc(profiles: Profiles, sheets: list[Any], by: GroupBy = GroupBy.background,
               min_group: int = 5) -> dict[str, Any]:
    """The cohort summary of these sheets, as its JSON reads."""
    records = [record_from_sheet(s, profiles, f"s{i}.toml") for i, s in enumerate(sheets)]
    return summarise(Cohort(profiles, by).add_all(records), min_group).model_dump(mode="json")


def cell(row: dict[str, Any], group: str = "overall") -> dict[str, Any]:
    """A row's cell for one group."""
    return next(c for c in row["cells"] if c["group"] == group)


def by_id(rows: list[dict[str, Any]], key: str, field: str = "id") -> dict[str, Any]:
    """The row whose FIELD is KEY."""
    return next(r for r in rows if r[field] == key)


def by_role(profiles: Profiles, counts: dict[str, int], na_for: dict[str, int]) -> list[Any]:
    """COUNTS people of each role, half of them without protected time; NA_FOR of a role answer "na"."""
    sheets = []
    for role, n in counts.items():
        bg = profiles.roles[role].background
        for i in range(n):
            ctx = {"protected_time": "na" if i < na_for.get(role, 0) else (1 if i % 2 else 4)}
            sheets.append(make_sheet(profiles, background=bg, role=role, rid=f"{role}-{i}",
                                     context=ctx))
    return sheets
