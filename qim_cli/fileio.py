"""Atomic, never-silently-overwriting writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import WriteError
from .loading import display_name


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    """An existing file keeps its mode; a new one gets the usual 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _set_mode(fd: int, tmp: str, mode: int) -> None:
    """Give the temp file its final mode: through the open descriptor where the system
    can (POSIX), else by name (Windows before Python 3.13 has no fchmod; there only the
    read-only flag is kept)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:
        os.chmod(tmp, mode)  # noqa: PTH101 (a str path from mkstemp)


def check_writable(path: Path, *, force: bool) -> None:
    """Fail early (before any work) when the output cannot be written."""
    name = display_name(path)
    if path.is_dir():
        raise WriteError(f"{name}: is a directory")
    if path.exists() and not force:
        raise WriteError(f"{name}: already exists (use --force to overwrite)")
    folder = path.parent
    if not folder.is_dir():
        raise WriteError(f"{name}: folder {display_name(folder)} does not exist")


def _publish(tmp: str, path: Path, *, force: bool, name: str) -> None:
    """Give the finished temp file its final name; without force, never replace a file."""
    if force:
        Path(tmp).replace(path)
        return
    # link() refuses to replace: two writers cannot both "create" the same file
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise WriteError(f"{name}: already exists (use --force to overwrite)") from None
    except OSError:
        # a file system without hard links: check, then rename (a small race remains)
        if path.exists():
            raise WriteError(f"{name}: already exists (use --force to overwrite)") from None
        Path(tmp).replace(path)
    else:
        Path(tmp).unlink()


@contextlib.contextmanager
def atomic_writer(path: Path, *, force: bool = False, binary: bool = False) -> Iterator[IO[Any]]:
    """Stream into a temp file next to `path`; on success flush, fsync and give it its name.

    If the block raises, or the process is killed, the final name is never left holding
    a partial file (a killed process may leave its ``.NAME.*.tmp`` behind, never NAME).
    """
    name = display_name(path)
    check_writable(path, force=force)
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc})") from None
    try:
        _set_mode(fd, tmp, _mode_for(path))
        mode = "wb" if binary else "w"
        extra = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **extra) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, path, force=force, name=name)
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def write_atomic(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write all of `data` atomically (see `atomic_writer`); never overwrite without force."""
    with atomic_writer(path, force=force, binary=isinstance(data, bytes)) as fh:
        fh.write(data)
