"""Reading input files: regular files only, never waiting on a pipe or touching a device,
never more than a size limit; and how a file is named in a message."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import DataError, NotFoundError
from .printable import printable

#: Answer sheets and profile files larger than this are refused without being read whole.
MAX_FILE_BYTES = 1024 * 1024


def display_name(path: str | Path) -> str:
    """How a file is named in messages; control characters never reach the terminal."""
    return printable(str(path))


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words ("a named pipe (FIFO)")."""
    if stat.S_ISDIR(mode):
        return "a directory"
    return next((words for test, words in _NOT_REGULAR if test(mode)), "not a regular file")


def too_large(limit: int) -> str:
    return f"file is larger than the {limit / (1024 * 1024):g} MiB limit"


def _check_regular(st: os.stat_result, name: str, limit: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise DataError(f"{name}: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise DataError(f"{name}: is {file_kind(st.st_mode)}, not a regular file")
    if st.st_size > limit:
        raise DataError(f"{name}: {too_large(limit)}")


def read_flags() -> int:
    """os.open() flags for reading an input: never wait (a FIFO swapped in after the check
    opens at once), never take a terminal as the controlling one, never leak into a child
    process; on Windows, binary (os.open is text mode there: CR LF would become LF and a
    Ctrl-Z byte would end the file). Each flag only where the system has it."""
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    return flags


_READ_FLAGS = read_flags()


def read_file_bytes(path: str | Path, name: str | None = None, *,
                    limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, refusing anything else without ever waiting on it.

    A named pipe, device or socket is refused from its status alone: it is never opened,
    so a FIFO without a writer cannot block and a device is never touched. The file is
    then opened non-blocking and checked again (it may have been swapped in between), and
    a file larger than `limit` is refused without being read whole.
    """
    name = name or display_name(path)
    try:
        _check_regular(os.stat(path), name, limit)  # noqa: PTH116 (paths stay str in batches)
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise NotFoundError(f"{name}: no such file") from None
    except PermissionError:
        raise DataError(f"{name}: cannot read (permission denied)") from None
    except OSError as exc:
        raise DataError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        _check_regular(st, name, limit)
        # the size is known: ask for it in one read (no 1 MiB buffer per file), then read
        # on to the end or just past the limit (a file may grow while it is read)
        chunks: list[bytes] = []
        total = 0
        request = st.st_size + 1
        while total <= limit:
            chunk = os.read(fd, request)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if len(chunk) < request and stat.S_ISREG(st.st_mode):
                break  # a short read of a regular file is its end (no second call)
            request = min(limit + 1 - total, 8192)
    except OSError as exc:
        raise DataError(f"{name}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if total > limit:
        raise DataError(f"{name}: {too_large(limit)}")
    return b"".join(chunks)
