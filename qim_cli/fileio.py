"""Atomic writes that never silently overwrite a file and never write over an input."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import OutputExists, OutputIsInput, WriteError
from .reading import display_name, file_kind


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


def _status(target: str | Path | int) -> os.stat_result | None:
    try:
        return os.fstat(target) if isinstance(target, int) else os.stat(target)  # noqa: PTH116
    except (OSError, ValueError):
        return None


def _input_status(path: str | Path) -> os.stat_result | None:
    """"-" is standard input (a file redirected with `<` is an input like any other)."""
    if str(path) == "-":
        try:
            return _status(sys.stdin.fileno())
        except (AttributeError, OSError, ValueError):  # no real standard input
            return None
    return _status(path)


def refuse_inputs(output: str | Path | int, inputs: Iterable[str | Path]) -> None:
    """Never write over an input: raise WriteError when `output` is one of `inputs`.

    `output` is a path or an open descriptor (standard output). "The same file" is
    `os.path.samefile`'s test (same device, same inode), so a symbolic link or a hard
    link to an input, or the input under another spelling, is caught too. The inputs are
    looked at only when the output already exists (a file yet to be made is none of
    them); for a descriptor, only when it is a regular file that is not empty (after
    `> file` the shell has emptied it already, and reading it reports an empty file).
    """
    out = _status(output)
    if out is None or not stat.S_ISREG(out.st_mode):
        return
    if isinstance(output, int) and out.st_size == 0:
        return
    for path in inputs:
        st = _input_status(path)
        if st is None or not os.path.samestat(out, st):
            continue
        shown = "standard input" if str(path) == "-" else display_name(path)
        if isinstance(output, int):
            raise OutputIsInput(f"standard output is {shown}, one of the inputs; write the output "
                             "to another file (qim never writes over an input)")
        name = display_name(output)
        what = "one of the inputs" if shown == name else f"the same file as the input {shown}"
        raise OutputIsInput(f"{name}: is {what}; choose another output file "
                         "(--force never replaces an input)")


def _is_stream(st: os.stat_result | None) -> bool:
    """A terminal, /dev/null or a named pipe: written into, never replaced by a file."""
    return st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode))


def _final(path: Path) -> Path:
    """The file a symbolic link points to is the one written (the link itself stays)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check_writable(path: Path, *, force: bool, inputs: Iterable[str | Path]) -> None:
    """Fail early (before any work) when the output cannot or must not be written.

    `inputs` are the files the command reads (answer sheets, profile files, a draft):
    the output may never be one of them, --force or not (see `refuse_inputs`). A
    character device or a named pipe (/dev/null, a terminal, a FIFO) is written into
    as a stream, never replaced; a block device or a socket is refused.
    """
    name = display_name(path)
    st = _status(path)
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise WriteError(f"{name}: is a directory, not a file")
        if _is_stream(st):
            return
        if not stat.S_ISREG(st.st_mode):
            raise WriteError(f"{name}: is {file_kind(st.st_mode)}; qim writes only to regular "
                             "files, character devices and named pipes")
        refuse_inputs(path, inputs)
        if not force:
            raise OutputExists(f"{name}: already exists (use --force to overwrite)")
    folder = _final(path).parent
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
        raise OutputExists(f"{name}: already exists (use --force to overwrite)") from None
    except OSError:
        # a file system without hard links: check, then rename (a small race remains)
        if path.exists():
            raise OutputExists(f"{name}: already exists (use --force to overwrite)") from None
        Path(tmp).replace(path)
    else:
        Path(tmp).unlink()


def _open(fd: int, binary: bool) -> IO[Any]:
    """A file object on `fd`: bytes as they are, or text as UTF-8 with the line ends given."""
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


@contextlib.contextmanager
def _stream_writer(path: Path, name: str, binary: bool) -> Iterator[IO[Any]]:
    """Write into a character device or a named pipe as it is (no temp file, no rename).

    The open never waits: a named pipe that nobody reads is reported at once.
    """
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise WriteError(f"{name}: a named pipe that nothing reads from; start the "
                             "reader first") from None
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc})") from None
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)  # opened without waiting; written like standard output
    try:
        with _open(fd, binary) as fh:
            yield fh
    except OSError as exc:
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc})") from None


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived while an output was being written: stop like Ctrl-C."""


@contextlib.contextmanager
def _termination_cleans_up() -> Iterator[None]:
    """While a temp file exists, SIGTERM and SIGHUP stop qim like Ctrl-C when they would
    otherwise kill it outright, so that the temp file is removed on the way out.

    A handler the caller installed (a batch, `qim assess`) is left alone, and nothing
    changes outside the main thread, where Python cannot install one.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated(signum)

    installed = []
    for sig_name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, sig_name, None)
        if sig is not None and signal.getsignal(sig) is signal.SIG_DFL:
            signal.signal(sig, stop)
            installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            signal.signal(sig, signal.SIG_DFL)


@contextlib.contextmanager
def atomic_writer(path: Path, *, force: bool = False, binary: bool = False,
                  inputs: Iterable[str | Path]) -> Iterator[IO[Any]]:
    """Stream into a temp file next to `path`; on success flush, fsync and give it its name.

    `inputs`: the files the output must not be (see `check_writable`); pass () only for
    state that is meant to be replaced, or when the caller has just checked them.

    If the block raises, the disk fills up, a write is lost or the process is killed,
    the final name is never left holding a partial file: an earlier file of that name
    stays as it was. SIGTERM and SIGHUP remove the temp file too (they raise
    `Terminated`, a KeyboardInterrupt); only SIGKILL or a crash can leave a
    ``.NAME.*.tmp`` behind, never NAME.
    A symbolic link keeps pointing where it did, at the new file. A character device or
    named pipe is written into directly (see `check_writable`).
    """
    name = display_name(path)
    check_writable(path, force=force, inputs=inputs)
    if _is_stream(_status(path)):
        with _stream_writer(path, name, binary) as fh:
            yield fh
        return
    path = _final(path)
    folder = path.parent
    existed = path.exists()
    with _termination_cleans_up():
        yield from _write_through_temp(path, folder, name, existed, binary, force)


def _write_through_temp(path: Path, folder: Path, name: str, existed: bool, binary: bool,
                        force: bool) -> Iterator[IO[Any]]:
    """The temp file's whole life (see `atomic_writer`)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc})") from None
    try:
        _set_mode(fd, tmp, _mode_for(path))
        with _open(fd, binary) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())  # a lost write (EIO) or a full disk shows up here at last
        _publish(tmp, path, force=force, name=name)
        _fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        kept = f"the existing {name} is unchanged" if existed else f"no {name} was written"
        raise WriteError(f"{name}: cannot write ({exc.strerror or exc}); {kept}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def write_atomic(path: Path, data: str | bytes, *, force: bool = False,
                 inputs: Iterable[str | Path]) -> None:
    """Write all of `data` atomically (see `atomic_writer`); never overwrite without force,
    never write over one of `inputs`."""
    with atomic_writer(path, force=force, binary=isinstance(data, bytes), inputs=inputs) as fh:
        fh.write(data)
