#!/usr/bin/env python3
"""The version and the ABI version are written in several places; they must agree.

  meson.build        version: 'X.Y.Z' and abi_version = 'X.Y' (also checked at configure time)
  debian/changelog   the top entry, "invitekit (X.Y.Z[-N]) ..."; debian/control names libinvitekitX.Y
  CHANGELOG.md       the top released entry: "## X.Y.Z ...", "## [X.Y.Z] ..." or "## vX.Y.Z";
                     an "Unreleased" entry above it is allowed; "ABI A.B" in its heading is abi_version
                     and a version node INVITEKIT_... it names is in src/invitekit.map
  src/invitekit.map  the first version node is INVITEKIT_<abi_version>; no node is newer than the
                     version or belongs to another ABI
  --version-h FILE   the generated invitekit/version.h: IK_VERSION_STRING, IK_ABI_VERSION
  --lib FILE         the built shared library itself (loaded with ctypes): ik_version_string(),
                     ik_version_number() and ik_abi_version(), and its SONAME libinvitekit.so.<abi>
  bindings/rust      the binding's version is the library's: [workspace.package] version in Cargo.toml,
                     each member's package version (inherited or equal), the version requirement of every
                     path dependency between members (invitekit -> invitekit-sys: "X.Y.Z", "^X.Y.Z" or
                     "=X.Y.Z") and the members' entries in Cargo.lock
  bindings/dotnet    the <Version> (or <PackageVersion>) of every packable project (one with <PackageId>),
                     in the project file or Directory.Build.props
  (bindings/go has no version to check: go.mod carries none, a Go module's version is its git tag)

Usage: check_versions.py SOURCE_ROOT [--version-h FILE] [--lib FILE]
Prints "versions: N passed, M failed, K skipped" (CHANGELOG.md absent: skipped)."""
import argparse
import ctypes
import os
import re
import shutil
import subprocess
import sys

parser = argparse.ArgumentParser(description="versions agree")
parser.add_argument("source", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", ".."))
parser.add_argument("--version-h", help="the generated invitekit/version.h")
parser.add_argument("--lib", help="the built shared library (libinvitekit.so.X.Y.Z)")
cli = parser.parse_args()
source = os.path.abspath(cli.source)
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
        m = re.search(r"\bABI\s+v?(\d+\.\d+)\b", entry)
        if m:
            report(m.group(1) == abi, "CHANGELOG.md top entry names ABI %s == abi_version %s" % (m.group(1), abi))
    elif entry is None:
        report(False, "CHANGELOG.md has no '## X.Y.Z' entry")


def vkey(v):
    return tuple(int(x) for x in v.split("."))


# The linker version script: one node per release that added symbols, starting anew with each ABI.
map_path = os.path.join(source, "src", "invitekit.map")
nodes = re.findall(r"^\s*INVITEKIT_([0-9][0-9.]*)\s*\{", re.sub(r"/\*.*?\*/", "", read(map_path), flags=re.S),
                   re.M) if os.path.exists(map_path) else []
if not nodes:
    report(False, "src/invitekit.map: no INVITEKIT_<version> node")
else:
    report(nodes[0] == abi, "src/invitekit.map first node INVITEKIT_%s == INVITEKIT_%s (abi_version)" % (nodes[0], abi))
    bad = [n for n in nodes if not (n == abi or n.startswith(abi + ".")) or vkey(n) > vkey(version)]
    report(not bad, "src/invitekit.map nodes %s belong to ABI %s and are not newer than %s%s" % (
        ", ".join(nodes), abi, version, (": not " + ", ".join(bad)) if bad else ""))
    if entry is not None:
        named = re.findall(r"\bINVITEKIT_([0-9][0-9.]*[0-9])", entry)
        missing = [n for n in named if n not in nodes]
        if named:
            report(not missing, "CHANGELOG.md top entry's version node(s) %s are in src/invitekit.map" % ", ".join(named))

# The bindings follow the library version (style guide C8.4).
try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

rust = os.path.join(source, "bindings", "rust")
if not os.path.exists(os.path.join(rust, "Cargo.toml")):
    print("skip: bindings/rust/Cargo.toml does not exist")
    skipped += 1
elif tomllib is None:
    print("skip: bindings/rust: Python has no tomllib (3.11 or newer needed to read Cargo.toml)")
    skipped += 1
else:
    def toml(rel):
        with open(os.path.join(rust, rel), "rb") as f:
            return tomllib.load(f)

    workspace = toml("Cargo.toml").get("workspace", {})
    ws_version = workspace.get("package", {}).get("version")
    report(ws_version == version, "bindings/rust/Cargo.toml [workspace.package] version %s == %s" % (ws_version,
                                                                                                        version))
    members = {}  # crate name -> its directory
    for member in workspace.get("members", []):
        rel = os.path.join(member, "Cargo.toml")
        package = toml(rel).get("package", {})
        members[package.get("name")] = os.path.normpath(member)
        v = package.get("version")
        report(v == {"workspace": True} or v == version, "bindings/rust/%s version %s" % (
            rel, "inherited from the workspace" if v == {"workspace": True} else "%s == %s" % (v, version)))
    for member in workspace.get("members", []):
        rel = os.path.join(member, "Cargo.toml")
        manifest = toml(rel)
        tables = [manifest.get(k, {}) for k in ("dependencies", "build-dependencies", "dev-dependencies")]
        for deps in tables:
            for name, spec in deps.items():
                if not isinstance(spec, dict) or "path" not in spec:
                    continue
                target = os.path.normpath(os.path.join(member, spec["path"]))
                if spec.get("package", name) not in members or members[spec.get("package", name)] != target:
                    continue
                req = spec.get("version")
                report(req is not None and re.sub(r"^\s*[=^]\s*", "", req) == version,
                       "bindings/rust/%s requires %s version %r, which must be %s" % (rel, name, req, version))
    lock = os.path.join(rust, "Cargo.lock")
    if os.path.exists(lock):
        with open(lock, "rb") as f:
            locked = {p["name"]: p.get("version") for p in tomllib.load(f).get("package", [])}
        for name in sorted(members):
            report(locked.get(name) == version,
                   "bindings/rust/Cargo.lock %s %s == %s" % (name, locked.get(name), version))

dotnet = os.path.join(source, "bindings", "dotnet")
if os.path.isdir(dotnet):
    version_tag = re.compile(r"<(Version|PackageVersion)>\s*([^<\s]*)\s*</\1>")
    props = os.path.join(dotnet, "Directory.Build.props")
    props_versions = version_tag.findall(open(props, encoding="utf-8").read()) if os.path.exists(props) else []
    projects = []
    for root, dirs, files in os.walk(dotnet):
        dirs[:] = [d for d in dirs if d not in ("bin", "obj")]
        projects += [os.path.join(root, f) for f in files if f.endswith(".csproj")]
    for path in sorted(projects):
        text = open(path, encoding="utf-8").read()
        if "<PackageId>" not in text:
            continue
        rel = os.path.relpath(path, source)
        found = version_tag.findall(text) or props_versions
        report(bool(found) and all(v == version for _, v in found),
               "%s package version %s == %s" % (rel, ", ".join(v for _, v in found) or "(none)", version))

# The generated header, what programs compile against.
if cli.version_h:
    text = open(cli.version_h, encoding="utf-8").read()
    h_version = re.search(r'^#define\s+IK_VERSION_STRING\s+"([^"]*)"', text, re.M)
    h_abi = re.search(r'^#define\s+IK_ABI_VERSION\s+"([^"]*)"', text, re.M)
    report(bool(h_version) and h_version.group(1) == version,
           "version.h IK_VERSION_STRING %s == %s" % (h_version and h_version.group(1), version))
    report(bool(h_abi) and h_abi.group(1) == abi, "version.h IK_ABI_VERSION %s == %s" % (h_abi and h_abi.group(1), abi))

# The built library, what programs load.
if cli.lib:
    try:
        lib = ctypes.CDLL(os.path.abspath(cli.lib))
    except OSError as e:
        print("FAIL: cannot load %s: %s" % (cli.lib, e))
        lib = None
        failed += 1
    if lib is not None:
        lib.ik_version_string.restype = ctypes.c_char_p
        lib.ik_abi_version.restype = ctypes.c_char_p
        lib.ik_version_number.restype = ctypes.c_int32
        l_version = lib.ik_version_string().decode()
        l_abi = lib.ik_abi_version().decode()
        l_number = lib.ik_version_number()
        want_number = int(parts[0]) * 10000 + int(parts[1]) * 100 + int(parts[2])
        report(l_version == version, "the library's ik_version_string() %s == %s" % (l_version, version))
        report(l_number == want_number, "the library's ik_version_number() %d == %d" % (l_number, want_number))
        report(l_abi == abi, "the library's ik_abi_version() %s == %s" % (l_abi, abi))
    if shutil.which("objdump"):
        dyn = subprocess.run(["objdump", "-p", cli.lib], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True).stdout
        m = re.search(r"^\s*SONAME\s+(\S+)", dyn, re.M)
        report(bool(m) and m.group(1) == "libinvitekit.so." + abi,
               "the library's SONAME %s == libinvitekit.so.%s" % (m and m.group(1), abi))
    else:
        print("skip: objdump is absent, SONAME not read")
        skipped += 1

print("versions: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
sys.exit(1 if failed else 0)
