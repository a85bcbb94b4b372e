"""Atomic, never-silently-overwriting writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

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


def write_atomic(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write via a temp file in the same folder, fsync, then os.replace.

    An existing file is only replaced with force=True; a reader never sees half a file.
    """
    name = display_name(path)
    if path.exists() and not force:
        raise WriteError(f"{name}: already exists (use --force to overwrite)")
    if path.is_dir():
        raise WriteError(f"{name}: is a directory")
    folder = path.parent
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise WriteError(f"{name}: folder {display_name(folder)} does not exist") from None
    except OSError as exc:
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc})") from None
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            Path(tmp).replace(path)
        else:
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
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
