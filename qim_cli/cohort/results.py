"""What `qim cohort` reports: the cohort summary and its sections, as typed documents.

The counterpart of assessment/results.py for many people. The builders fill them
(`stats.py` and `summary.py` the summary, `organisation.py` the organisation's view,
`proposal.py` the programme proposal, `calibration.py` the scenario calibration); the
renderers read them; `qim schema cohort` is generated from them. Output only, never
parsed from a user's file. A new figure is a new field here, filled by its builder: the
JSON keeps the order of the fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from ..assessment.results import Out
from .organisation_results import OrganisationView
from .privacy import Privacy, Why

#: what a figure says when its competency was suggested by the study's authors
AuthorsNote = str | None
GroupByName = Literal["background", "role", "career_stage", "setting", "organisation", "unit"]


#: how a batch report counts "below target", in the words printed beside its targets
WITHIN_ERROR_COUNTED = ("A score below its target by less than its measurement error counts "
                        "as at target, as in each person's report.")


class Standard(Out):
    """The role standard the targets come from: qim's own convention, not the study's."""

    label: str
    basis: str
    framework_version: str
    within_error: str = Field(
        default=WITHIN_ERROR_COUNTED,
        description="how a score below its target by less than its measurement error is "
                    "counted: as at target, as in the person's report")


# --------------------------------------------------------------------------- groups


class CompetencySummary(Out):
    """One competency in one column; a count of fewer than --min-group people is null
    (`suppressed`), and with `n` withheld every figure resting on it is too."""

    id: str
    label: str
    n: int | None
    mean: float | None
    median: float | None
    below_target: int | None = Field(
        description="people below their target beyond measurement error (a smaller gap "
                    "counts as at target)")
    below_target_share: float | None
    #: "suggested by the study's authors; not named by the QIMs interviewed", or null
    note: AuthorsNote
    suppressed: bool = False
    withheld: dict[str, Why] = Field(
        default_factory=dict, description="the fields withheld (null) and why: fewer than "
        "--min-group people, or a complement that would give one away")


class TrainingNeed(Out):
    """A training and the people of the group it was recommended to (null when fewer than
    --min-group, or withheld with such a count: `suppressed`)."""

    id: str
    title: str
    people: int | None
    share: float | None
    suppressed: bool = False
    withheld: dict[str, Why] = Field(
        default_factory=dict, description="the fields withheld (null) and why: fewer than "
        "--min-group people, or a complement that would give one away")


class GroupSummary(Out):
    """The whole cohort ("overall") or one shown group."""

    group: str
    label: str
    n: int
    competencies: list[CompetencySummary]
    training_needs: list[TrainingNeed]

    def need(self, training: str) -> TrainingNeed | None:
        """This group's figure for a training, or None when nobody was recommended it."""
        return next((t for t in self.training_needs if t.id == training), None)


class BelowTarget(Out):
    id: str
    label: str
    below_target: int
    n: int
    share: float
    note: AuthorsNote


class ItemTotal(Out):
    item: str
    text: str
    r: float | None
    low: bool


class ReliabilityRow(Out):
    """Cronbach's alpha of a competency within one background group, with Feldt's 95%
    interval (cohort/reliability.py, cohort/inference.py); withheld (null) below the
    minimum n, with the reason in `note`."""

    group: str = Field(description="the background group it is computed within")
    group_label: str
    competency: str
    label: str
    n: int | None = Field(description="people who answered every item; null when fewer "
                                      "than min_group (privacy)")
    items: int
    alpha: float | None
    ci_low: float | None = Field(description="Feldt's 95% interval, lower end")
    ci_high: float | None
    sd: float | None = Field(description="the SD of the competency score in the group "
                                         "(what precision.toml needs beside alpha)")
    item_total: list[ItemTotal]
    flagged: list[str]
    note: str | None


class Reliability(Out):
    """Cronbach's alpha per background group, and what it rests on."""

    min_n: int = Field(description="alpha is withheld for a group with fewer people")
    basis: str
    synthetic: int = Field(description="sheets marked synthetic = true (made up, not real "
                                       "people's answers)")
    note: str | None = Field(description="said when any sheet is synthetic")
    withheld: str | None = Field(description="why no alpha is shown at all, when none is")
    rows: list[ReliabilityRow]


class AgreementRow(Out):
    """A competency's agreement; a count of fewer than --min-group people is null
    (`suppressed`), and with `people` withheld every figure of the row is too."""

    competency: str
    label: str
    people: int | None
    self_mean: float | None
    others_mean: float | None
    difference_mean: float | None
    abs_difference_mean: float | None
    self_higher: int | None
    hidden_strengths: int | None
    correlation: float | None
    suppressed: bool = False
    withheld: dict[str, Why] = Field(
        default_factory=dict, description="the fields withheld (null) and why: fewer than "
        "--min-group people, or a complement that would give one away")


class Agreement(Out):
    """360° self-other agreement over the people with a self-assessment and enough
    colleagues' ratings; `competencies` is empty when they are fewer than --min-group."""

    ratings: int
    subjects: int
    matched: int
    unmatched: int
    min_raters: int
    competencies: list[AgreementRow]


# --------------------------------------------------------------------------- proposal


class NeedCount(Out):
    id: str
    label: str
    people: int | None = Field(description="null: fewer than --min-group")
    note: AuthorsNote
    suppressed: bool = False
    withheld: dict[str, Why] = Field(
        default_factory=dict, description="the fields withheld (null) and why: fewer than "
        "--min-group people, or a complement that would give one away")


class Session(Out):
    id: str
    title: str
    kind: str
    tier: str
    effort: str
    hours: float
    people: int | None = Field(description="people with a high-priority need it meets "
                                           "(null: fewer than --min-group)")
    competencies: list[NeedCount] = Field(
        description="the high-priority needs it meets, at the tier each person's plan asks for")
    prepares: list[NeedCount] = Field(
        description="high-priority needs it was recommended for but is lighter than the "
                    "person's plan asks: preparation, not meeting the need")


class Proposal(Out):
    """The fewest sessions meeting every high-priority need (cohort/proposal.py)."""

    method: str
    met_means: str = Field(description="what counts as meeting a need")
    people: int | None = Field(description="people with a high-priority need that a session "
                                           "meets (null: fewer than --min-group)")
    needs: int | None = Field(description="high-priority needs that a session meets (null: "
                                          "fewer than --min-group)")
    sessions: list[Session]
    hours: float
    preparation: list[Session] = Field(
        description="lighter activities recommended for high-priority needs, outside the "
                    "programme: preparation only")
    unmet: list[NeedCount]


# --------------------------------------------------------------------------- calibration

CalibrationKind = Literal["calibrated", "generous", "modest", "mixed"]
#: the kinds of people by the calibration notes of their own reports, in report order
KINDS: tuple[CalibrationKind, ...] = ("calibrated", "generous", "modest", "mixed")


class CalibrationCompetency(Out):
    id: str
    label: str
    answered: int | None = Field(description="people who answered a scenario on it")
    share: float | None = Field(description="their share of the best-response points (0–1)")
    below_chance: int | None = Field(description="people whose judgement is below the chance band")
    above_chance: int | None = Field(description="people whose judgement is above the chance band")
    generous: int | None
    modest: int | None
    suppressed: bool = Field(default=False, description="a count is withheld (null): fewer "
                                                         "than --min-group, or withheld with one")
    withheld: dict[str, Why] = Field(
        default_factory=dict, description="the fields withheld (null) and why: fewer than "
        "--min-group people, or a complement that would give one away")


class CalibrationColumn(Out):
    """Overall or one group: people by the notes of their own reports."""

    group: str
    label: str
    people: int
    calibrated: int | None
    generous: int | None
    modest: int | None
    mixed: int | None
    calibrated_share: float | None
    generous_share: float | None
    modest_share: float | None
    mixed_share: float | None
    share: float | None = Field(description="the group's share of the best-response points "
                                            "over every scenario answered (0–1)")
    withheld: dict[str, Why] = Field(
        default_factory=dict, description="the fields withheld (null) and why: fewer than "
        "--min-group people, or a complement that would give one away")
    competencies: list[CalibrationCompetency]

    def kinds(self) -> list[tuple[CalibrationKind, int | None, float | None]]:
        """(kind, people, share) for each kind, in `KINDS` order."""
        return [("calibrated", self.calibrated, self.calibrated_share),
                ("generous", self.generous, self.generous_share),
                ("modest", self.modest, self.modest_share),
                ("mixed", self.mixed, self.mixed_share)]


class CalibrationSummary(Out):
    """Self-rating against scenario judgement (null when nobody answered scenarios)."""

    notice: str
    chance: float = Field(description="the expected share of the best-response points from "
                                      "random picks (exact, from the scoring rule)")
    people: int | None
    columns: list[CalibrationColumn]
    withheld: list[str]
    note: str | None


# --------------------------------------------------------------------------- the summary


class CohortSummary(Out):
    """The JSON document of `qim cohort`. `organisation`, `proposal` and `calibration` are
    null when the cohort is smaller than --min-group; `calibration` also when nobody
    answered scenarios; `agreement` when no colleague's rating was given."""

    title: str | None
    date: dt.date
    agreement: Agreement | None
    by: GroupByName
    min_group: int
    privacy: Privacy
    n: int | None
    framework_version: str
    standard: Standard
    overall: GroupSummary | None
    groups: list[GroupSummary]
    suppressed: list[str]
    reliability: Reliability | None
    low_item_total: float
    organisation: OrganisationView | None
    #: one view per organisation when the sheets name more than one (else empty)
    organisations: list[OrganisationView]
    notes: list[str]
    most_below: list[BelowTarget]
    proposal: Proposal | None
    calibration: CalibrationSummary | None

    @property
    def columns(self) -> list[GroupSummary]:
        """Overall first, then every shown group."""
        return ([self.overall] if self.overall is not None else []) + list(self.groups)
