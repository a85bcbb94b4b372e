"""How precise each competency's score is (``profiles/precision.toml``): its reliability
and the standard deviation its standard error of measurement needs, with where they come
from. The arithmetic on them is in ``assessment/precision.py``; this module reads and
checks the figures."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field

from .models import Id, Passage, Strict


class CompetencyPrecision(Strict):
    """One competency's figures: a reliability (for example Cronbach's alpha) and the SD
    of its scores, in score points."""

    reliability: Annotated[float, Field(gt=0, lt=1)]
    sd: Annotated[float, Field(gt=0, le=2)]


class PrecisionFile(Strict):
    """``precision.toml``: each competency's reliability and SD, with their basis."""

    schema_version: Literal[1]
    #: a few words every output uses for where the figures come from
    label: str = Field(min_length=1, max_length=120)
    #: what the figures are and are not (shown in the reports that use them)
    basis: str = Field(min_length=1)
    passage: Passage
    sources: dict[Id | str, str] = Field(min_length=1)
    competencies: dict[Id, CompetencyPrecision]


def check_precision(name: str, file: PrecisionFile, competencies: list[str]) -> list[str]:
    """Every competency has its figures, none is unknown, and the passage cites only the
    file's own sources (or "qim:" for qim's own choice)."""
    errs = [f"{name}: competencies.{cid}: missing (every competency needs a reliability "
            "and an SD)" for cid in competencies if cid not in file.competencies]
    errs += [f"{name}: competencies.{cid}: no such competency in framework.toml"
             for cid in file.competencies if cid not in competencies]
    cited = set(re.findall(r"(?:^|;\s*)([A-Za-z][A-Za-z0-9_]*):", file.passage))
    errs += [f"{name}: passage: cites {sid!r}, which is not in [sources]"
             for sid in sorted(cited - set(file.sources) - {"qim"})]
    return errs
