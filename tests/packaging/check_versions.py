#!/usr/bin/env python3
"""The version is written in four places; they must agree.

  meson.build        version: 'X.Y.Z' and abi_version = 'X.Y' (also checked at configure time)
  debian/changelog   the top entry, "invitekit (X.Y.Z[-N]) ..."; debian/control names libinvitekitX.Y
  CHANGELOG.md       the top released entry: "## X.Y.Z ...", "## [X.Y.Z] ..." or "## vX.Y.Z";
                     an "Unreleased" entry above it is allowed

Prints "versions: N passed, M failed, K skipped" (CHANGELOG.md absent: skipped)."""
import os
import re
import sys

source = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
passed = failed = skipped = 0


def report(ok, what):
    global passed, failed
    print(("ok: " if ok else "FAIL: ") + what)
    if ok:
        passed += 1
    else:
        failed += 1


def read(rel):
    with open(os.path.join(source, rel), encoding="utf-8") as f:
        return f.read()


meson = read("meson.build")
m_version = re.search(r"^project\([^)]*?\bversion\s*:\s*'([^']+)'", meson, re.S | re.M)
m_abi = re.search(r"^abi_version\s*=\s*'([^']+)'", meson, re.M)
if not m_version or not m_abi:
    print("FAIL: cannot read version and abi_version from meson.build")
    print("versions: 0 passed, 1 failed")
    sys.exit(1)
version, abi = m_version.group(1), m_abi.group(1)
parts = version.split(".")
print("meson.build: version %s, abi_version %s" % (version, abi))

# abi_version: major.minor below 1.0 (every minor may break), major.0 above (docs/DESIGN.md).
want_abi = "%s.%s" % (parts[0], parts[1]) if parts[0] == "0" else parts[0]
report(len(parts) == 3 and all(p.isdigit() for p in parts), "project version %s is X.Y.Z" % version)
report(abi in (want_abi, parts[0] + ".0"), "abi_version %s matches version %s" % (abi, version))

changelog = read(os.path.join("debian", "changelog"))
top = re.match(r"^(\S+) \(([^)]+)\) ", changelog)
if not top:
    report(False, "debian/changelog: cannot read its top entry")
else:
    deb_version = top.group(2)
    upstream = re.sub(r"^\d+:", "", deb_version)
    upstream = re.sub(r"-[^-]+$", "", upstream) if "-" in upstream else upstream
    report(top.group(1) == "invitekit", "debian/changelog source package is %s" % top.group(1))
    report(upstream == version, "debian/changelog top version %s (upstream %s) == %s" % (deb_version, upstream,
                                                                                          version))
control = read(os.path.join("debian", "control"))
libs = re.findall(r"^Package:\s*(libinvitekit[0-9][^\s]*)\s*$", control, re.M)
report(libs == ["libinvitekit" + abi], "debian/control runtime package %s == libinvitekit%s" % (libs, abi))

path = os.path.join(source, "CHANGELOG.md")
if not os.path.exists(path):
    print("skip: CHANGELOG.md does not exist")
    skipped += 1
else:
    heading = re.compile(r"^##\s+\[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?(?:\s|$)")
    found, entry = None, None
    for line in read("CHANGELOG.md").splitlines():
        if not line.startswith("## "):
            continue
        if re.match(r"^##\s+\[?unreleased\]?", line, re.I):
            continue
        entry = line
        found = heading.match(line)
        if not found:
            report(False, "CHANGELOG.md: the top entry has no version: %r" % line)
        break
    if found:
        report(found.group(1) == version, "CHANGELOG.md top entry %s == %s" % (found.group(1), version))
    elif entry is None:
        report(False, "CHANGELOG.md has no '## X.Y.Z' entry")

print("versions: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed else 0)
