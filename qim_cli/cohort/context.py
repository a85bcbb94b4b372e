"""The context sheets of a folder: staff at every level describing their workplace.

`load_context_answers` finds and checks the sheets of files and folders with the batch
every command runs (`runner.Batch`: the same discovery, the same one-line messages for a
bad sheet, the same rule for one person twice) and returns the context sheets' records,
ready to be set beside each other organisation by organisation and level by level. The
QIMs' own sheets found with them are checked and counted, not kept.

Nothing here reports a count to anyone: a view built on these records applies the
`--min-group` rule (`privacy.py`) to every figure it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..sheets.context import ContextRecord
from .runner import Batch, Purpose, Tally

if TYPE_CHECKING:
    from ..framework.profiles import Profiles


@dataclass(frozen=True)
class ContextAnswers:
    """The context sheets found, in path order, and what the batch met (its tally)."""

    records: tuple[ContextRecord, ...]
    tally: Tally

    def organisations(self) -> list[str | None]:
        """The organisations the sheets name, sorted; None (not given) last when any sheet
        gives none."""
        named = sorted({r.organisation for r in self.records if r.organisation is not None},
                       key=str.casefold)
        return [*named, *([None] if any(r.organisation is None for r in self.records) else [])]

    def by_organisation(self) -> dict[str | None, tuple[ContextRecord, ...]]:
        """Each organisation's sheets, in the order of `organisations`."""
        return {org: tuple(r for r in self.records if r.organisation == org)
                for org in self.organisations()}

    def by_level(self, profiles: Profiles,
                 organisation: str | None = None) -> dict[str, tuple[ContextRecord, ...]]:
        """One organisation's sheets (all of them when it is None and no sheet names one)
        by level of staff, in the profile set's order; a level nobody answered is absent."""
        records = [r for r in self.records if r.organisation == organisation]
        return {level: group for level in profiles.staff_levels
                if (group := tuple(r for r in records if r.level == level))}


def _quiet(_line: str) -> None:
    pass


def load_context_answers(paths: Iterable[str | Path], profiles: Profiles, *,
                         jobs: int | None = None,
                         notify: Callable[[str], None] | None = None) -> ContextAnswers:
    """The context sheets among `paths` (files and folders, searched as every batch is).

    `notify` receives a line for each bad sheet and each sheet left out as a duplicate, as
    a batch command prints them; the exit code a command would give is `tally.exit_code`,
    and its summary line `tally.line()`. Raises NotFoundError when no path holds a sheet.
    """
    batch = Batch(paths, profiles, Purpose.CONTEXT, jobs=jobs, notify=notify or _quiet)
    for _record in batch.records():  # the QIMs' sheets: counted as they go, not kept
        pass
    return ContextAnswers(tuple(batch.contexts), batch.tally)


__all__ = ["ContextAnswers", "load_context_answers"]
