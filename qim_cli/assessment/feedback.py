"""360° feedback: one person's self-assessment merged with colleagues' ratings.

* Each rater's competency score uses the same items and the same missing-answer rule
  as the self-assessment (observer wording, same item ids, reverse items flipped).
* "Others" is the mean over all colleagues who could score the competency, each rater
  counting once. It is shown, and drives the recommendations, only when at least
  `min_raters` colleagues scored it; otherwise the self view stands, and says so.
* A rater group (peers, front-line staff, ...) is shown on its own only when it has at
  least `min_raters` raters; smaller groups are merged into "others" and never shown
  apart. Line managers may be shown apart when the organisation chooses
  (`show_line_manager`), which the report states.
* **Self higher** is a competency the person rates at least 1 point above the others (the
  usual 360° "blind spot", named so that it is not confused with what a background
  overlooks);
  a **hidden strength** one the others rate at least 1 point above the person.
* Behaviour by behaviour (items), the spread of ratings and colleagues' written comments:
  see `feedback_items`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from statistics import mean

from ..errors import DataError, UsageError
from ..framework.profiles import Profiles
from ..invocation import command
from ..sheets.models import AnswerSheet, RaterSheet
from ..words import and_list
from .feedback_items import agreement_of, comments, highest_and_lowest, item_rows, spread
from .feedback_results import Competency360, FeedbackResult, RaterGroupOut
from .report import build_result
from .scoring import Assessment, Score, competency_mean, make_score, score_sheet

MIN_RATERS = 3
AGREEMENT_THRESHOLD = 1.0
GROUPS = {
    "line_manager": "Line managers",
    "peer": "Peers",
    "frontline": "Front-line staff",
    "clinical_lead": "Clinical leads",
}


def split_sets(
    sheets: Sequence[tuple[str, AnswerSheet | RaterSheet]],
) -> tuple[tuple[str, AnswerSheet], list[tuple[str, RaterSheet]]]:
    """One self-assessment and the ratings of the same person, or a clear error."""
    selves = [(n, s) for n, s in sheets if isinstance(s, AnswerSheet)]
    ratings = [(n, s) for n, s in sheets if isinstance(s, RaterSheet)]
    ids = sorted({s.respondent.id for _, s in selves})
    if len(ids) > 1:
        raise UsageError(
            f"several people's self-assessments given together ({', '.join(ids)}); a report is "
            f"for one person (use {command('score')} for a batch)"
        )
    if not selves:
        subjects = sorted({s.subject for _, s in ratings})
        raise DataError(
            f"no self-assessment among the sheets (ratings of {', '.join(subjects)}); a 360 "
            "report needs the person's own sheet too"
        )
    if len(selves) > 1:
        names = ", ".join(n for n, _ in selves)
        raise UsageError(f"more than one self-assessment of {ids[0]} ({names}); give one")
    self_name, self_sheet = selves[0]
    for name, rating in ratings:
        if rating.subject != self_sheet.respondent.id:
            raise DataError(
                f'{name}: subject: "{rating.subject}" is not the person of the self-assessment '
                f'{self_name} ("{self_sheet.respondent.id}")'
            )
    rater_ids = [r.rater.id for _, r in ratings if r.rater.id]
    dupes = sorted({i for i in rater_ids if rater_ids.count(i) > 1})
    if dupes:
        raise DataError(f"rater.id: the same rater id appears on several ratings ({', '.join(dupes)})")
    return (self_name, self_sheet), ratings


def merge(
    self_sheet: AnswerSheet,
    ratings: Sequence[RaterSheet],
    profiles: Profiles,
    source: str,
    *,
    min_raters: int = MIN_RATERS,
    show_line_manager: bool = False,
) -> FeedbackResult:
    """The 360 report: self vs others per competency, and recommendations from the others' view."""
    self_assessment = score_sheet(self_sheet, profiles)
    counts: Counter[str] = Counter(r.rater.role for r in ratings)
    shown = {g: counts[g] >= min_raters or (g == "line_manager" and show_line_manager
                                            and counts[g] > 0) for g in GROUPS}
    groups = [RaterGroupOut(group=g, label=label, raters=counts[g], shown=shown[g])
              for g, label in GROUPS.items() if counts[g]]
    notices = _group_notices(groups, counts["line_manager"], min_raters, show_line_manager)
    per_rater: list[tuple[str, dict[str, float | None]]] = [
        (r.rater.role, {c: competency_mean(r.answers, profiles, c)[0] for c in profiles.competencies})
        for r in ratings]
    rows = [_competency(cid, self_assessment.scores[cid].score, per_rater, shown, min_raters,
                        profiles) for cid in profiles.competencies]
    few = [r.label for r in rows if r.basis == "self"]
    if few:
        notices.append(
            f"Fewer than {min_raters} colleagues scored {and_list(few)}: the self view is used there."
        )
    items = item_rows(self_sheet, ratings, profiles, shown, min_raters=min_raters,
                      threshold=AGREEMENT_THRESHOLD)
    highest, lowest = highest_and_lowest(items)
    written = comments(self_sheet.respondent.id, ratings,
                       {g: counts[g] for g in GROUPS}, min_raters)
    if written is not None and written.withheld:
        notices.append(
            f"{written.withheld} written comment{'s are' if written.withheld > 1 else ' is'} not "
            f"shown: {'they come' if written.withheld > 1 else 'it comes'} from a rater group "
            f"with fewer than {min_raters} raters."
        )
    merged_assessment = replace(self_assessment,
                                scores=_others_view(self_sheet, self_assessment, rows, profiles))
    result = build_result(self_sheet, profiles, source, assessment=merged_assessment)
    self_result = build_result(self_sheet, profiles, source, assessment=self_assessment)
    return FeedbackResult(
        subject=self_sheet.respondent.id,
        raters=len(ratings),
        min_raters=min_raters,
        groups=groups,
        notices=notices,
        competencies=rows,
        result=result,
        self_view_recommendations=[r.training.id for r in self_result.recommendations],
        items=items,
        highest=highest,
        lowest=lowest,
        comments=written,
    )


def _group_notices(groups: list[RaterGroupOut], line_managers: int, min_raters: int,
                   show_line_manager: bool) -> list[str]:
    """What the report says of rater groups merged into "others", or shown apart by choice."""
    notices = []
    merged = [g for g in groups if not g.shown]
    if merged:
        notices.append(
            "Groups with fewer than "
            f"{min_raters} raters are not shown on their own, only within \"others\": "
            + and_list(f"{g.label.lower()} ({g.raters})" for g in merged)
            + "."
        )
    if show_line_manager and line_managers and line_managers < min_raters:
        notices.append(
            "Line managers' ratings are shown apart because the organisation chose to; they "
            "are not anonymous."
        )
    return notices


def _competency(cid: str, mine: float | None, per_rater: list[tuple[str, dict[str, float | None]]],
                shown: dict[str, bool], min_raters: int, profiles: Profiles) -> Competency360:
    """One competency: self, all colleagues (when enough scored it), each shown group."""
    comp = profiles.competencies[cid]
    others_all = [v for _, s in per_rater if (v := s[cid]) is not None]
    others = round(mean(others_all), 2) if len(others_all) >= min_raters else None
    by_group: dict[str, float | None] = {}
    for g in GROUPS:
        if shown[g]:
            vals = [v for role, s in per_rater if role == g and (v := s[cid]) is not None]
            by_group[g] = round(mean(vals), 2) if vals else None
    difference = round(others - mine, 2) if others is not None and mine is not None else None
    return Competency360(
        id=cid, label=comp.label, theme=comp.theme, self_score=mine, others_score=others,
        others_raters=len(others_all), by_group=by_group, difference=difference,
        agreement=agreement_of(difference, AGREEMENT_THRESHOLD),
        basis="others" if others is not None else "self",
        spread=spread(others_all, min_raters),
    )


def _others_view(self_sheet: AnswerSheet, self_assessment: Assessment,
                 rows: list[Competency360], profiles: Profiles) -> dict[str, Score]:
    """The scores the plan is built on: colleagues' where enough of them scored it."""
    scores = dict(self_assessment.scores)
    for row in rows:
        if row.others_score is not None:
            scores[row.id] = make_score(
                profiles, row.id, background=self_sheet.respondent.background,
                stage=self_assessment.career_stage, score=row.others_score,
                answered=row.others_raters, importance=self_sheet.importance.get(row.id))
    return scores
