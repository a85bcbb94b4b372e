"""The good sheets of a batch, kept until the batch is done (cohort/runner.py): who each one
is, to find the same respondent twice before any is used, and its outcome.

A private temporary SQLite database (the standard library's): its pages stay in a small
cache and go to a temporary file beyond it, so memory does not grow with the batch, and
finding the keys met more than once is one query. A record is kept as its values with
marshal (the standard library's fastest serialiser for builtins: a batch pays little for
waiting), a text as it is, a whole sheet pickled.
"""

from __future__ import annotations

import marshal
import pickle
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from ..errors import WriteError
from ..sheets.context import ContextRecord
from .records import Outcome, RatingRecord, Record

#: KiB of scored records a batch holds in memory; the rest waits in a temporary file
STORE_CACHE_KIB = 512

#: the fields of each kind of record, in order (their values are builtins)
_RECORD = tuple(f.name for f in fields(Record))
_RATING = tuple(f.name for f in fields(RatingRecord))
_CONTEXT = tuple(f.name for f in fields(ContextRecord))


def _packed(outcome: Outcome) -> tuple[str, bytes | str]:
    """An outcome as (kind, payload): a record's or a rating's values with marshal (the
    standard library's fastest serialiser for builtins: a batch pays little for waiting),
    a text as it is, a sheet pickled."""
    if outcome.text is not None:
        return "t", outcome.text
    if outcome.record is not None:
        return "r", marshal.dumps(tuple(getattr(outcome.record, f) for f in _RECORD))
    if outcome.sheet is not None:
        return "s", pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    if outcome.context is not None:
        return "c", marshal.dumps(tuple(getattr(outcome.context, f) for f in _CONTEXT))
    assert outcome.rating is not None
    return "g", marshal.dumps(tuple(getattr(outcome.rating, f) for f in _RATING))


def _unpacked(file: str, kind: str, payload: Any, floats: dict[float, float]) -> Outcome:
    """The outcome `_packed` kept. A record's scores are the instances seen before (a
    cohort keeps each person's scores; a score takes few values)."""
    if kind == "t":
        return Outcome(file, text=payload)
    if kind == "r":
        record = Record(*marshal.loads(payload))
        same = floats.setdefault
        record.scores = {c: v if v is None else same(v, v) for c, v in record.scores.items()}
        return Outcome(file, record)
    if kind == "s":
        kept: Outcome = pickle.loads(payload)  # noqa: S301 (our own, above)
        return kept
    if kind == "c":
        return Outcome(file, context=ContextRecord(*marshal.loads(payload)))
    return Outcome(file, rating=RatingRecord(*marshal.loads(payload)))


class Store:
    """The good sheets of a batch, in the order met, kept until the batch is done: who
    each one is (to find the same respondent twice) and its outcome.

    A private temporary SQLite database (the standard library's): its pages stay in a
    small cache and go to a temporary file beyond it, so memory does not grow with the
    batch, and finding the keys met more than once is one query.
    """

    def __init__(self) -> None:
        import sqlite3

        self._error = sqlite3.Error
        self._db = sqlite3.connect("", isolation_level=None)  # "": deleted when closed
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = FILE",
                       f"cache_size = -{STORE_CACHE_KIB}"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE sheet (key TEXT, file TEXT, shown TEXT, subject TEXT, "
                         "kind TEXT, outcome BLOB)")
        self._db.execute("BEGIN")

    def _run(self, sql: str, *args: Any) -> Any:
        try:
            return self._db.execute(sql, args)
        except self._error as exc:
            raise WriteError(f"cannot keep the scored sheets in a temporary file ({exc}); "
                             "set TMPDIR to a folder with room") from None

    def add(self, key: str | None, shown: str, subject: str | None, outcome: Outcome) -> None:
        self._run("INSERT INTO sheet VALUES (?, ?, ?, ?, ?, ?)", key, outcome.file, shown,
                  subject, *_packed(outcome))

    def repeated(self) -> Iterator[tuple[str, str, str, str | None]]:
        """(key, file, id as given, subject) of every sheet whose key another has, in order."""
        yield from self._run(
            "SELECT key, file, shown, subject FROM sheet WHERE key IN (SELECT key FROM sheet "
            "WHERE key IS NOT NULL GROUP BY key HAVING COUNT(*) > 1) ORDER BY rowid")

    def outcomes(self, leave_out: set[str]) -> Iterator[Outcome]:
        """The outcomes in the order met, but those with a key in `leave_out`; read once."""
        try:
            rows = self._run("SELECT key, file, kind, outcome FROM sheet ORDER BY rowid")
            floats: dict[float, float] = {}
            for key, file, kind, payload in rows:
                if key not in leave_out:
                    yield _unpacked(file, kind, payload, floats)
        finally:
            self._db.close()
