"""Score many answer sheets: find them, score them (optionally in parallel), stream rows.

Used through `cohort/runner.py`, the batch every batch command runs. Nothing here
prints: bad files come back as outcomes carrying the loader's own message, and the
caller decides what to show.

* `discovery.py`'s `Discovery` walks files and folders (recursively, ``*.toml``), follows
  symbolic links but never enters the same folder twice (so a link loop cannot recurse
  forever), skips hidden entries inside folders and gives the paths sorted, without
  duplicates.
* `score_paths` yields one `Outcome` per path, in the order given, scoring in a
  process pool when ``jobs > 1`` (profiles are loaded once per worker; never more
  workers than `available_cores`; a worker that dies fails the batch instead of
  leaving it waiting) and in this process otherwise. Results are never collected:
  memory does not grow with the number of files.
* `qim score` writes the records (render/score), as spreadsheet-safe CSV or JSON.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..assessment.decisions import decide
from ..assessment.scoring import HIGH_PRIORITY, Score, effective_answers, score_sheet
from ..errors import ExitCode, QimError
from ..invocation import command
from ..parsing import read_toml_file
from ..reading import display_name
from ..sheets.answers import is_rating, rating_from_data, sheet_from_data
from ..sheets.context import ContextRecord, context_from_data, context_record, is_context

if TYPE_CHECKING:
    from ..framework.profiles import Profiles
    from ..sheets.models import AnswerSheet, RaterSheet

#: At or above this many files, `--jobs` defaults to every available core.
PARALLEL_THRESHOLD = 200


# --------------------------------------------------------------------------- discovery


def available_cores() -> int:
    """The cores this process may run on: its CPU affinity where the system keeps one
    (a container or `taskset` may allow fewer than the machine has); else, from Python
    3.13, `os.process_cpu_count` (the affinity on Windows too); else the machine's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS and Windows have no sched_getaffinity
        pass
    counted = getattr(os, "process_cpu_count", os.cpu_count)
    return max(1, counted() or 1)


def default_jobs(n_files: int) -> int:
    """Every available core for a large batch, one process otherwise."""
    if n_files < PARALLEL_THRESHOLD:
        return 1
    return available_cores()


# --------------------------------------------------------------------------- records


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


# --------------------------------------------------------------------------- scoring many

_WORKER_PROFILES: Profiles | None = None
_WORKER_DETAIL = Detail.ITEMS
_WORKER_RENDER: Callable[[Record], str] | None = None


def _init_worker(profiles_dir: str, detail: Detail = Detail.ITEMS,
                 render: Callable[[Record], str] | None = None) -> None:
    """Pool initializer: load the profile set once per worker process."""
    global _WORKER_PROFILES, _WORKER_DETAIL, _WORKER_RENDER
    import signal

    from ..framework.profiles import load_profiles

    # Ctrl-C is handled once, by the parent, which then terminates the pool; the pool
    # stops workers with SIGTERM, which must kill them whatever the parent installed (a
    # closed terminal's SIGHUP too); held back until now (see `_signals_held`)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in _held_signals():
        signal.signal(sig, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _held_signals())
    _WORKER_PROFILES = load_profiles(profiles_dir)
    _WORKER_DETAIL = detail
    _WORKER_RENDER = render


def _held_signals() -> set[int]:
    import signal

    return {sig for name in ("SIGTERM", "SIGHUP") if (sig := getattr(signal, name, None))}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGHUP held back while the workers are started.

    A worker starts with the parent's handlers and puts its own in place in `_init_worker`.
    A signal caught in between is dropped by Python ("ignored due to race condition"), so
    a worker told to stop by the pool's terminate() lived on, and the batch waited for it
    forever. Held back, the signal reaches each worker once its own handlers are in place,
    and the parent once the pool is made.
    """
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows: no such signals to a worker
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _held_signals())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _work(path: str | Path) -> Outcome:
    assert _WORKER_PROFILES is not None, "worker started without profiles"
    return outcome_for(path, _WORKER_PROFILES, detail=_WORKER_DETAIL, render=_WORKER_RENDER)


def _work_chunk(paths: list[str | Path]) -> list[Outcome]:
    return [_work(p) for p in paths]


def chunk_size(n_files: int, jobs: int) -> int:
    """Large enough to keep inter-process traffic low, small enough to balance the load."""
    return max(1, min(64, n_files // (jobs * 8)))


def score_paths(
    paths: Iterable[str | Path], profiles: Profiles, jobs: int = 1, *,
    detail: Detail = Detail.ITEMS,
    render: Callable[[Record], str] | None = None,
) -> Iterator[Outcome]:
    """One outcome per path, in the order of `paths`, whatever `jobs` is.

    `paths` may be a lazy iterable (a Discovery): nothing here holds the whole batch.
    `detail` is what each record keeps (see `Detail`). `render` (a
    module-level function, so that it reaches the scoring processes) turns each record
    into its text where it is scored: the outcomes then carry `text`, not `record`.
    """
    jobs = min(jobs, available_cores())  # never more processes than cores
    n = len(paths) if isinstance(paths, Sized) else None
    if n is not None:
        jobs = min(jobs, n)
    if jobs <= 1:
        for path in paths:
            yield outcome_for(path, profiles, detail=detail, render=render)
        return
    import multiprocessing

    before = set(multiprocessing.active_children())
    try:
        with _signals_held():
            pool = _context().Pool(processes=jobs, initializer=_init_worker,
                                   initargs=(str(profiles.directory), detail, render))
    except OSError:  # no more processes allowed (a shared machine's limit): score here
        for path in paths:
            yield outcome_for(path, profiles, detail=detail, render=render)
        return
    workers = [p for p in multiprocessing.active_children() if p not in before]
    with pool:
        size = chunk_size(n, jobs) if n is not None else 128
        # chunks made here (not by imap's chunksize), so that waiting can time out
        for outcomes in _watched(pool.imap(_work_chunk, _chunks(paths, size)), workers):
            yield from outcomes


def _context() -> Any:
    """How the workers are started: the program's (or the platform's) start method, except
    that a process running other threads is never forked: a fork copies the locks those
    threads hold, and a worker forked while one is held waits for it forever, and the
    batch with it. qim itself runs one thread; a program using qim as a library may not."""
    import multiprocessing

    if (multiprocessing.get_start_method() == "fork" and _threads() > 1
            and "forkserver" in multiprocessing.get_all_start_methods()):
        return multiprocessing.get_context("forkserver")
    return multiprocessing  # its Pool uses the default context


def _threads() -> int:
    """The threads this process runs: the system's count where it gives one (a compiled
    library's own threads, a numerical library's pool say, are not in `threading`'s),
    else Python's."""
    import threading

    try:
        return len(os.listdir("/proc/self/task"))  # noqa: PTH208 (a count, no paths)
    except OSError:
        return threading.active_count()


def _chunks(paths: Iterable[str | Path], size: int) -> Iterator[list[str | Path]]:
    it = iter(paths)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


#: how often a wait for results checks that no worker has died
_WATCH_SECONDS = 1.0


def _watched(results: Any, workers: list[Any]) -> Iterator[list[Outcome]]:
    """The pool's results, failing instead of waiting forever when a worker dies.

    A pool replaces a worker that was killed (by the out-of-memory killer, say), but the
    sheets it held are lost and their results would be waited for forever.
    """
    import multiprocessing

    while True:
        try:
            outcome = results.next(timeout=_WATCH_SECONDS)
        except StopIteration:
            return
        except multiprocessing.TimeoutError:
            dead = next((p.exitcode for p in workers if p.exitcode is not None), None)
            if dead is not None:
                how = f"killed by signal {-dead}" if dead < 0 else f"exit code {dead}"
                raise QimError(f"a scoring process stopped unexpectedly ({how}; the system may "
                               "be short of memory); nothing was written: try again, or with "
                               "--jobs 1") from None
            continue
        yield outcome


def batch_exit_code(codes: Iterable[int]) -> int:
    """65 when any sheet was invalid, else the worst other code (66 missing), else 0."""
    bad = {c for c in codes if c != int(ExitCode.OK)}
    if not bad:
        return int(ExitCode.OK)
    if int(ExitCode.DATA_INVALID) in bad:
        return int(ExitCode.DATA_INVALID)
    return max(bad)


def one_line(outcome: Outcome) -> str:
    """A bad file's message on one line: the loader's first problem, and how many more."""
    first = outcome.lines[0] if outcome.lines else f"{outcome.file}: could not be read"
    more = len(outcome.lines) - 1
    if more > 0:
        first += f" (and {more} more problem{'s' if more > 1 else ''}; see {command('validate')})"
    return first
