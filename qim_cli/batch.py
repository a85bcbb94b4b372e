"""Score many answer sheets: find them, score them (optionally in parallel), stream rows.

Used by `qim score` and `qim cohort`. Nothing here prints: bad files come back as
outcomes carrying the loader's own message, and the caller decides what to show.

* `discover` walks files and folders (recursively, ``*.toml``), follows symbolic links
  but never enters the same folder twice (so a link loop cannot recurse forever), skips
  hidden entries inside folders and returns the paths sorted, without duplicates.
* `score_paths` yields one `Outcome` per path, in the order given, scoring in a
  process pool when ``jobs > 1`` (profiles are loaded once per worker) and in this
  process otherwise. Results are never collected: memory does not grow with the
  number of files.
* `score_row` / `csv_cell` / `CsvRowWriter` turn records into
  spreadsheet-safe CSV or JSON lines and write them without leaving a half-written
  file under the final name.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import ExitCode, NotFoundError, QimError
from .loading import display_name

if TYPE_CHECKING:
    from .models import AnswerSheet, RaterSheet
    from .profiles import Profiles

#: At or above this many files, `--jobs` defaults to every available core.
PARALLEL_THRESHOLD = 200
#: How many training ids a score row names.
TOP_TRAININGS = 3
#: A cell of user text starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Missing:
    """A path given on the command line that does not exist."""

    path: Path


def _sort_key(path: str) -> str:
    """Order paths folder by folder, like comparing Path.parts ("a/b" before "a-b")."""
    return path.replace(os.sep, "\0")


def _walk(folder: str, seen: set[tuple[int, int]]) -> Iterator[str]:
    """``*.toml`` files under a folder in path order, following links, each real folder
    entered once. Only one folder's names are held at a time (a folder's own entries
    must be sorted), never the whole tree's paths."""
    try:
        st = Path(folder).stat()
    except OSError:
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:  # a symbolic-link loop, or two links to the same folder
        return
    seen.add(key)
    # a folder's name gets a trailing NUL so that it sorts as its paths do: "b/x" comes
    # before "b.toml", as "b\0x" < "b.toml"
    names: list[str] = []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=True)
                except OSError:
                    is_dir = False
                if is_dir:
                    names.append(entry.name + "\0")
                elif entry.name.endswith(".toml"):
                    # a broken link is kept: the loader reports it as a missing file
                    names.append(entry.name)
    except OSError:
        return
    names.sort()
    for name in names:
        if name.endswith("\0"):
            yield from _walk(os.path.join(folder, name[:-1]), seen)
        else:
            yield os.path.join(folder, name)


class Discovery:
    """The answer sheets named by files and folders, found lazily, in path order.

    A file named explicitly is taken whatever its extension; folders contribute their
    ``*.toml`` files at any depth, hidden files and folders excepted. Memory does not grow
    with the size of the batch beyond one folder's list of names.
    """

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self.inputs: list[tuple[str, bool]] = []
        self.missing: list[Missing] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                self.inputs.append((str(path), True))
            elif path.exists() or path.is_symlink():
                self.inputs.append((str(path), False))
            else:
                self.missing.append(Missing(path))
        self.inputs.sort(key=lambda item: _sort_key(item[0]))

    def __iter__(self) -> Iterator[str]:
        seen: set[tuple[int, int]] = set()
        explicit = {p for p, is_dir in self.inputs if not is_dir}
        done: set[str] = set()
        for path, is_dir in self.inputs:
            if not is_dir:
                if path not in done:
                    done.add(path)
                    yield path
                continue
            for found in _walk(path, seen):
                if found in explicit:
                    if found in done:
                        continue
                    done.add(found)
                yield found

    def at_least(self, n: int) -> bool:
        """Whether there are at least n sheets (stops looking once it knows)."""
        count = 0
        for _ in self:
            count += 1
            if count >= n:
                return True
        return count >= n


def discover_names(paths: Iterable[str | Path]) -> tuple[list[str], list[Missing]]:
    """(paths in order, missing paths), as lists: for small batches and tests."""
    d = Discovery(paths)
    return list(d), d.missing


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Missing]]:
    """Like `discover_names`, as Path objects."""
    names, missing = discover_names(paths)
    return [Path(n) for n in names], missing


def default_jobs(n_files: int) -> int:
    """Every available core for a large batch, one process otherwise."""
    if n_files < PARALLEL_THRESHOLD:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores)


# --------------------------------------------------------------------------- records


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


@dataclass(slots=True)
class RatingRecord:
    """A colleague's 360 rating in a batch: whose it is, and the competency scores it gives."""

    file: str
    subject: str
    role: str
    scores: dict[str, float | None]


@dataclass(slots=True)
class Outcome:
    """One file's result: a record, a colleague's rating, or the loader's message and exit code."""

    file: str
    record: Record | None = None
    lines: list[str] = field(default_factory=list)
    exit_code: int = int(ExitCode.OK)
    rating: RatingRecord | None = None

    @property
    def ok(self) -> bool:
        return self.record is not None or self.rating is not None


def record_for(path: Path, profiles: Profiles, name: str | None = None) -> Record:
    """Load, score and recommend one sheet; raises QimError naming file and field."""
    from .answers import load_sheet

    name = name or display_name(path)
    return record_from_sheet(load_sheet(path, profiles, name), profiles, name)


def rating_record(sheet: RaterSheet, profiles: Profiles, name: str) -> RatingRecord:
    from .scoring import competency_mean

    return RatingRecord(
        file=name,
        subject=sheet.subject,
        role=sheet.rater.role,
        scores={c: competency_mean(sheet.answers, profiles, c)[0] for c in profiles.competencies},
    )


def record_from_sheet(
    sheet: AnswerSheet, profiles: Profiles, name: str, *, items: bool = True
) -> Record:
    from .report import quick_summary
    from .scoring import effective_answers, score_sheet

    assessment = score_sheet(sheet, profiles)
    ranked, barriers = quick_summary(assessment, profiles)
    item_values = effective_answers(sheet, profiles) if items else {}
    r = sheet.respondent
    return Record(
        file=name,
        id=r.id,
        name=r.name,
        background=r.background,
        role=r.role,
        career_stage=assessment.career_stage,
        setting=r.setting,
        years_as_qim=r.years_as_qim,
        scores={c: s.score for c, s in assessment.scores.items()},
        gaps={c: s.gap for c, s in assessment.scores.items()},
        items=item_values,
        recommendations=[tid for tid, _ in ranked],
        barriers=barriers,
    )


def outcome_for(path: str | Path, profiles: Profiles, *, items: bool = True) -> Outcome:
    """A self-assessment becomes a Record; a colleague's 360 rating a RatingRecord."""
    from .answers import is_rating, rating_from_data, sheet_from_data
    from .loading import read_toml_file

    name = display_name(path)
    try:
        raw = read_toml_file(Path(path), name)
        if is_rating(raw):
            rating = rating_record(rating_from_data(raw, profiles, name), profiles, name)
            return Outcome(file=name, rating=rating)
        sheet = sheet_from_data(raw, profiles, name)
        return Outcome(file=name, record=record_from_sheet(sheet, profiles, name, items=items))
    except QimError as exc:
        return Outcome(file=name, lines=list(exc.lines), exit_code=int(exc.exit_code))


# --------------------------------------------------------------------------- scoring many

_WORKER_PROFILES: Profiles | None = None
_WORKER_ITEMS = True


def _init_worker(profiles_dir: str, items: bool = True) -> None:
    """Pool initializer: load the profile set once per worker process."""
    global _WORKER_PROFILES, _WORKER_ITEMS
    import signal

    from .profiles import load_profiles

    # Ctrl-C is handled once, by the parent, which then terminates the pool; the pool
    # stops workers with SIGTERM, which must kill them whatever the parent installed
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER_PROFILES = load_profiles(profiles_dir)
    _WORKER_ITEMS = items


def _work(path: str | Path) -> Outcome:
    assert _WORKER_PROFILES is not None, "worker started without profiles"
    return outcome_for(path, _WORKER_PROFILES, items=_WORKER_ITEMS)


def chunk_size(n_files: int, jobs: int) -> int:
    """Large enough to keep inter-process traffic low, small enough to balance the load."""
    return max(1, min(64, n_files // (jobs * 8)))


def score_paths(
    paths: Iterable[str | Path], profiles: Profiles, jobs: int = 1, *, items: bool = True
) -> Iterator[Outcome]:
    """One outcome per path, in the order of `paths`, whatever `jobs` is.

    `paths` may be a lazy iterable (a Discovery): nothing here holds the whole batch.
    items=False leaves out the item values (only reliability needs them).
    """
    if jobs <= 1:
        for path in paths:
            yield outcome_for(path, profiles, items=items)
        return
    import multiprocessing

    n = len(paths) if isinstance(paths, Sized) else None
    if n is not None and n <= 1:
        for path in paths:
            yield outcome_for(path, profiles, items=items)
        return
    if n is not None:
        jobs = min(jobs, n)
    with multiprocessing.Pool(
        processes=jobs, initializer=_init_worker, initargs=(str(profiles.directory), items)
    ) as pool:
        size = chunk_size(n, jobs) if n is not None else 128
        yield from pool.imap(_work, paths, chunksize=size)


# --------------------------------------------------------------------------- rows


def score_columns(profiles: Profiles) -> list[str]:
    """The CSV header of `qim score`."""
    cols = ["file", "id", "name", "background", "role", "career_stage", "setting"]
    for cid in profiles.competencies:
        cols += [f"{cid}_score", f"{cid}_gap"]
    cols += ["recommendations", "barriers"]
    cols += [f"top_{i}" for i in range(1, TOP_TRAININGS + 1)]
    return cols


def score_row(rec: Record) -> dict[str, Any]:
    """One respondent as JSON-ready data (scores and gaps as numbers or null)."""
    row: dict[str, Any] = {
        "file": rec.file,
        "id": rec.id,
        "name": rec.name,
        "background": rec.background,
        "role": rec.role,
        "career_stage": rec.career_stage,
        "setting": rec.setting,
    }
    for cid, score in rec.scores.items():
        row[f"{cid}_score"] = score
        row[f"{cid}_gap"] = rec.gaps[cid]
    row["recommendations"] = len(rec.recommendations)
    row["barriers"] = len(rec.barriers)
    row["top_trainings"] = rec.recommendations[:TOP_TRAININGS]
    return row


def csv_cell(value: Any) -> str | int | float:
    """A value as a spreadsheet-safe CSV cell.

    Numbers stay numbers (a gap of -0.25 is written as ``-0.25``, not neutralised);
    text that a spreadsheet would read as a formula gets a leading single quote.
    """
    kind = type(value)
    if kind is float or kind is int:  # the common case first: scores and gaps
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value  # type: ignore[no-any-return]
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class CsvRowWriter:
    """Writes dict rows as spreadsheet-safe CSV, one at a time."""

    def __init__(self, out: IO[str], columns: list[str]) -> None:
        self._writer = csv.writer(out, lineterminator="\n")
        self._columns = columns
        self._writer.writerow([csv_cell(c) for c in columns])

    def write(self, row: dict[str, Any]) -> None:
        self._writer.writerow([csv_cell(row.get(c)) for c in self._columns])


def score_csv_cells(rec: Record) -> list[Any]:
    """The CSV row of a record, in `score_columns` order (built directly: this runs per sheet).

    Text cells go through `csv_cell` (formula neutralising); numbers stay numbers.
    """
    row: list[Any] = [csv_cell(rec.file), csv_cell(rec.id), csv_cell(rec.name),
                      csv_cell(rec.background), csv_cell(rec.role), csv_cell(rec.career_stage),
                      csv_cell(rec.setting)]
    gaps = rec.gaps
    for cid, score in rec.scores.items():
        gap = gaps[cid]
        row.append("" if score is None else score)
        row.append("" if gap is None else gap)
    row.append(len(rec.recommendations))
    row.append(len(rec.barriers))
    tops = rec.recommendations[:TOP_TRAININGS]
    row.extend(csv_cell(tops[i]) if i < len(tops) else "" for i in range(TOP_TRAININGS))
    return row


def score_csv_row(rec: Record) -> dict[str, Any]:
    row = score_row(rec)
    tops = row.pop("top_trainings")
    for i in range(TOP_TRAININGS):
        row[f"top_{i + 1}"] = tops[i] if i < len(tops) else None
    return row


# --------------------------------------------------------------------------- writing


def missing_outcome(m: Missing) -> Outcome:
    err = NotFoundError(f"{display_name(m.path)}: no such file or folder")
    return Outcome(file=display_name(m.path), lines=err.lines, exit_code=int(err.exit_code))


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
        first += f" (and {more} more problem{'s' if more > 1 else ''}; see qim validate)"
    return first
