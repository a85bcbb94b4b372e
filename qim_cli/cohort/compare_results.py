"""What `qim compare-cohort` reports: a programme's before and after, as typed documents.

compare.py fills them; the renderers under render/compare_cohort/ read them; `qim schema
compare-cohort` is generated from them. Output only, never parsed from a user's file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..assessment.results import Out
from .alignment_results import Withheld
from .privacy import Privacy, Why
from .results import GroupByName, Standard

WITHHELD_FIELDS = ("the fields withheld (null) and why: fewer than --min-group people, or a "
                   "complement that would give one away")


class Counts(Out):
    """Sheets before and after, people paired, and those who could not be (a count of
    fewer than --min-group is null, named in `withheld`)."""

    before: int | None
    after: int | None
    paired: int | None
    only_before: int | None
    only_after: int | None
    repeated_before: int | None
    repeated_after: int | None
    withheld: dict[str, Why] = Field(default_factory=dict, description=WITHHELD_FIELDS)


class ChangeRow(Out):
    """A competency's change; every figure None when withheld (`suppressed`)."""

    id: str
    label: str
    n: int | None
    before_mean: float | None
    after_mean: float | None
    change_mean: float | None
    change_sd: float | None
    ci_low: float | None
    ci_high: float | None
    p: float | None
    p_holm: float | None = Field(description="p adjusted by Holm's method over the family of "
                                             "the table's competencies")
    d_z: float | None
    d_av: float | None
    reliable_up: int | None = Field(
        description="people whose score rose beyond measurement error (reliable change "
                    "index); null when withheld: fewer than min_group people")
    reliable_down: int | None = Field(
        description="people whose score fell beyond measurement error; null when withheld")
    at_target_before: float | None = Field(
        description="the share of the people paired at their target before, or below it "
                    "within measurement error; null when withheld")
    at_target_after: float | None = Field(
        description="the same share after; null when withheld")
    suppressed: bool
    withheld: dict[str, Why] = Field(default_factory=dict, description=WITHHELD_FIELDS)


class NeedChange(Out):
    """People a training was recommended to, before and after."""

    id: str
    title: str
    before: int | None
    after: int | None
    resolved: int | None
    new: int | None
    withheld: dict[str, Why] = Field(default_factory=dict, description=WITHHELD_FIELDS)


class BarrierChange(Out):
    """People who reported a barrier, before and after."""

    rule: str
    title: str
    before: int | None
    after: int | None
    resolved: int | None
    new: int | None
    withheld: dict[str, Why] = Field(default_factory=dict, description=WITHHELD_FIELDS)


class OrganisationChange(Out):
    """One organisation's barriers before and after (the organisation its people named
    before); withheld as a whole, with its complement, under --min-group."""

    organisation: str
    label: str
    n: int | None
    suppressed: bool
    reason: Withheld | None
    barriers: list[BarrierChange]


class GroupChange(Out):
    group: str
    label: str
    n: int
    competencies: list[ChangeRow]


class CohortComparison(Out):
    """The JSON document of `qim compare-cohort` (its kind, "programme", is the name
    earlier versions gave it)."""

    kind: Literal["programme"]
    framework_version: str
    standard: Standard
    by: GroupByName
    min_group: int
    privacy: Privacy
    confidence: float
    effect_size: str
    adjustment: str = Field(description="how the p values of a table are adjusted, and the "
                                        "size of the family")
    reliability: str = Field(description="where the reliability behind \"beyond measurement "
                                         "error\" comes from")
    selection_caution: str = Field(description="said beside the needs and barriers resolved "
                                               "and the share at target")
    counts: Counts
    competencies: list[ChangeRow]
    training_needs: list[NeedChange]
    barriers: list[BarrierChange]
    #: one organisation's barriers each, when the paired people name more than one
    organisations: list[OrganisationChange]
    groups: list[GroupChange]
    suppressed: list[str]
    limitations: list[str]
    notes: list[str]

    @property
    def shown(self) -> bool:
        """Whether any figure is shown (enough people were paired)."""
        return any(not r.suppressed for r in self.competencies)
