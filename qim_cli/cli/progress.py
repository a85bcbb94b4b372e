"""A progress bar on standard error for long runs (`qim score`, `qim cohort`, `qim import`).

Shown only when standard error is a terminal and --quiet was not given: never in a pipe,
a file or a CI log. It shows the files (or rows) done, the rate and the time left, and
disappears when the run ends. It appears only once a run has taken two seconds, so a
short run pays nothing for it. Counting one file is an integer increment; the bar is
redrawn at most four times a second from the loop that does the work (no thread, so a
process pool forked meanwhile copies no running thread).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

#: seconds between two redraws
REFRESH = 0.25
#: seconds of work before a bar appears: a short run shows none (and never pays for
#: loading Rich's display or counting the files)
DELAY = 2.0
#: files counted between two looks at the clock
_STEP = 16


class Silent:
    """No bar: the same calls, doing nothing."""

    done = 0

    def tick(self) -> None:
        pass

    def update(self, done: int, total: int | None = None) -> None:
        pass


class Bar:
    """Counts the work; after `DELAY` seconds shows a Rich progress display on standard
    error, redrawn at most every `REFRESH` seconds."""

    def __init__(self, label: str, unit: str, total: int | Callable[[], int] | None) -> None:
        self.done = 0
        self.total = total
        self._label = label
        self._unit = unit
        self._next = _STEP
        self._start = self._last = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    def tick(self) -> None:
        """One more file done (looks at the clock every few files only)."""
        self.done += 1
        if self.done >= self._next:
            self._next = self.done + _STEP
            self._check()

    def update(self, done: int, total: int | None = None) -> None:
        """So many done (of so many): for loops that count themselves."""
        self.done = done
        if total is not None:
            self.total = total
        self._check()

    def close(self) -> None:
        if self._progress is not None:
            self._draw(time.monotonic())
            self._progress.stop()
            self._progress = None

    def _check(self) -> None:
        now = time.monotonic()
        if self._progress is None:
            if now - self._start >= DELAY:
                self._show()
                self._draw(now)
        elif now - self._last >= REFRESH:
            self._draw(now)

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        if callable(self.total):
            self.total = self.total()
        console = Console(file=sys.stderr, highlight=False, emoji=False)
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn(self._unit), TextColumn("{task.fields[rate]}"),
            TextColumn("{task.fields[left]}"),
            console=console, auto_refresh=False, transient=True, redirect_stdout=False,
        )
        self._task = self._progress.add_task(self._label, total=self.total, rate="", left="")
        self._progress.start()

    def _draw(self, now: float) -> None:
        self._last = now
        elapsed = now - self._start
        rate = self.done / elapsed if elapsed > 0 and self.done else 0.0
        total = self.total if isinstance(self.total, int) else None
        left = ""
        if rate and total is not None and total >= self.done:
            left = f"{_duration((total - self.done) / rate)} left"
        self._progress.update(self._task, completed=self.done, total=total,
                              rate=f"{rate:,.0f} {self._unit}/s" if rate else "", left=left)
        self._progress.refresh()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def wanted(quiet: bool) -> bool:
    """Whether a bar may be shown: standard error is a terminal and --quiet was not given."""
    if quiet:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


@contextmanager
def progress_bar(label: str, *, quiet: bool, unit: str = "files",
                 total: int | Callable[[], int] | None = None) -> Iterator[Bar | Silent]:
    """A bar (or, when none may be shown, a silent stand-in) for the duration of a loop.

    `total` may be a function: it is called only when the bar appears (counting costs).
    """
    if not wanted(quiet):
        yield Silent()
        return
    bar = Bar(label, unit, total)
    try:
        yield bar
    finally:
        bar.close()
