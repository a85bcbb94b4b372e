"""How every report shows what the privacy rule withheld (cohort/privacy.py): a count of
people as itself or "fewer than N", and the "not for sharing" mark of an output made with
--min-group below qim's default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..cohort.privacy import WITHHELD, fewer_than

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..cohort.privacy import Privacy, Why


def count(n: int | None, min_group: int, reason: Why | None = None) -> str:
    """A count of people: `12`; when withheld (None), `fewer than 5`, or `withheld` when
    it was withheld as a complement of a smaller one (it may itself be large)."""
    if n is not None:
        return str(n)
    return WITHHELD if reason == "complement" else fewer_than(min_group)


def reason(model: BaseModel, name: str) -> Why | None:
    """Why the model's field `name` is withheld (its `withheld`), or None. The name must
    be a field of the model: a renamed field fails here, not silently."""
    if name not in type(model).model_fields:
        raise AttributeError(f"{type(model).__name__} has no field {name!r}")
    reasons: dict[str, Why] = getattr(model, "withheld", {})
    return reasons.get(name)


def field(model: BaseModel, name: str, min_group: int) -> str:
    """`count` of a model's field, with the reason the model gives in `withheld`."""
    return count(getattr(model, name), min_group, reason(model, name))


def people(n: int | None, min_group: int) -> str:
    """`12 people`, `fewer than 5 people`; `1 person` only below a threshold of 2."""
    if n is None:
        return f"{fewer_than(min_group)} people"
    return f"{n} {'person' if n == 1 else 'people'}"


def share(n: int | None, value: float | None, min_group: int, reason: Why | None = None) -> str:
    """`12 (40%)`, or as `count` (the share withheld with its count)."""
    if n is None or value is None:
        return count(None, min_group, reason)
    return f"{n} ({value * 100:.0f}%)"


def mark(privacy: Privacy) -> str | None:
    """The "not for sharing" line, or None for an output made at qim's default or above."""
    return privacy.not_for_sharing
