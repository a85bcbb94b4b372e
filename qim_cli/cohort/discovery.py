"""Finding the answer sheets of a batch: files and folders, lazily, in path order.

Folders are walked recursively for ``*.toml`` files (the extension in any case:
``.TOML`` too, as Windows and macOS treat it), following symbolic links but never
entering the same folder twice, skipping hidden entries; only one folder's names are
held at a time. The other files a folder holds (``notes.csv``, ``x.toml.bak``) are not
sheets: they are listed in `Discovery.others`, so that a batch can say it skipped them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import NotFoundError
from ..reading import display_name
from .records import Outcome


@dataclass(frozen=True)
class Missing:
    """A path given on the command line that does not exist."""

    path: Path


def _sort_key(path: str) -> str:
    """Order paths folder by folder, like comparing Path.parts ("a/b" before "a-b")."""
    return path.replace(os.sep, "\0")


def is_sheet_name(name: str) -> bool:
    """Whether a file found in a folder is taken as an answer sheet: its name ends in
    ``.toml``, in any case."""
    return name[-5:].lower() == ".toml"


def _walk(folder: str, seen: set[tuple[int, int]], others: list[str]) -> Iterator[str]:
    """``*.toml`` files under a folder in path order, following links, each real folder
    entered once; every other file is added to `others` (in path order too). Only one
    folder's names are held at a time (a folder's own entries must be sorted), never the
    whole tree's paths."""
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
                else:
                    # a broken link is kept: the loader reports it as a missing file
                    names.append(entry.name)
    except OSError:
        return
    names.sort()
    for name in names:
        if name.endswith("\0"):
            yield from _walk(os.path.join(folder, name[:-1]), seen, others)
        elif is_sheet_name(name):
            yield os.path.join(folder, name)
        else:
            others.append(os.path.join(folder, name))


def _count(folder: str, seen: set[tuple[int, int]]) -> int:
    """How many files `_walk` would yield, without building or sorting their paths."""
    try:
        st = os.stat(folder)  # noqa: PTH116 (paths stay str in batches)
    except OSError:
        return 0
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return 0
    seen.add(key)
    n = 0
    try:
        with os.scandir(folder) as it:
            for entry in it:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=True)
                except OSError:
                    is_dir = False
                if is_dir:
                    n += _count(entry.path, seen)
                elif is_sheet_name(name):
                    n += 1
    except OSError:
        return n
    return n


class Discovery:
    """The answer sheets named by files and folders, found lazily, in path order.

    A file named explicitly is taken whatever its extension; folders contribute their
    ``*.toml`` files at any depth, hidden files and folders excepted. Memory does not grow
    with the size of the batch beyond one folder's list of names (and the names of the
    other files, `others`).
    """

    def __init__(self, paths: Iterable[str | Path]) -> None:
        self.inputs: list[tuple[str, bool]] = []
        self.missing: list[Missing] = []
        self._others: list[str] = []
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
        others: list[str] = []
        self._others = others
        explicit = {p for p, is_dir in self.inputs if not is_dir}
        done: set[str] = set()
        for path, is_dir in self.inputs:
            if not is_dir:
                if path not in done:
                    done.add(path)
                    yield path
                continue
            for found in _walk(path, seen, others):
                if found in explicit:
                    if found in done:
                        continue
                    done.add(found)
                yield found

    @property
    def others(self) -> list[str]:
        """The files in the folders that are not sheets (neither hidden nor ``*.toml``, nor
        named on their own), in path order: complete once the sheets have been gone
        through to the end."""
        explicit = {p for p, is_dir in self.inputs if not is_dir}
        return [p for p in self._others if p not in explicit]

    def count(self) -> int:
        """How many sheets there are, found cheaply (for a progress bar's "time left")."""
        seen: set[tuple[int, int]] = set()
        folders = [p for p, is_dir in self.inputs if is_dir]
        files = {p for p, is_dir in self.inputs if not is_dir}
        n = len(files) + sum(_count(folder, seen) for folder in folders)
        # a file named alone that a folder also holds is scored once
        for path in files:
            if is_sheet_name(path) and any(
                    path.startswith(os.path.join(folder, "")) and "/." not in path[len(folder):]
                    for folder in folders):
                n -= 1
        return n

    def at_least(self, n: int) -> bool:
        """Whether there are at least n sheets (stops looking once it knows)."""
        count = 0
        for _ in self:
            count += 1
            if count >= n:
                return True
        return count >= n


def missing_outcome(m: Missing) -> Outcome:
    err = NotFoundError(f"{display_name(m.path)}: no such file or folder")
    return Outcome(file=display_name(m.path), lines=err.lines, exit_code=int(err.exit_code))


