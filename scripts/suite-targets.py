#!/usr/bin/env python3
"""Prints the ninja targets (paths relative to BUILD) that the tests of the
given Meson suites need: each test's own executable and the targets it
depends on (e.g. the emulator). Lets a build that runs only some suites (the
sanitizer builds) compile those, not every target of the tree.

Usage: suite-targets.py BUILD SUITE...
"""
import json
import os
import subprocess
import sys


def introspect(build, what):
    out = subprocess.run(["meson", "introspect", what, build], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    build = os.path.abspath(sys.argv[1])
    wanted = set(sys.argv[2:])
    files = {t["id"]: t["filename"] for t in introspect(build, "--targets")}
    paths = set()
    for test in introspect(build, "--tests"):
        suites = {s.split(":", 1)[-1] for s in test.get("suite", [])}
        if not suites & wanted:
            continue
        for dep in test.get("depends", []):
            paths.update(files.get(dep, []))
        exe = test["cmd"][0] if test.get("cmd") else ""
        if exe.startswith(build + os.sep):
            paths.add(exe)
    if not paths:
        print(f"suite-targets: no test of the suites {sorted(wanted)} in {build}", file=sys.stderr)
        return 1
    for p in sorted(paths):
        print(os.path.relpath(p, build))
    return 0


if __name__ == "__main__":
    sys.exit(main())
