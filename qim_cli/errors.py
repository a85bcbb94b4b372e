"""One exception hierarchy for qim; only the command line turns these into exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes (see docs/reference/exit-codes.md)."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    DATA_INVALID = 65
    NOT_FOUND = 66
    CANNOT_WRITE = 73
    UNAVAILABLE = 69  # sysexits EX_UNAVAILABLE: a component it needs is not installed
    NOT_FINISHED = 75  # sysexits EX_TEMPFAIL: saved to finish later, or in use elsewhere
    INTERRUPTED = 130


class QimError(Exception):
    """Base class of every error qim reports to a user."""

    exit_code: ExitCode = ExitCode.UNEXPECTED

    def __init__(self, message: str, *, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # one line per problem; the first line is the message itself
        self.lines: list[str] = lines if lines else [message]

    def __str__(self) -> str:
        return "\n".join(self.lines)


class UsageError(QimError):
    exit_code = ExitCode.USAGE


class DataError(QimError):
    """An answer sheet or a profile file is not valid."""

    exit_code = ExitCode.DATA_INVALID


class ProfileError(DataError):
    """The profile set (framework, backgrounds, trainings, rules) is not valid."""


class NotFoundError(QimError):
    exit_code = ExitCode.NOT_FOUND


class WriteError(QimError):
    exit_code = ExitCode.CANNOT_WRITE


class NotFinished(QimError):
    """Nothing is lost, but the work cannot go on now: try again later (e.g. a draft that
    another session holds)."""

    exit_code = ExitCode.NOT_FINISHED


class OutputExists(WriteError):
    """The output file exists and --force was not given (the one write error --force cures)."""


class OutputIsInput(WriteError):
    """The output is one of the command's inputs (no option lets qim write over it)."""


class Unavailable(QimError):
    """What was asked needs a component that is not installed (the PDF extra, say); the
    message names the command that installs it."""

    exit_code = ExitCode.UNAVAILABLE

