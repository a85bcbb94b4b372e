"""The anonymity rule every cohort figure follows, in one place.

A group with fewer than ``min_group`` people is not shown on its own (its people still
count in the overall figures). When exactly one group would be hidden, the smallest
shown group is hidden too, so that the hidden one cannot be worked out by subtracting
the shown groups from the overall figures (complementary suppression).

The same holds for every count of people a report shows (people below target, people
recommended a training, people served by a session, ...): a count below ``min_group`` is
withheld (`suppress`, with complementary suppression along every line whose total is
known) and shown as "fewer than N" (`fewer_than`). A threshold set below qim's default
(`DEFAULT_MIN_GROUP`) marks the output "not for sharing" (`privacy`, the `Privacy` every
document of many people carries).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

from ..assessment.results import Out

K = TypeVar("K")


def suppressed_groups(sizes: dict[str, int], min_group: int) -> tuple[list[str], list[str]]:
    """(groups below the threshold, groups hidden as well to protect them)."""
    small = sorted(g for g, n in sizes.items() if n < min_group)
    shown = sorted((n, g) for g, n in sizes.items() if n >= min_group)
    secondary: list[str] = []
    if len(small) == 1 and shown:
        secondary.append(shown[0][1])
    return small, secondary


def hidden_cells(sizes: dict[str, int], min_group: int, already: Collection[str] = ()) -> set[str]:
    """The cells of one row (one figure, one cell per group) to withhold.

    `sizes` is how many people each shown group's cell rests on (for example those who
    answered a question); `already` the groups withheld as a whole. A cell resting on
    fewer than ``min_group`` people is withheld; when that leaves exactly one group
    withheld in the row, the smallest other cell is withheld too.
    """
    hidden = set(already) | {g for g, n in sizes.items() if n < min_group}
    shown = sorted((n, g) for g, n in sizes.items() if g not in hidden)
    if len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    return hidden


# --------------------------------------------------------------------------- counts of people

#: qim's default threshold: no group and no count of fewer people is shown
DEFAULT_MIN_GROUP = 5


#: why a count is withheld: it is below --min-group ("fewer"), or it would let one that is
#: be worked out from a total ("complement")
Why = Literal["fewer", "complement"]
#: how a count withheld as a complement reads (it may itself be large)
WITHHELD = "withheld"


def why(n: int, min_group: int) -> Why:
    """The reason a withheld count is withheld."""
    return "fewer" if n < min_group else "complement"


def fewer_than(min_group: int) -> str:
    """How a withheld count of people reads: `fewer than 5`."""
    return f"fewer than {min_group}"


def shown_count(n: int, min_group: int) -> int | None:
    """A count of people as shown: itself when at least `min_group` (or the threshold is
    1), else None (withheld)."""
    return n if n >= min_group or min_group <= 1 else None


def suppress(cells: Mapping[K, int], lines: Iterable[Collection[K]], min_group: int,
             hidden_lines: Mapping[int, int] | None = None) -> set[K]:
    """The cells (counts of people) to withhold, with complementary suppression.

    Every cell below `min_group` is withheld. A *line* is a set of cells whose total can
    be known (the groups of one row add up to the overall figure; the kinds of one column
    to its people): when exactly one cell of a line is withheld, the smallest other cell
    of the line is withheld too, so that the hidden one cannot be worked out by
    subtraction; this is repeated until no line has exactly one. `hidden_lines` gives, by
    the line's position, how many of its parts are withheld already elsewhere (groups
    withheld as a whole), which count as withheld cells of that line.
    """
    if min_group <= 1:  # "fewer than 1" would only say 0: nothing to protect
        return set()
    hidden = {k for k, n in cells.items() if n < min_group}
    groups = [list(line) for line in lines]
    extra = hidden_lines or {}
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(groups):
            present = [k for k in line if k in cells]
            withheld = sum(k in hidden for k in present) + extra.get(i, 0)
            if withheld != 1:
                continue
            shown = sorted((cells[k], str(k)) for k in present if k not in hidden)
            if shown:
                smallest = next(k for k in present if str(k) == shown[0][1])
                hidden.add(smallest)
                changed = True
    return hidden


class Privacy(Out):
    """The privacy rule a document was made under: every count of people below
    `min_group` is withheld (null, with `suppressed` true where it stood)."""

    min_group: int
    default: int = Field(description="qim's default --min-group")
    for_sharing: bool = Field(description="false when --min-group was set below the default: "
                                          "the output is marked not for sharing")
    rule: str
    not_for_sharing: str | None = Field(description="the mark every format shows, or null")


def privacy(min_group: int) -> Privacy:
    """The rule, in words, for a document made with this --min-group."""
    sharing = min_group >= DEFAULT_MIN_GROUP
    return Privacy(
        min_group=min_group, default=DEFAULT_MIN_GROUP, for_sharing=sharing,
        rule=(f"Every count of people below {min_group} is shown as \"{fewer_than(min_group)}\", "
              f"and another count is \"{WITHHELD}\" with it wherever the hidden one could be "
              "worked out from a total (in JSON: null, named in \"withheld\" with its reason)."),
        not_for_sharing=None if sharing else (
            f"NOT FOR SHARING: --min-group {min_group} is below qim's default of "
            f"{DEFAULT_MIN_GROUP}, so groups and counts of as few as {min_group} "
            f"{'person' if min_group == 1 else 'people'} are shown; they may identify people."))


M = TypeVar("M", bound=BaseModel)


def withhold(model: M, cells: Mapping[str, int], lines: Iterable[Collection[str]],
             min_group: int) -> M:
    """The model with its counts of people withheld by `suppress` (null, each named in the
    model's `withheld` with its reason). `cells` holds the model's count fields and, under
    names that are not fields, any complement that a line needs (never shown)."""
    gone = {k for k in suppress(cells, lines, min_group) if k in type(model).model_fields}
    if not gone:
        return model
    reasons: dict[str, Why] = dict(getattr(model, "withheld", {}))
    reasons.update({k: why(cells[k], min_group) for k in sorted(gone)})
    return model.model_copy(update=dict.fromkeys(gone) | {"withheld": reasons})
