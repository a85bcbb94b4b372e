"""How every report cites the study: a row of its Table 2 in one wording, and the mark of
a competency its authors suggest (the QIMs interviewed did not name it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..framework.labels import AUTHORS_SUGGESTION
from .numbers import percent_of

if TYPE_CHECKING:
    from ..assessment.results import Evidence

#: the mark of a competency suggested by the study's authors (no Table 2 row)
AUTHORS_MARK = "†"
AUTHORS_LEGEND = f"{AUTHORS_MARK} {AUTHORS_SUGGESTION}"


def table2_quote(e: Evidence) -> str:
    """A row of Table 2 quoted in full: its printed label, then each group's count and
    share beside the other group's. The one wording of a Table 2 figure in every output
    (tests/cli/test_evidence.py reads it back against profiles/table2.toml)."""
    return (f"Table 2 [{e.source}], “{e.printed}”: cited by {e.clinical} of {e.clinical_of} "
            f"clinical QIMs ({percent_of(e.clinical, e.clinical_of)}) and {e.traditional} of "
            f"{e.traditional_of} traditional QIMs ({percent_of(e.traditional, e.traditional_of)}).")
