"""What qim reports for a 360° set: the result of `qim report` on a self-assessment and
colleagues' ratings, as typed documents (the person's own result inside it).

assessment/feedback.py fills them; render/feedback/ reads them; `qim schema feedback` is
generated from them. Output only.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .results import Agreement, Out, Result


class RaterGroupOut(Out):
    group: str
    label: str
    raters: int
    shown: bool = Field(description="false: fewer raters than the anonymity threshold; merged into others")


class Spread(Out):
    """The spread of colleagues' competency scores (each rater's mean of the items)."""

    lowest: float
    highest: float
    sd: float = Field(description="sample standard deviation over raters")


class Competency360(Out):
    id: str
    label: str
    theme: str
    self_score: float | None
    others_score: float | None = Field(description="mean over colleagues; null below the threshold")
    others_raters: int
    by_group: dict[str, float | None] = Field(description="only groups large enough to be shown")
    difference: float | None = Field(description="others - self")
    agreement: Agreement | None = Field(
        description="self_higher: you rate yourself at least 1 above colleagues; "
                    "hidden_strength: colleagues rate you at least 1 above yourself")
    basis: Literal["others", "self"] = Field(description="which view drives the recommendations")
    spread: Spread | None = Field(
        default=None, description="how far colleagues' scores lie apart; null below the threshold")


class Item360(Out):
    """One behaviour (item), as the person and as colleagues answered it (1–5, how often)."""

    id: str
    competency: str
    text: str = Field(description="the observer wording colleagues answered")
    reverse: bool = Field(description="a behaviour to do less of: a lower answer is better")
    self_answer: int | None
    others_mean: float | None = Field(description="mean answer of colleagues; null below the threshold")
    others_raters: int
    by_group: dict[str, float | None] = Field(description="only groups large enough to be shown")
    difference: float | None = Field(
        description="others - self on the scored scale (reverse items flipped): positive is better")
    agreement: Agreement | None


class Comments360(Out):
    """Colleagues' written comments: word for word, without names or groups, in an order
    that depends on the text alone (not on who wrote first)."""

    strengths: list[str]
    develop: list[str]
    withheld: int = Field(description="comments not shown: their rater group is below the threshold")


class FeedbackResult(Out):
    """The JSON result of `qim report` on a 360 set (a self-assessment and colleagues' ratings)."""

    schema_version: Literal[1] = 1
    kind: Literal["360"] = "360"
    subject: str
    raters: int
    min_raters: int
    groups: list[RaterGroupOut]
    notices: list[str]
    competencies: list[Competency360]
    result: Result
    self_view_recommendations: list[str]
    items: list[Item360] = []
    highest: list[str] = Field(default=[], description="the 5 items others rate best (ids)")
    lowest: list[str] = Field(default=[], description="the 5 items others rate least well (ids)")
    comments: Comments360 | None = None
