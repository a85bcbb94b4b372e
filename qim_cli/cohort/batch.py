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
* What is kept of each sheet (`Record`, `Outcome`, made by `outcome_for`) is `records.py`'s.
* `qim score` writes the records (render/score), as spreadsheet-safe CSV or JSON.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ExitCode, QimError
from ..invocation import command
from .records import Detail, Outcome, Record, outcome_for

if TYPE_CHECKING:
    from ..framework.profiles import Profiles

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
