"""Atomic, never-silently-overwriting writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import WriteError
from .loading import display_name


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
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if not force and path.exists():
            raise WriteError(f"{name}: already exists (use --force to overwrite)")
        Path(tmp).replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
