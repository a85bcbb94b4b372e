"""Run many qim commands in one Python process, each with its own redirected stdout and stderr.

    python tests/support/run_commands.py CASES.json OUT_DIR

CASES.json is a list of {"id": ..., "argv": [...], "stdin": PATH or null}. Each command
runs through qim's console entry point with file descriptors 1 and 2 (and 0 when `stdin`
is given) pointing at OUT_DIR/ID.out and OUT_DIR/ID.err, so it writes through the very
sys.stdout and sys.stderr that Python set up for the process (PYTHONIOENCODING and all),
as it would when redirected by a shell. Exit codes go to OUT_DIR/codes.json. One process
for many commands keeps the encoding tests quick (qim and the profiles are loaded once).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            buffer.flush()


def run(cases: list[dict], out_dir: Path) -> dict[str, int]:
    from qim_cli.entry import main

    saved = {fd: os.dup(fd) for fd in (0, 1, 2)}
    codes: dict[str, int] = {}
    for case in cases:
        _flush()
        files = {1: out_dir / f"{case['id']}.out", 2: out_dir / f"{case['id']}.err"}
        opened = {fd: os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                  for fd, path in files.items()}
        if case.get("stdin"):
            opened[0] = os.open(case["stdin"], os.O_RDONLY)
        for fd, target in opened.items():
            os.dup2(target, fd)
        sys.argv = ["qim", *case["argv"]]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            _flush()
            for fd, target in opened.items():
                os.dup2(saved[fd], fd)
                os.close(target)
        codes[case["id"]] = code
    return codes


if __name__ == "__main__":
    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(sys.argv[2])
    (out / "codes.json").write_text(json.dumps(run(cases, out)), encoding="utf-8")
