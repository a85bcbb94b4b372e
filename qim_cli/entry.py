"""The `qim` console script: answers --version without loading the command line at all."""

from __future__ import annotations

import sys


def main(*, module: bool = False) -> None:
    """`qim` (the console script), or `python -m qim_cli` with `module`."""
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"qim {__version__}\n")
        return
    if sorted(sys.argv[1:]) == ["--verbose", "--version"]:
        from .version import version_text

        sys.stdout.write(version_text(verbose=True))
        return
    _interrupt_on_termination()
    from .invocation import started

    started(sys.argv[0], module=module)  # the commands qim prints run as it was started
    from .cli.app import main as run

    run()


def _interrupt_on_termination() -> None:
    """SIGTERM, and SIGHUP (its terminal closed), stop qim as Ctrl-C does, from its first
    step to its last: temporary files removed, workers stopped, "qim: interrupted" and
    exit 130. A signal that was ignored when qim started (under nohup, say) stays so;
    `qim assess` puts its own in place (it says goodbye and keeps the draft)."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) is signal.SIG_DFL:
            signal.signal(sig, stop)
