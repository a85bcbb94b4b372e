"""The batch a command runs: find the sheets, score them, apply the batch rules, count.

`qim score`, `qim cohort`, `qim compare-cohort`, `qim pair` and `qim report` (for a 360
set given as files or a folder) all go through `Batch`; the commands only parse their
options, print what it reports and exit with its code. Nothing here prints: messages go
to the `notify` callable the caller passes (the command line's standard error).

The rules, the same for every command:

* **Discovery** (`cohort/discovery.py`): files as given, folders searched recursively for
  ``*.toml`` in any case, hidden files and folders skipped; the other files found in
  the folders are counted (and listed when asked).
* **A bad sheet** is reported on one line (a report: every line of it) and left out; the
  rest goes on; the exit code is 65 at the end (66 when a path was not found and no
  sheet was bad).
* **The same respondent twice**: a respondent id found in more than one sheet of a set
  (compared ignoring case), or a colleague who rated the same person twice (the same
  rater id), cannot be told apart: which sheet is right cannot be known. Every sheet
  with that id is left out, each one after the first is reported naming the first, the
  summary counts them, and the exit code is 65, as for a bad sheet. `qim import` holds
  back such rows by the same rule. To know which ids repeat before any is used, the
  records wait on disk (`store.py`) while the batch is scored, and are handed out once it
  is done, in path order.
* **How much each record keeps** depends on the purpose (`Purpose`): only what its
  command reads (see `Detail`).
* **A context sheet** (staff at any level on their workplace) is never scored as a QIM:
  checked, counted on the summary line and set aside (`Batch.contexts` keeps the records
  for `qim cohort`, `qim report`, `cohort/context.py`); one id twice in an organisation: above.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExitCode, NotFoundError
from ..invocation import command
from ..reading import display_name
from ..sheets.context import ContextRecord
from .batch import (
    PARALLEL_THRESHOLD,
    available_cores,
    batch_exit_code,
    default_jobs,
    one_line,
    score_paths,
)
from .discovery import Discovery, missing_outcome
from .records import Detail, Outcome, RatingRecord, Record
from .store import Store

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from ..sheets.models import AnswerSheet, RaterSheet

class Purpose(Enum):
    """What a batch is for, which decides how much of each sheet it keeps."""

    #: `qim score`: scores, gaps, recommendations and barrier ids
    SCORE = "score"
    #: `qim cohort`: also the item values (reliability) and colleagues' ratings
    COHORT = "cohort"
    #: `qim compare-cohort`: also context answers, needs that occur with a barrier, high needs, calibration
    COMPARE = "compare"
    #: `qim pair`: as `COMPARE`
    PAIR = "pair"
    #: `qim report` of a 360 set: the sheets themselves, read in this process
    REPORT = "report"
    #: a folder's context sheets (cohort/context.py): the QIMs' sheets checked, not kept
    CONTEXT = "context"

    @property
    def detail(self) -> Detail:
        return _DETAIL.get(self, Detail.ITEMS)


_DETAIL = {Purpose.SCORE: Detail.SCORES, Purpose.COHORT: Detail.ITEMS,
           Purpose.COMPARE: Detail.COHORT, Purpose.PAIR: Detail.COHORT,
           Purpose.CONTEXT: Detail.SCORES}
_KEEPS_CONTEXT = (Purpose.COHORT, Purpose.CONTEXT, Purpose.REPORT)


@dataclass
class Tally:
    """What a batch met: the counts of its summary line and its exit code."""

    label: str
    good: int = 0
    bad: int = 0
    missing: int = 0
    #: colleagues' 360 ratings (used only by `qim cohort` and `qim report`)
    ratings: int = 0
    ratings_used: bool = False
    #: the context sheets are compared level by level (qim cohort), not only set aside
    contexts_used: bool = False
    #: context sheets (staff at any level), set aside: never scored as a QIM
    contexts: int = 0
    #: sheets left out because their respondent (or rater) appears in another sheet too
    duplicates: int = 0
    #: respondent ids of self-assessments found in more than one sheet, and those sheets
    repeated_ids: int = 0
    repeated_sheets: int = 0
    #: the other files found in the folders (not sheets), in path order
    others: list[str] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def files(self) -> int:
        return (self.good + self.bad + self.ratings + self.contexts + self.duplicates
                + self.missing)

    @property
    def exit_code(self) -> int:
        """65 when any sheet was bad or left out as a duplicate, else 66 when a path was
        not found, else 0."""
        return batch_exit_code(self.codes)

    def line(self, *, verbose: bool = False) -> str:
        """`qim score: 7 files: 3 good, 3 bad, 1 not found; 2 other files skipped
        (--verbose lists them)`."""
        n = self.files
        text = f"qim {self.label}: {n} file{_s(n)}: {self.good} good, {self.bad} bad"
        if self.duplicates:
            text += f", {self.duplicates} left out as duplicates"
        if self.missing:
            text += f", {self.missing} not found"
        if self.ratings:
            text += f", {self.ratings} colleague rating{_s(self.ratings)} (360)"
            if not self.ratings_used:
                text += (f" not scored ({command('report SELF.toml RATINGS...')} reports a "
                         "360 set)")
        if self.contexts and self.contexts_used:
            text += (f", {self.contexts} context sheet{_s(self.contexts)} (staff's answers "
                     "about their workplace, compared level by level)")
        elif self.contexts:
            text += (f", {self.contexts} context sheet{_s(self.contexts)} set aside (staff's "
                     "answers about their workplace, not scored as a QIM)")
        if self.others:
            k = len(self.others)
            text += (f"; {k} other file{_s(k)} skipped "
                     f"({'listed above' if verbose else '--verbose lists them'})")
        return text


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _no_notes(_line: str) -> None:
    pass


class Batch:
    """One command's batch of sheets: found, scored, checked for the same person twice,
    counted (see the module doc).

    `notify` receives every line for people (a bad file, a duplicate, `--jobs` lowered,
    the files skipped when `verbose`); the summary line is `tally.line()`. Construct it
    (the paths are found, and a path list without any sheet raises NotFoundError), check
    the output against `files` if need be, then `run()` (or just read `records()`,
    `texts()` or `sheets()`, which run it first).
    """

    def __init__(self, paths: Iterable[str | Path], profiles: Profiles, purpose: Purpose, *,
                 jobs: int | None = None, label: str | None = None,
                 notify: Callable[[str], None] = _no_notes, verbose: bool = False) -> None:
        paths = list(paths)
        self.files = Discovery(paths)
        self.profiles = profiles
        self.purpose = purpose
        self.notify = notify
        self.verbose = verbose
        self.tally = Tally(label or purpose.value)
        self.tally.ratings_used = purpose in (Purpose.COHORT, Purpose.REPORT)
        self.tally.contexts_used = purpose is Purpose.COHORT
        if not self.files.missing and not self.files.at_least(1):
            shown = ", ".join(display_name(p) for p in paths)
            raise NotFoundError(f"{shown}: no answer sheets (*.toml) found")
        if purpose is Purpose.REPORT:
            jobs = 1  # a handful of sheets, kept whole
        elif jobs is None:
            large = self.files.at_least(PARALLEL_THRESHOLD)
            jobs = default_jobs(PARALLEL_THRESHOLD if large else 1)
        elif jobs > (cores := available_cores()):
            notify(f"qim {self.tally.label}: --jobs {jobs} lowered to {cores}, the number of "
                   "cores available to qim")
            jobs = cores
        self.jobs = jobs
        #: colleagues' 360 ratings (kept for `qim cohort` only)
        self.ratings: list[RatingRecord] = []
        #: context sheets, in path order (kept by the purposes in `_KEEPS_CONTEXT`)
        self.contexts: list[ContextRecord] = []
        self._store: Store | None = None
        self._read = False
        self._left_out: set[str] = set()

    @property
    def label(self) -> str:
        return self.tally.label

    def refuse_output(self, target: str | Path | int) -> None:
        """The output (a path, or standard output's descriptor) may be none of the sheets."""
        from ..fileio import refuse_inputs

        refuse_inputs(target, self.files)

    # ------------------------------------------------------------------ running

    def run(self, *, render: Callable[[Record], str] | None = None,
            tick: Callable[[], None] | None = None) -> None:
        """Score every sheet (`render`, a module-level function, turns each record into
        its text in the scoring processes: then read `texts()`); `tick` is called once per
        file done (a progress bar). Then the same respondent twice is looked for, and
        reported."""
        if self._store is not None:
            return
        store = self._store = Store()
        for m in self.files.missing:
            outcome = missing_outcome(m)
            self._report_bad(outcome)
            self.tally.missing += 1
        for outcome in self._outcomes(render):
            if tick is not None:
                tick()
            if not outcome.ok:
                self._report_bad(outcome)
                self.tally.bad += 1
                continue
            rating = outcome.rating
            if outcome.context is not None:
                ctx = outcome.context
                store.add(f"context\0{(ctx.organisation or '').casefold()}\0{ctx.id.casefold()}",
                          ctx.id, ctx.organisation or "", outcome)
            elif rating is not None:
                key = f"rating\0{rating.subject.casefold()}\0{rating.rater.casefold()}" \
                    if rating.rater else None
                store.add(key, rating.rater or "", rating.subject, outcome)
            else:
                assert outcome.id is not None
                store.add(f"self\0{outcome.id.casefold()}", outcome.id, None, outcome)
        if self.verbose:
            for other in self.files.others:
                self.notify(f"{display_name(other)}: skipped (not an answer sheet: *.toml)")
        self.tally.others = self.files.others
        self._duplicates(store)

    def _outcomes(self, render: Callable[[Record], str] | None) -> Iterator[Outcome]:
        if self.purpose is Purpose.REPORT:
            for path in self.files:
                yield _sheet_outcome(path, self.profiles)
            return
        yield from score_paths(self.files, self.profiles, self.jobs,
                               detail=self.purpose.detail, render=render)

    def _report_bad(self, outcome: Outcome) -> None:
        if self.purpose is Purpose.REPORT:
            for line in outcome.lines or [one_line(outcome)]:
                self.notify(line)
        else:
            self.notify(one_line(outcome))
        self.tally.codes.add(outcome.exit_code)

    def _duplicates(self, store: Store) -> None:
        """Every sheet of a person met twice: reported (each after the first, naming the
        first), left out, counted."""
        first: dict[str, tuple[str, str]] = {}
        for key, file, shown, subject in store.repeated():
            self.tally.duplicates += 1
            if key.startswith("self\0"):
                self.tally.repeated_sheets += 1
            if key not in first:
                first[key] = (file, shown)
                self.tally.repeated_ids += key.startswith("self\0")
                continue
            first_file, first_id = first[key]
            spelt = f' (as "{first_id}")' if first_id != shown else ""
            if key.startswith("context\0"):
                self.notify(f'{file}: respondent.id: "{shown}" is also the id of the context '
                            f"sheet {first_file}{spelt}; neither is used (keep one sheet per person)")
            elif subject is not None:
                self.notify(f'{file}: rater.id: "{shown}" also rated "{subject}" in '
                            f"{first_file}{spelt}; neither rating is used (keep one rating per "
                            "colleague and run again)")
            else:
                self.notify(f'{file}: respondent.id: "{shown}" is also the id in {first_file}'
                            f"{spelt}; no sheet with this id is used (keep one sheet per person "
                            "and run again)")
        if first:
            self.tally.codes.add(int(ExitCode.DATA_INVALID))
        self._left_out = set(first)

    def _kept(self) -> Iterator[Outcome]:
        """The good outcomes in the order met, duplicates left out (counted as they go);
        read once."""
        self.run()
        assert self._store is not None
        if self._read:
            return
        self._read = True
        for outcome in self._store.outcomes(self._left_out):
            if outcome.context is not None:
                self.tally.contexts += 1
                if self.purpose in _KEEPS_CONTEXT:
                    self.contexts.append(outcome.context)
                continue
            if outcome.rating is not None:
                self.tally.ratings += 1
                if self.purpose is Purpose.COHORT:
                    self.ratings.append(outcome.rating)
                if outcome.sheet is None:
                    continue
            else:
                self.tally.good += 1
            yield outcome

    # ------------------------------------------------------------------ results

    def records(self) -> Iterator[Record]:
        """The self-assessments' records, in path order (after `run`, or running it)."""
        for outcome in self._kept():
            assert outcome.record is not None
            yield outcome.record

    def texts(self) -> Iterator[str]:
        """The self-assessments as `run(render=...)` rendered them."""
        for outcome in self._kept():
            assert outcome.text is not None
            yield outcome.text

    def sheets(self) -> list[tuple[str, AnswerSheet | RaterSheet]]:
        """`Purpose.REPORT`: (name, sheet) of every good sheet, ratings included."""
        return [(o.file, o.sheet) for o in self._kept() if o.sheet is not None]


def _sheet_outcome(path: str, profiles: Profiles) -> Outcome:
    """A sheet read whole (a self-assessment or a colleague's rating), for a report."""
    from ..errors import QimError
    from ..parsing import read_toml_file
    from ..sheets.answers import any_from_data
    from ..sheets.context import ContextSheet, context_record
    from ..sheets.models import RaterSheet

    name = display_name(path)
    try:
        sheet = any_from_data(read_toml_file(path, name), profiles, name)
    except QimError as exc:
        return Outcome(name, lines=list(exc.lines), exit_code=int(exc.exit_code))
    if isinstance(sheet, ContextSheet):
        return Outcome(name, context=context_record(sheet, profiles, name))
    if isinstance(sheet, RaterSheet):
        rating = RatingRecord(name, sheet.subject, sheet.rater.role, {}, sheet.rater.id)
        return Outcome(name, rating=rating, sheet=sheet)
    return Outcome(name, id=sheet.respondent.id, sheet=sheet)


__all__ = ["Batch", "Purpose", "Tally"]
