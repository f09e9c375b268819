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
ANY_STRUCT = re.compile(r"\bstruct\s+(\w*)\s*\{")
PRINTED = re.compile(r"\b(STRUCT|FIELD)\((\w+)(?:,\s*(\w+))?\)")


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
    public = set()  # ("STRUCT", name, None) and ("FIELD", name, field)
    for path in sorted(glob.glob(os.path.join(a.headers, "*.h"))):
        text = COMMENT.sub(" ", open(path, encoding="utf-8").read())
        parsed = set()
        for m in STRUCT.finditer(text):
            name = m.group(1)
            count += 1
            parsed.add(name)
            public.add(("STRUCT", name, None))
            if "STRUCT(%s)" % name not in printer:
                errors.append("%s: struct %s not printed" % (os.path.basename(path), name))
            for f in fields(m.group(2)):
                public.add(("FIELD", name, f))
                if "FIELD(%s, %s)" % (name, f) not in printer:
                    errors.append("%s: field %s.%s not printed" % (os.path.basename(path), name, f))
        # a struct body in another form (no typedef, anonymous, nested) would escape the check above
        for m in ANY_STRUCT.finditer(text):
            if m.group(1) not in parsed:
                errors.append("%s: struct %s is not a 'typedef struct ik_x { ... } ik_x;' this check can read"
                              % (os.path.basename(path), m.group(1) or "(anonymous)"))
    # what the printer prints must still exist (e.g. a renamed field)
    for m in PRINTED.finditer(COMMENT.sub(" ", printer)):
        key = (m.group(1), m.group(2), m.group(3))
        if key[1] != "T" and key not in public:
            errors.append("layout printer: %s(%s%s) names nothing in the public headers"
                          % (key[0], key[1], ", " + key[2] if key[2] else ""))
    print("public structs: %d, fields: %d" % (count, sum(1 for k in public if k[0] == "FIELD")))
    for e in errors:
        print("FAIL: " + e)
    return 1 if errors or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
