"""Writes that fail: a full disk (at the start or part of the way through), a write lost
until the data is synced, a folder without write permission, a full disk behind standard
output. The earlier output stays whole, no temporary file is left, the message says so once."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.commands import COHORT, HANG_GUARD, NURSE
from typer.testing import CliRunner

from qim_cli.cli.app import app

runner = CliRunner()


class _FullDisk(io.RawIOBase):
    """A file on a disk with `room` bytes left: the write that does not fit fails with
    ENOSPC, as it would on a full disk (or a quota), after the bytes before it went out."""

    def __init__(self, fd: int, room: int) -> None:
        self.fd, self.room = fd, room

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def write(self, data) -> int:  # type: ignore[override]
        import errno

        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return os.write(self.fd, data)

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


@pytest.fixture
def full_disk(monkeypatch):
    """Every file qim opens for writing gets `room[0]` bytes before the disk is full."""
    import qim_cli.fileio

    room = [0]

    def fdopen(fd, mode="r", *args, encoding=None, newline=None, **kwargs):
        raw = io.BufferedWriter(_FullDisk(fd, room[0]))
        return raw if "b" in mode else io.TextIOWrapper(raw, encoding=encoding, newline=newline)

    monkeypatch.setattr(qim_cli.fileio.os, "fdopen", fdopen)
    return room


WRITES = {
    "report json": ["report", str(NURSE), "-f", "json"],
    "report html": ["report", str(NURSE), "-f", "html"],
    "template": ["template"],
    "score csv": ["score", str(COHORT)],
    "cohort markdown": ["cohort", str(COHORT), "-f", "markdown"],
}


@pytest.mark.parametrize("room", [0, 4000])
@pytest.mark.parametrize("what", sorted(WRITES))
def test_a_full_disk_keeps_the_earlier_output_and_says_so(tmp_path, full_disk, what, room):
    out = tmp_path / "out.txt"
    out.write_text("last week's output\n")
    full_disk[0] = room  # nothing fits, or the disk fills up part of the way through
    result = runner.invoke(app, [*WRITES[what], "-o", str(out), "--force"])
    assert result.exit_code == 73
    assert result.stderr.splitlines()[-1] == (
        f"{out}: cannot write (No space left on device); the existing {out} is unchanged")
    assert out.read_text() == "last week's output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temp file left


def test_a_full_disk_leaves_no_new_file_behind(tmp_path, full_disk):
    out = tmp_path / "scores.csv"
    full_disk[0] = 3000
    result = runner.invoke(app, ["score", str(COHORT), "-o", str(out)])
    assert result.exit_code == 73
    assert result.stderr.splitlines()[-1] == (
        f"{out}: cannot write (No space left on device); no {out} was written")
    assert list(tmp_path.iterdir()) == []


def test_a_lost_write_is_caught_when_the_data_is_synced(tmp_path, monkeypatch):
    """Some file systems (NFS, a failing disk) report a write as lost only at fsync."""
    import errno

    out = tmp_path / "report.json"
    out.write_text("{}\n")

    def fsync(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)
    result = runner.invoke(app, ["report", str(NURSE), "-f", "json", "-o", str(out), "--force"])
    assert result.exit_code == 73
    assert result.stderr == f"{out}: cannot write (Input/output error); the existing {out} is unchanged\n"
    assert out.read_text() == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_folder_without_write_permission_cannot_be_written(tmp_path, monkeypatch):
    import errno
    import tempfile

    def refuse(*args, **kwargs):  # as root, chmod would not stop the write
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["report", str(NURSE), "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 73
    assert result.stderr == f"{out}: cannot write (Permission denied)\n"
    assert not out.exists()


@pytest.mark.parametrize("command", [["report", str(NURSE)], ["score", str(COHORT)],
                                     ["validate", str(NURSE)], ["framework", "--format", "json"],
                                     ["schema", "answers"], ["template"]])
def test_a_full_disk_behind_standard_output_is_said_once(command):
    with Path("/dev/full").open("w") as full:  # every write to it fails with ENOSPC
        proc = subprocess.run([sys.executable, "-m", "qim_cli", *command], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=HANG_GUARD)
    assert proc.returncode == 73
    assert proc.stderr.splitlines()[-1] == "standard output: cannot write (No space left on device)"
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
