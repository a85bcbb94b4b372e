"""What a row of `qim score` holds, in every format: the columns, a record as JSON-ready
data, and a record as CSV cells (built directly: this runs once per sheet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..spreadsheet import Cell, text_cell

if TYPE_CHECKING:
    from ...cohort.records import Record
    from ...framework.profiles import Profiles

#: How many training ids a score row names.
TOP_TRAININGS = 3


def score_columns(profiles: Profiles) -> list[str]:
    """The CSV header of `qim score`."""
    cols = ["file", "id", "name", "background", "role", "career_stage", "setting",
            "organisation", "unit"]
    for cid in profiles.competencies:
        cols += [f"{cid}_score", f"{cid}_gap"]
    cols += ["recommendations", "barriers"]
    cols += [f"top_{i}" for i in range(1, TOP_TRAININGS + 1)]
    return cols


def score_row(rec: Record) -> dict[str, Any]:
    """One respondent as JSON-ready data (scores and gaps as numbers or null): a flat row
    whose columns depend on the profile set's competencies."""
    row: dict[str, Any] = {
        "file": rec.file,
        "id": rec.id,
        "name": rec.name,
        "background": rec.background,
        "role": rec.role,
        "career_stage": rec.career_stage,
        "setting": rec.setting,
        "organisation": rec.organisation,
        "unit": rec.unit,
    }
    for cid, score in rec.scores.items():
        row[f"{cid}_score"] = score
        row[f"{cid}_gap"] = rec.gaps[cid]
    row["recommendations"] = len(rec.recommendations)
    row["barriers"] = len(rec.barriers)
    row["top_trainings"] = rec.recommendations[:TOP_TRAININGS]
    return row


def score_csv_cells(rec: Record) -> list[Cell]:
    """The CSV row of a record, in `score_columns` order. Text cells are neutralised like
    `csv_cell` (formula prefixes); numbers stay numbers."""
    row: list[Cell] = [text_cell(rec.file), text_cell(rec.id), text_cell(rec.name),
                       text_cell(rec.background), text_cell(rec.role),
                       text_cell(rec.career_stage), text_cell(rec.setting),
                       text_cell(rec.organisation), text_cell(rec.unit)]
    gaps = rec.gaps
    for cid, score in rec.scores.items():
        gap = gaps[cid]
        row.append("" if score is None else score)
        row.append("" if gap is None else gap)
    tops = rec.recommendations
    row.append(len(tops))
    row.append(len(rec.barriers))
    for i in range(TOP_TRAININGS):
        row.append(text_cell(tops[i]) if i < len(tops) else "")
    return row
