"""What a batch keeps of each sheet: one file's `Outcome`, and in it a self-assessment's
`Record` (only what the batch commands need, small and picklable: `Detail` says how
much), a colleague's `RatingRecord` or a context sheet's `ContextRecord`.

`outcome_for` reads and scores one file; `batch.py` runs it over many, in a process pool
or in this process. A record carries the scores and gaps as measured, and which gaps are
beyond measurement error (`Record.below_target`), so every batch report counts "below
target" as the person's own report does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from ..assessment.decisions import decide
from ..assessment.scoring import HIGH_PRIORITY, Score, effective_answers, score_sheet
from ..errors import ExitCode, QimError
from ..parsing import read_toml_file
from ..reading import display_name
from ..sheets.answers import is_rating, rating_from_data, sheet_from_data
from ..sheets.context import ContextRecord, context_from_data, context_record, is_context

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from ..sheets.models import AnswerSheet, RaterSheet


class Detail(IntEnum):
    """How much of each sheet a batch command keeps; each level holds the one before."""

    #: `qim score`: scores, gaps, recommendations and barrier ids
    SCORES = 0
    #: `qim compare-cohort` and `qim pair`: also the context answers, the needs that occur
    #: with a barrier, the trainings for each high need and the scenario calibration
    COHORT = 1
    #: `qim cohort`: also the item values (for reliability)
    ITEMS = 2


@dataclass(slots=True)
class Record:
    """What batch commands need from one scored sheet (small, picklable)."""

    file: str
    id: str
    name: str | None
    background: str
    role: str
    career_stage: str
    setting: str | None
    years_as_qim: float
    scores: dict[str, float | None]
    gaps: dict[str, float | None]
    #: effective item values (reverse items flipped), None when not answered
    items: dict[str, int | None]
    #: training ids, highest priority first
    recommendations: list[str]
    #: barrier rule ids
    barriers: list[str]
    #: context answers in the order of the profile set's context questions, one byte
    #: each: 1–5, or 0 when not answered or "na"
    context: bytes = b""
    #: needs that occur with a barrier that may constrain them: (barrier rule id,
    #: development rule id). A subset of the needs, never taken from them.
    with_barrier: tuple[tuple[str, str], ...] = ()
    #: each competency whose priority is "high" in the person's report -> (the trainings
    #: recommended for it at the tier the person's plan asks for or higher, which meet
    #: it; the lighter ones, which prepare for it), each empty when there is none
    high_needs: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    #: scenario calibration: self-rating minus judgement per competency, two bytes each
    #: (assessment/calibration.py); empty (shared, no memory) when no scenario is answered
    calibration: bytes = b""
    #: where the person works (optional on the sheet): `qim cohort --by organisation`
    organisation: str | None = None
    unit: str | None = None
    #: the sheet says it is made up (`synthetic = true`), not a real person's answers
    synthetic: bool = False
    #: the competencies below target beyond measurement error: the gaps the person's
    #: report treats as needs. A smaller gap is "at target within measurement error"
    #: there (assessment/scoring.py), and is counted as at target by every batch report.
    below_target: tuple[str, ...] = ()

    def below(self, competency: str) -> bool | None:
        """Below target beyond measurement error; None when the competency has no score."""
        if self.gaps.get(competency) is None:
            return None
        return competency in self.below_target


@dataclass(slots=True)
class RatingRecord:
    """A colleague's 360 rating in a batch: whose it is, and the competency scores it gives."""

    file: str
    subject: str
    role: str
    scores: dict[str, float | None]
    #: the colleague's own id on the rating sheet, when it gives one
    rater: str | None = None


@dataclass(slots=True)
class Outcome:
    """One file's result: a record, a colleague's rating, or the loader's message and exit code."""

    file: str
    record: Record | None = None
    lines: list[str] = field(default_factory=list)
    exit_code: int = int(ExitCode.OK)
    rating: RatingRecord | None = None
    #: the record as rendered by the caller's `render` (then `record` is None)
    text: str | None = None
    #: a self-assessment's respondent id (with `record`, `text` or `sheet`)
    id: str | None = None
    #: the sheet itself, for a batch that keeps sheets whole (a 360 report's)
    sheet: AnswerSheet | RaterSheet | None = None
    #: a context sheet (staff at any level): set aside by every batch, never scored
    context: ContextRecord | None = None

    @property
    def ok(self) -> bool:
        return (self.record is not None or self.rating is not None or self.text is not None
                or self.sheet is not None or self.context is not None)


def rating_record(sheet: RaterSheet, profiles: Profiles, name: str) -> RatingRecord:
    from ..assessment.scoring import competency_mean

    return RatingRecord(
        file=name,
        subject=sheet.subject,
        role=sheet.rater.role,
        scores={c: competency_mean(sheet.answers, profiles, c)[0] for c in profiles.competencies},
        rater=sheet.rater.id,
    )


def record_from_sheet(
    sheet: AnswerSheet, profiles: Profiles, name: str, *, detail: Detail = Detail.ITEMS
) -> Record:
    """The record of one valid sheet, with what `detail` asks for: `qim score` writes only
    the scores, gaps, recommendations and barriers, so it does not pay for the rest."""
    assessment = score_sheet(sheet, profiles)
    scores = assessment.scores
    d = decide(assessment, profiles)
    values = scores.values()
    r = sheet.respondent
    if detail is Detail.SCORES:
        return Record(name, r.id, r.name, r.background, r.role, assessment.career_stage,
                      r.setting, r.years_as_qim,
                      dict(zip(scores, [s.score for s in values], strict=True)),
                      dict(zip(scores, [s.gap for s in values], strict=True)),
                      {}, [tid for tid, _ in d.ranked], [b.id for b in d.barriers],
                      organisation=r.organisation, unit=r.unit,
                      synthetic=bool(sheet.synthetic), below_target=_below_target(values))
    high = [s.competency for s in values if s.priority >= HIGH_PRIORITY]
    if high:  # (report.py builds the person's plan: only when needed)
        from ..assessment.report import high_need_sessions

        high_needs = high_need_sessions(assessment, d, profiles, high)
    else:
        high_needs = {}
    calibration = b""
    if sheet.scenarios:  # (calibration.py loads the result models: only when needed)
        from ..assessment.calibration import calibration_bytes

        calibration = calibration_bytes(sheet, profiles, assessment)
    return Record(
        name,
        r.id,
        r.name,
        r.background,
        r.role,
        assessment.career_stage,
        r.setting,
        r.years_as_qim,
        dict(zip(scores, [s.score for s in values], strict=True)),
        dict(zip(scores, [s.gap for s in values], strict=True)),
        effective_answers(sheet, profiles) if detail is Detail.ITEMS else {},
        [tid for tid, _ in d.ranked],
        [b.id for b in d.barriers],
        context_bytes(sheet, profiles),
        d.with_barrier(),
        high_needs,
        calibration,
        r.organisation,
        r.unit,
        bool(sheet.synthetic),
        _below_target(values),
    )


def _below_target(scores: Iterable[Score]) -> tuple[str, ...]:
    """The competencies whose gap is beyond measurement error (`Record.below_target`)."""
    return tuple(s.competency for s in scores
                 if s.gap is not None and s.gap > 0 and not s.within_error)


def context_bytes(sheet: AnswerSheet, profiles: Profiles) -> bytes:
    """The context answers as one byte each (profile order), 0 for none or "na"."""
    given = sheet.context
    if not given:
        return bytes(len(profiles.context_items))
    return bytes([v if type(v := given.get(c)) is int else 0 for c in profiles.context_items])


def outcome_for(path: str | Path, profiles: Profiles, *, detail: Detail = Detail.ITEMS,
                render: Callable[[Record], str] | None = None) -> Outcome:
    """A self-assessment becomes a Record (or, given `render`, its text); a colleague's
    360 rating a RatingRecord; a context sheet a ContextRecord."""
    name = display_name(path)
    try:
        raw = read_toml_file(path, name)
        if is_context(raw):
            ctx = context_record(context_from_data(raw, profiles, name), profiles, name)
            return Outcome(name, context=ctx)
        if is_rating(raw):
            rating = rating_record(rating_from_data(raw, profiles, name), profiles, name)
            return Outcome(file=name, rating=rating)
        sheet = sheet_from_data(raw, profiles, name)
        record = record_from_sheet(sheet, profiles, name, detail=detail)
        if render is not None:
            return Outcome(name, text=render(record), id=record.id)
        return Outcome(name, record, id=record.id)
    except QimError as exc:
        return Outcome(file=name, lines=list(exc.lines), exit_code=int(exc.exit_code))
