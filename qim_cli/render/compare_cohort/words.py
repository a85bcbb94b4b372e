"""What every format of a programme's before and after says the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..numbers import percent
from ..privacy import field

if TYPE_CHECKING:
    from ...cohort.compare_results import (
        BarrierChange,
        ChangeRow,
        CohortComparison,
        NeedChange,
        OrganisationChange,
    )


def ci_text(row: ChangeRow) -> str:
    """`+0.12 to +0.48`, the 95% confidence interval of the mean change; a dash without one."""
    if row.ci_low is None or row.ci_high is None:
        return "–"
    return f"{row.ci_low:+.2f} to {row.ci_high:+.2f}"


def p_text(value: float | None) -> str:
    """A p value with three decimals (`< 0.001` below that); a dash without one."""
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def people_count(k: int | None, min_group: int) -> str:
    """A count of people as shown: `fewer than 5` when withheld."""
    return f"fewer than {min_group}" if k is None else str(k)


def reliable_text(row: ChangeRow, min_group: int) -> str:
    """`up 5, down 0`: people changed beyond measurement error each way."""
    return (f"up {people_count(row.reliable_up, min_group)}, "
            f"down {people_count(row.reliable_down, min_group)}")


def method_lines(doc: CohortComparison) -> list[str]:
    """What the change table's effect sizes, adjusted p and reliable counts are."""
    return [f"Effect sizes: {doc.effect_size}.",
            f"Adjusted p: {doc.adjustment}.",
            "Beyond measurement error: people whose score changed by more than its "
            "measurement error (the reliable change index of Jacobson and Truax, 95%), up "
            f"and down; reliability: {doc.reliability}."]


def counts_sentence(doc: CohortComparison) -> str:
    c, mg = doc.counts, doc.min_group

    def n(name: str) -> str:
        return field(c, name, mg)

    sheets = "sheet" if c.before == 1 else "sheets"  # (a withheld count reads as plural)
    people = "person" if c.paired == 1 else "people"
    text = (f"{n('before')} {sheets} before, {n('after')} after: {n('paired')} {people} paired "
            f"by respondent id, {n('only_before')} only before (left), {n('only_after')} only "
            "after (joined).")
    if c.repeated_before is None or c.repeated_after is None:
        text += (f" Ids repeated within a set, not paired: {n('repeated_before')} before, "
                 f"{n('repeated_after')} after.")
    elif rep := c.repeated_before + c.repeated_after:
        text += f" {rep} id{'s' if rep > 1 else ''} repeated within a set, not paired."
    return text[0].upper() + text[1:]


def organisation_title(o: OrganisationChange) -> str:
    """`Northbridge Health (25 paired)`; the count withheld under --min-group."""
    return o.label if o.n is None else f"{o.label} ({o.n} paired)"


def organisation_withheld(o: OrganisationChange, min_group: int) -> str:
    """What a withheld organisation says: fewer than N paired, or hidden as a complement."""
    if o.reason == "fewer_than_min_group":
        return f"{o.label}: fewer than {min_group} paired people, not shown on its own."
    return (f"{o.label}: withheld, so that a smaller organisation's figures cannot be worked "
            "out from the overall ones.")


def change_cells(row: NeedChange | BarrierChange, min_group: int) -> list[str]:
    """Before, after, resolved and new: each a count, `fewer than 5` or `withheld`."""
    return [field(row, name, min_group) for name in ("before", "after", "resolved", "new")]


def at_target_text(row: ChangeRow) -> str:
    """`40% → 60%`; a share resting on fewer than --min-group people is withheld."""
    def one(name: str) -> str:
        value = getattr(row, name)
        return percent(value) if value is not None or name not in row.withheld else "withheld"

    return f"{one('at_target_before')} → {one('at_target_after')}"
