"""The typed documents of the levels' own answers (cohort/alignment.py fills them): each
level of staff beside the others, question by question, with the QIMs' perception as one
level among them. Part of the organisation's view (results.OrganisationView)."""

from __future__ import annotations

from typing import Literal

from ..assessment.results import Out

#: what an alignment finding or the board summary was read from: the levels' own answers
#: (context sheets) or the QIMs' perception of them
Basis = Literal["measured", "perceived"]
#: why a figure is withheld: it rests on fewer than --min-group people, or it is hidden
#: as well so that such a figure cannot be worked out from the others
Withheld = Literal["fewer_than_min_group", "complementary"]
#: the key of the QIMs' own answers among the levels
QIMS = "qims"


class StaffLevelColumn(Out):
    """A level of staff who answered context sheets (or the QIMs): how many sheets."""

    id: str
    label: str
    #: true for staff answering about their own workplace, false for the QIMs' perception
    measured: bool
    n: int | None
    suppressed: bool
    reason: Withheld | None


class LevelCell(Out):
    """One level's answers to one question: n answering (not "don't know"), people
    reporting a barrier, their share and the mean answer; all null when withheld."""

    level: str
    n: int | None
    barrier: int | None
    share: float | None
    mean: float | None
    suppressed: bool
    reason: Withheld | None


class LevelQuestion(Out):
    """One question, level beside level, and whether the measured levels disagree."""

    id: str
    text: str
    #: the level of the organisation the question is about (alignment.toml's levels)
    about: str
    cells: list[LevelCell]
    #: the highest share reporting a barrier minus the lowest, over the measured levels shown
    spread: float | None
    disagree: bool
    #: where they disagree, in plain words: which level sees it in place, which does not
    finding: str | None


class LevelComparison(Out):
    """The levels' own answers set side by side (qim's rule for "disagree" in `rule`)."""

    levels: list[StaffLevelColumn]
    questions: list[LevelQuestion]
    disagree_at_least: float
    rule: str
    caveat: str
    sources: list[str]
