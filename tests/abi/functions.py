#!/usr/bin/env python3
"""The machine-readable signature list of the C ABI: tests/abi/functions.txt.

One line per exported function, sorted by name, tab-separated:

    name <TAB> return type <TAB> parameter types, separated by ", " ("void" for none)

Types are normalised C spellings from the public headers: single spaces, `*`
attached to the type ("const char *" -> "const char*"), parameter names
dropped, typedefs kept as written (ik_status, ik_optbool, ik_log_cb ...).
Bindings read this file to verify their hand-written declarations (Rust, Go and
C# each have a test that does), so a change of any signature fails a binding
test until the binding follows.

Usage:
  functions.py --headers include/invitekit --check tests/abi/functions.txt
  functions.py --headers include/invitekit > tests/abi/functions.txt
"""
import argparse
import glob
import os
import re
import sys

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
DECL = re.compile(r"\bIK_API\b\s+([^;{]*?)\b(ik_[A-Za-z0-9_]+)\s*\(([^)]*)\)\s*;", re.S)
PARAM_NAME = re.compile(r"^(.*?[\s*])([A-Za-z_][A-Za-z0-9_]*)$")


def norm_type(t):
    t = " ".join(t.split())
    t = re.sub(r"\s*\*", "*", t)          # "char *" -> "char*", "* *" -> "**"
    t = re.sub(r"\*(?=[A-Za-z])", "* ", t)  # "char*const" -> "char* const"
    return t.strip()


def param_type(p):
    p = " ".join(p.split())
    if p == "void":
        return "void"
    m = PARAM_NAME.match(p)
    if not m:
        raise ValueError("cannot read parameter %r" % p)
    return norm_type(m.group(1))


def signatures(header_dir):
    out = {}
    for path in sorted(glob.glob(os.path.join(header_dir, "*.h"))):
        with open(path, encoding="utf-8") as f:
            text = COMMENT.sub(" ", f.read())
        for m in DECL.finditer(text):
            ret = norm_type(re.sub(r"\bIK_(DEPRECATED\([^)]*\)|WARN_UNUSED)\b", " ", m.group(1)))
            params = [param_type(p) for p in m.group(3).split(",")] if m.group(3).strip() else ["void"]
            out[m.group(2)] = (ret, ", ".join(params))
    return out


def render(sigs):
    return "".join("%s\t%s\t%s\n" % (name, ret, params) for name, (ret, params) in sorted(sigs.items()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--headers", required=True)
    ap.add_argument("--check", help="committed functions.txt to compare with the headers")
    a = ap.parse_args()
    text = render(signatures(a.headers))
    if not a.check:
        sys.stdout.write(text)
        return 0
    with open(a.check, encoding="utf-8") as f:
        committed = f.read()
    if committed == text:
        print("functions.txt matches the headers: %d functions" % text.count("\n"))
        return 0
    want = set(text.splitlines())
    have = set(committed.splitlines())
    for line in sorted(want - have):
        print("missing or changed in functions.txt:  " + line)
    for line in sorted(have - want):
        print("not in the headers (stale):           " + line)
    print("regenerate with: python3 tests/abi/functions.py --headers include/invitekit > tests/abi/functions.txt")
    return 1


if __name__ == "__main__":
    sys.exit(main())
