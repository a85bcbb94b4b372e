#!/usr/bin/env python3
"""The floors: find every *.toml under the folders given, read it and (optionally) parse it.

    parse_floor.py DIR                    # read and parse with tomllib (the standard library)
    parse_floor.py --parser rtoml DIR     # read and parse with rtoml (the compiled parser)
    parse_floor.py --parser none DIR      # read only

`qim score` cannot be faster than reading and parsing its input; benchmarks/run.py
times it against these on the same files, in the same run.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    parser = "tomllib"
    if argv[:1] == ["--parser"]:
        parser, argv = argv[1], argv[2:]
    if parser == "tomllib":
        import tomllib

        parse = tomllib.loads
    elif parser == "rtoml":
        import rtoml

        parse = rtoml.loads
    elif parser == "none":
        def parse(text: str) -> None:
            return None
    else:
        sys.exit(f"parse_floor: unknown parser {parser!r} (tomllib, rtoml or none)")
    paths = []
    for folder in argv:
        for root, _dirs, files in os.walk(folder):
            paths.extend(os.path.join(root, f) for f in files if f.endswith(".toml"))
    paths.sort()
    for path in paths:
        with open(path, "rb") as fh:
            parse(fh.read().decode("utf-8"))
    print(len(paths))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
