#!/usr/bin/env python3
"""Fail when layout_printer.c misses a public struct or one of its fields.

Usage: check_layout.py --headers include/invitekit --printer tests/abi/layout_printer.c
"""
import argparse
import glob
import os
import re
import sys

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
STRUCT = re.compile(r"typedef\s+struct\s+(ik_\w+)\s*\{(.*?)\}\s*\w+\s*;", re.S)


def fields(body):
    out = []
    for decl in body.split(";"):
        decl = decl.strip()
        if not decl:
            continue
        fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)
        out.append(fp.group(1) if fp else re.findall(r"(\w+)\s*(?:\[[^\]]*\])?\s*$", decl)[0])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--headers", required=True)
    ap.add_argument("--printer", required=True)
    a = ap.parse_args()
    printer = open(a.printer, encoding="utf-8").read()
    errors = []
    count = 0
    for path in sorted(glob.glob(os.path.join(a.headers, "*.h"))):
        text = COMMENT.sub(" ", open(path, encoding="utf-8").read())
        for m in STRUCT.finditer(text):
            name = m.group(1)
            count += 1
            if "STRUCT(%s)" % name not in printer:
                errors.append("%s: struct %s not printed" % (os.path.basename(path), name))
            for f in fields(m.group(2)):
                if "FIELD(%s, %s)" % (name, f) not in printer:
                    errors.append("%s: field %s.%s not printed" % (os.path.basename(path), name, f))
    print("public structs: %d" % count)
    for e in errors:
        print("FAIL: " + e)
    return 1 if errors or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
