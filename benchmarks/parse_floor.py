#!/usr/bin/env python3
"""The parsing floor: find every *.toml under the folders given and only tomllib-parse it.

`qim score` cannot be faster than reading and parsing its input; benchmarks/run.py
times it against this script on the same files, in the same run.
"""

from __future__ import annotations

import os
import sys
import tomllib


def main(folders: list[str]) -> int:
    paths = []
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            paths.extend(os.path.join(root, f) for f in files if f.endswith(".toml"))
    paths.sort()
    parsed = 0
    for path in paths:
        with open(path, "rb") as fh:
            tomllib.loads(fh.read().decode("utf-8"))
        parsed += 1
    print(parsed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
