#!/usr/bin/env python3
"""Writes (or, with --check, verifies) debian/libinvitekit<ABI>.symbols.

The symbols file is derived from three files of the source tree, so that it
never drifts from the ABI that tests/abi guards:

  tests/abi/symbols.txt   the reviewed list of exported functions
  src/invitekit.map       the linker version script (version node names)
  meson.build             version and abi_version (package name, SONAME)

Each symbol keeps the minimum version it already has in the committed file
(the version that introduced it); a symbol new to the file gets the current
project version. When the SONAME changes, every symbol starts again at the
current version. dpkg-gensymbols then checks, during the package build
(`dh_makeshlibs -- -c4` in debian/rules), that the library exports exactly
these symbols.

Usage: debian/gen-symbols.py [--check] [--source-root DIR]
  --check  exit 1 and print a diff when the committed file is not what this
           script would write (tests/packaging registers this as a test).
"""
import argparse
import difflib
import os
import re
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def meson_versions(root):
    text = read(os.path.join(root, "meson.build"))
    version = re.search(r"\bversion\s*:\s*'([^']+)'", text)
    abi = re.search(r"^abi_version\s*=\s*'([^']+)'", text, re.M)
    if not version or not abi:
        sys.exit("gen-symbols: cannot read version/abi_version from meson.build")
    return version.group(1), abi.group(1)


def reviewed_symbols(root):
    names = []
    for line in read(os.path.join(root, "tests", "abi", "symbols.txt")).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    if not names:
        sys.exit("gen-symbols: tests/abi/symbols.txt lists no symbol")
    return names


def version_nodes(root):
    """Returns (ordered node names, {explicit symbol: node}, node holding the ik_* glob)."""
    text = re.sub(r"/\*.*?\*/|#[^\n]*", " ", read(os.path.join(root, "src", "invitekit.map")), flags=re.S)
    nodes, explicit, glob_node = [], {}, None
    for m in re.finditer(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\{(.*?)\}\s*[A-Za-z0-9_.]*\s*;", text, re.S):
        name, body = m.group(1), m.group(2)
        nodes.append(name)
        glob = body.split("local:", 1)[0].replace("global:", " ")
        for entry in (e.strip() for e in glob.split(";")):
            if not entry:
                continue
            if "*" in entry or "?" in entry:
                if re.fullmatch(r"ik_\*", entry):
                    glob_node = name
            else:
                explicit[entry] = name
    if not nodes:
        sys.exit("gen-symbols: no version node in src/invitekit.map")
    return nodes, explicit, glob_node


def previous_versions(path, soname):
    """{symbol@node: min version} from the committed file, if it is for the same SONAME."""
    if not os.path.exists(path):
        return {}
    lines = read(path).splitlines()
    if not lines or lines[0].split()[0:1] != [soname]:
        return {}
    out = {}
    for line in lines[1:]:
        if line.startswith(" "):
            parts = line.split()
            if len(parts) >= 2:
                out[parts[0]] = parts[1]
    return out


def render(root, existing_path):
    version, abi = meson_versions(root)
    soname = "libinvitekit.so." + abi
    package = "libinvitekit" + abi
    nodes, explicit, glob_node = version_nodes(root)
    old = previous_versions(existing_path, soname)
    entries = []
    for node in nodes:  # the version node markers dpkg-gensymbols lists too
        entries.append(node + "@" + node)
    for sym in reviewed_symbols(root):
        node = explicit.get(sym, glob_node)
        if node is None:
            sys.exit("gen-symbols: %s matches no version node of src/invitekit.map" % sym)
        entries.append(sym + "@" + node)
    out = ["%s %s #MINVER#" % (soname, package), "* Build-Depends-Package: libinvitekit-dev"]
    for e in sorted(entries):
        out.append(" %s %s" % (e, old.get(e, version)))
    return package, "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--source-root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    a = ap.parse_args()
    root = a.source_root
    _, abi = meson_versions(root)
    path = os.path.join(root, "debian", "libinvitekit%s.symbols" % abi)
    package, text = render(root, path)
    if not a.check:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print("gen-symbols: wrote %s (%d symbols)" % (os.path.relpath(path, root), text.count("\n") - 2))
        return 0
    failures = []
    if not os.path.exists(path):
        failures.append("%s is missing (run debian/gen-symbols.py)" % os.path.relpath(path, root))
    else:
        current = read(path)
        if current != text:
            diff = difflib.unified_diff(current.splitlines(), text.splitlines(), "committed", "from symbols.txt",
                                        lineterm="")
            failures.append("%s disagrees with tests/abi/symbols.txt (run debian/gen-symbols.py):\n%s"
                            % (os.path.relpath(path, root), "\n".join(diff)))
    stale = [f for f in os.listdir(os.path.join(root, "debian"))
             if f.startswith("libinvitekit") and f.endswith(".symbols") and f != os.path.basename(path)]
    if stale:
        failures.append("symbols files for another ABI remain: " + ", ".join(sorted(stale)))
    if not os.path.exists(os.path.join(root, "debian", package + ".install")):
        failures.append("debian/%s.install is missing (abi_version %s)" % (package, abi))
    control = read(os.path.join(root, "debian", "control"))
    if not re.search(r"^Package:\s*%s\s*$" % re.escape(package), control, re.M):
        failures.append("debian/control has no package %s (abi_version %s)" % (package, abi))
    for f in failures:
        print("FAIL: " + f)
    print("debian-symbols: %d passed, %d failed" % (0 if failures else 1, 1 if failures else 0))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
