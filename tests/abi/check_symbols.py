#!/usr/bin/env python3
"""Compare the exported symbols of libinvitekit with the reviewed list.

Checks, each failing the test on its own:
  1. tests/abi/symbols.txt is sorted, unique and only holds ik_* names;
  2. it equals the set of functions declared with IK_API in the public headers
     (every IK_API function must be exported, and nothing undeclared is listed);
  3. `nm -D --defined-only` of the shared library exports exactly those names:
     no extra, no missing, and nothing that is not ik_* (no C++ or libstdc++
     symbol may leak). Version-node markers of the linker script (absolute
     symbols such as IK_0.1) are not symbols of the ABI and are ignored.

Usage:
  check_symbols.py --lib libinvitekit.so --symbols symbols.txt --headers include/invitekit
  check_symbols.py --generate --headers include/invitekit   # print the list from the headers
"""
import argparse
import glob
import os
import re
import subprocess
import sys

IK_API_DECL = re.compile(r"\bIK_API\b[^;{]*?\b(ik_[A-Za-z0-9_]+)\s*\(")
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def header_symbols(header_dir):
    names = {}
    for path in sorted(glob.glob(os.path.join(header_dir, "*.h"))):
        with open(path, encoding="utf-8") as f:
            text = COMMENT.sub(" ", f.read())
        for m in IK_API_DECL.finditer(text):
            names.setdefault(m.group(1), os.path.basename(path))
    return names


def read_list(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.append(line)
    return out


def exported_symbols(nm, lib):
    proc = subprocess.run([nm, "-D", "--defined-only", lib], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("nm failed: " + proc.stderr.strip())
    syms = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1]
        if kind == "A":  # version node of the linker script, e.g. IK_0.1
            continue
        name = name.split("@", 1)[0]
        syms[name] = kind
    return syms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib")
    ap.add_argument("--symbols")
    ap.add_argument("--headers", required=True)
    ap.add_argument("--nm", default="nm")
    ap.add_argument("--generate", action="store_true")
    a = ap.parse_args()

    declared = header_symbols(a.headers)
    if not declared:
        sys.exit("no IK_API declarations found under " + a.headers)
    if a.generate:
        for n in sorted(declared):
            print(n)
        return 0

    errors = []
    listed = read_list(a.symbols)
    if listed != sorted(listed):
        errors.append("symbols.txt is not sorted")
    if len(set(listed)) != len(listed):
        errors.append("symbols.txt has duplicates")
    for n in listed:
        if not n.startswith("ik_"):
            errors.append("symbols.txt lists a non-ik_ name: " + n)
    listed_set = set(listed)

    for n in sorted(set(declared) - listed_set):
        errors.append("declared IK_API in %s but not in symbols.txt: %s" % (declared[n], n))
    for n in sorted(listed_set - set(declared)):
        errors.append("in symbols.txt but not declared IK_API in any public header: " + n)

    exported = exported_symbols(a.nm, a.lib)
    for n in sorted(exported):
        if not n.startswith("ik_"):
            errors.append("exported non-ik_ symbol (%s): %s" % (exported[n], n))
        elif n not in listed_set:
            errors.append("exported but not in the reviewed list: " + n)
    for n in sorted(listed_set - set(exported)):
        errors.append("in the reviewed list but not exported: " + n)
    for n, kind in sorted(exported.items()):
        if n.startswith("ik_") and kind not in ("T", "t", "W", "i"):
            errors.append("exported ik_ symbol is not a function (%s): %s" % (kind, n))

    print("declared IK_API: %d, reviewed list: %d, exported: %d" % (len(declared), len(listed), len(exported)))
    if errors:
        for e in errors:
            print("FAIL: " + e)
        return 1
    print("OK: exported symbols match the reviewed list and the headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
