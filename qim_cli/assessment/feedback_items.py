"""360° feedback behaviour by behaviour: items, the spread of ratings, written comments.

* **Items.** For every behaviour (item): the person's own answer, colleagues' mean answer
  (shown only when at least `min_raters` colleagues answered it), each shown rater
  group's mean, and the agreement, judged like the competencies' on the scored scale
  (reverse-worded items flipped): **self higher** when the person is at least 1 above
  the others, a **hidden strength** when the others are at least 1 above the person.
* **Highest and lowest.** The 5 items colleagues rate best and the 5 they rate least
  well, on the scored scale (so a behaviour to do less of ranks high when they rarely
  see it); ties go to the item that comes first in the framework.
* **Spread.** Per competency, the lowest and highest of colleagues' scores and their
  standard deviation, when at least `min_raters` colleagues scored it.
* **Comments.** A colleague's optional `[comments] strengths` and `develop` are shown
  word for word, without name or group, and only when the colleague's rater group has
  at least `min_raters` raters (a line manager shown apart by choice does not lower
  this). They are ordered by a keyed hash of the text, so the order is the same on
  every run but says nothing about who wrote first or which file came first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from statistics import mean, stdev

from ..framework.profiles import Profiles
from ..printable import printable
from ..sheets.models import AnswerSheet, RaterSheet
from .feedback_results import Comments360, Item360, Spread
from .results import Agreement

TOP = 5


def agreement_of(difference: float | None, threshold: float) -> Agreement | None:
    if difference is None:
        return None
    if difference <= -threshold:
        return "self_higher"
    if difference >= threshold:
        return "hidden_strength"
    return "agree"


def item_rows(
    self_sheet: AnswerSheet,
    ratings: Sequence[RaterSheet],
    profiles: Profiles,
    shown: Mapping[str, bool],
    *,
    min_raters: int,
    threshold: float,
) -> list[Item360]:
    rows = []
    for cid, comp in profiles.competencies.items():
        for item in comp.items:
            mine = self_sheet.answers.get(item.id)
            own = mine if type(mine) is int else None
            answers = [(r.rater.role, r.answers.get(item.id)) for r in ratings]
            values = [v for _, v in answers if type(v) is int]
            others = round(mean(values), 2) if len(values) >= min_raters else None
            by_group = {}
            for group, is_shown in shown.items():
                if is_shown:
                    vals = [v for role, v in answers if role == group and type(v) is int]
                    by_group[group] = round(mean(vals), 2) if vals else None
            difference = None
            if others is not None and own is not None:
                # on the scored scale: flipping both sides of a reverse item flips the sign
                difference = round((own - others) if item.reverse else (others - own), 2)
            rows.append(Item360(
                id=item.id, competency=cid, text=item.observer_text, reverse=item.reverse,
                self_answer=own, others_mean=others, others_raters=len(values), by_group=by_group,
                difference=difference, agreement=agreement_of(difference, threshold),
            ))
    return rows


def scored(item: Item360) -> float | None:
    """Colleagues' mean on the scored scale (reverse items flipped): higher is better."""
    if item.others_mean is None:
        return None
    return round(6 - item.others_mean, 2) if item.reverse else item.others_mean


def highest_and_lowest(items: Sequence[Item360], top: int = TOP) -> tuple[list[str], list[str]]:
    rated = [(score, i, it.id) for i, it in enumerate(items) if (score := scored(it)) is not None]
    best = sorted(rated, key=lambda t: (-t[0], t[1]))[:top]
    worst = sorted(rated, key=lambda t: (t[0], t[1]))[:top]
    return [i for _, _, i in best], [i for _, _, i in worst]


def spread(values: Sequence[float], min_raters: int) -> Spread | None:
    if len(values) < max(2, min_raters):
        return None
    return Spread(lowest=min(values), highest=max(values), sd=round(stdev(values), 2))


def _order_key(subject: str, text: str) -> str:
    return hashlib.sha256(f"{subject}\x00{text}".encode()).hexdigest()


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    kept = printable(text, keep="\n\t", instead="\ufffd")
    lines = [line.rstrip() for line in kept.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out = "\n".join(lines).strip()
    return out or None


def comments(
    subject: str, ratings: Sequence[RaterSheet], counts: Mapping[str, int], min_raters: int
) -> Comments360 | None:
    """Colleagues' comments from groups of at least `min_raters`, unattributed, in a stable
    order given by the text alone; None when nobody wrote any."""
    strengths: list[str] = []
    develop: list[str] = []
    withheld = 0
    for r in ratings:
        if r.comments is None:
            continue
        texts = [(strengths, _clean(r.comments.strengths)), (develop, _clean(r.comments.develop))]
        for bucket, text in texts:
            if text is None:
                continue
            if counts.get(r.rater.role, 0) >= min_raters:
                bucket.append(text)
            else:
                withheld += 1
    if not strengths and not develop and not withheld:
        return None
    return Comments360(
        strengths=sorted(strengths, key=lambda t: _order_key(subject, t)),
        develop=sorted(develop, key=lambda t: _order_key(subject, t)),
        withheld=withheld,
    )
