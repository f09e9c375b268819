#!/usr/bin/env python3
"""Builds the Debian packages from a clean copy of the source and uses them the
way a user of the packages would.

1. Exports the source (`git ls-files`, or the whole tree of an unpacked
   `meson dist` tarball) into a scratch directory, so the repository stays clean.
2. `dpkg-buildpackage -us -uc -b` there (tests disabled, see debian/rules; built with
   DEB_BUILD_OPTIONS="nocheck noopt parallel=2" unless INVITEKIT_DEB_BUILD_OPTIONS says otherwise).
3. `lintian` on the result: no error allowed (warnings are printed).
4. `dpkg -c`: each package holds what it should and nothing of the others.
5. `dpkg -x` of the three packages into a scratch root, then a C program built
   with nothing but `pkg-config --cflags --libs invitekit` (PKG_CONFIG_PATH and
   PKG_CONFIG_SYSROOT_DIR pointing into that root) and run with LD_LIBRARY_PATH:
   it must report the version and ABI of meson.build, from the unpacked library.
6. The unpacked `invitekit --version` and `invitekit-emulator --help`.

Exits 77 (skipped) when dpkg-buildpackage, debhelper or lintian are absent or a
build dependency is missing. Prints "debian: N passed, M failed" at the end.
Usage: check_debian.py SOURCE_ROOT"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
BUILD_TIMEOUT = 1500  # seconds for dpkg-buildpackage (a cold build on 2 busy cores)

PROGRAM = r'''
#include <invitekit/invitekit.h>
#include <stdio.h>
#include <string.h>
int main(void) {
  printf("%s %s\n", ik_version_string(), ik_abi_version());
  if (strcmp(ik_abi_version(), IK_ABI_VERSION) != 0 || strcmp(ik_version_string(), IK_VERSION_STRING) != 0) {
    fprintf(stderr, "header/library mismatch: headers %s (ABI %s)\n", IK_VERSION_STRING, IK_ABI_VERSION);
    return 2;
  }
  return 0;
}
'''


def run(cmd, timeout=300, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout, **kw)


def must(cmd, timeout=300, **kw):
    r = run(cmd, timeout=timeout, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s" % (" ".join(cmd), r.returncode, r.stdout[-6000:]))
    return r.stdout


def meson_versions(source):
    text = open(os.path.join(source, "meson.build"), encoding="utf-8").read()
    return (re.search(r"\bversion\s*:\s*'([^']+)'", text).group(1),
            re.search(r"^abi_version\s*=\s*'([^']+)'", text, re.M).group(1))


def export_source(source, dest):
    """Copies the tracked files (git) or, without git metadata, the whole tree."""
    os.makedirs(dest)
    files = None
    if shutil.which("git") and os.path.exists(os.path.join(source, ".git")):
        r = subprocess.run(["git", "-C", source, "ls-files", "-z"], stdout=subprocess.PIPE, timeout=60)
        if r.returncode == 0:
            files = [f for f in r.stdout.decode().split("\0") if f]
    if files is None:
        files = []
        for root, dirs, names in os.walk(source):
            dirs[:] = [d for d in dirs if d != ".git" and not os.path.exists(os.path.join(root, d, "meson-private"))]
            files += [os.path.relpath(os.path.join(root, n), source) for n in names]
    for f in files:
        src = os.path.join(source, f)
        if not os.path.lexists(src):  # deleted in the work tree, not yet committed
            continue
        dst = os.path.join(dest, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)
    return len(files)


def skip_reason(source):
    for tool, pkg in (("dpkg-buildpackage", "dpkg-dev"), ("dh", "debhelper"), ("lintian", "lintian"),
                      ("dpkg-deb", "dpkg"), ("pkg-config", "pkg-config"), ("cc", "gcc")):
        if not shutil.which(tool):
            return "%s is absent (Debian package %s)" % (tool, pkg)
    r = run(["dpkg-checkbuilddeps"], cwd=source, timeout=60)
    if r.returncode != 0:
        return "build dependencies are missing: " + r.stdout.strip()
    return None


# What each package must hold (regexes over `dpkg -c` paths), and must not.
def expectations(version, abi, multiarch):
    lib = "usr/lib/%s/" % re.escape(multiarch)
    return {
        "libinvitekit" + abi: {
            "must": [lib + r"libinvitekit\.so\.%s$" % re.escape(abi),
                     lib + r"libinvitekit\.so\.%s$" % re.escape(version)],
            "only": [lib + r"libinvitekit\.so\.", r"usr/share/doc/libinvitekit%s/" % re.escape(abi),
                     r"usr/share/lintian/overrides/"],
        },
        "libinvitekit-dev": {
            "must": [r"usr/include/invitekit/invitekit\.h$", r"usr/include/invitekit/version\.h$",
                     r"usr/include/invitekit/common\.h$", lib + r"libinvitekit\.a$", lib + r"libinvitekit\.so$",
                     lib + r"pkgconfig/invitekit\.pc$"],
            "only": [r"usr/include/invitekit/", lib + r"libinvitekit\.(a|so)$", lib + r"pkgconfig/invitekit\.pc$",
                     r"usr/share/doc/libinvitekit-dev/"],
        },
        "invitekit": {
            "must": [r"usr/bin/invitekit$", r"usr/bin/invitekit-emulator$", r"usr/share/man/man1/invitekit\.1\.gz$",
                     r"usr/share/man/man1/invitekit-emulator\.1\.gz$",
                     r"usr/share/bash-completion/completions/invitekit$",
                     r"usr/share/zsh/vendor-completions/_invitekit$"],
            "only": [r"usr/bin/invitekit(-emulator)?$", r"usr/share/man/man1/invitekit(-emulator)?\.1\.gz$",
                     r"usr/share/bash-completion/completions/invitekit$",
                     r"usr/share/zsh/vendor-completions/_invitekit$", r"usr/share/doc/invitekit/"],
        },
    }


def deb_paths(deb):
    out = must(["dpkg-deb", "-c", deb])
    paths = []
    for line in out.splitlines():
        name = line.split(None, 5)[-1].split(" -> ")[0]
        name = name[2:] if name.startswith("./") else name
        if name and not name.endswith("/"):
            paths.append(name)
    return out, paths


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(source, "debian", "control")):
        print("SKIP: no debian/ directory in " + source)
        return SKIP
    reason = skip_reason(source)
    if reason:
        print("SKIP: cannot build Debian packages here: " + reason)
        return SKIP
    version, abi = meson_versions(source)
    multiarch = must(["dpkg-architecture", "-qDEB_HOST_MULTIARCH"]).strip()
    results = []

    def check(name, fn):
        try:
            detail = fn()
            print("ok: %s%s" % (name, (": " + detail) if detail else ""))
            results.append(True)
        except Exception as e:  # report and go on with the next check
            print("FAIL: %s: %s" % (name, e))
            results.append(False)

    work = tempfile.mkdtemp(prefix="ik-debian-")
    try:
        src = os.path.join(work, "invitekit-" + version)
        n = export_source(source, src)
        # noopt (-O0) roughly halves the compile time of this check; the layout, the
        # metadata, the symbols and lintian do not depend on it. The release build
        # (README: dpkg-buildpackage -us -uc -b) is optimised; set
        # INVITEKIT_DEB_BUILD_OPTIONS="nocheck parallel=2" to check that one.
        opts = os.environ.get("INVITEKIT_DEB_BUILD_OPTIONS", "nocheck noopt parallel=2")
        env = dict(os.environ, DEB_BUILD_OPTIONS=opts, LC_ALL="C.UTF-8")
        for var in ("MAKEFLAGS", "MFLAGS", "DESTDIR", "MESON_TESTTHREADS"):
            env.pop(var, None)
        t0 = time.monotonic()
        r = run(["dpkg-buildpackage", "-us", "-uc", "-b", "-j2"], cwd=src, env=env, timeout=BUILD_TIMEOUT)
        elapsed = time.monotonic() - t0
        if r.returncode != 0:
            print(r.stdout[-8000:])
            print("FAIL: dpkg-buildpackage -us -uc -b failed (%d) after %.0f s" % (r.returncode, elapsed))
            print("debian: 0 passed, 1 failed")
            return 1
        print("ok: dpkg-buildpackage -us -uc -b (DEB_BUILD_OPTIONS=%s; %d files exported, %.0f s)" % (opts, n, elapsed))
        results.append(True)
        debs = {}
        for f in os.listdir(work):
            m = re.match(r"^([a-z0-9.+-]+)_[^_]+_[^_]+\.deb$", f)
            if m:
                debs[m.group(1)] = os.path.join(work, f)
        changes = [os.path.join(work, f) for f in os.listdir(work) if f.endswith(".changes")]

        def lintian():
            r = run(["lintian", "--fail-on", "error", "--no-tag-display-limit"] + changes, timeout=600)
            tags = [l for l in r.stdout.splitlines() if re.match(r"^[EWIPX]: ", l)]
            for l in tags:
                print("  lintian " + l)
            errors = [l for l in tags if l.startswith("E: ")]
            if r.returncode != 0 or errors:
                raise RuntimeError("lintian reports %d error(s) (exit %d)%s" % (
                    len(errors), r.returncode, "" if tags else ":\n" + r.stdout[-3000:]))
            return "no error, %d warning(s)" % sum(1 for l in tags if l.startswith("W: "))
        check("lintian", lintian)

        exp = expectations(version, abi, multiarch)

        def contents(pkg):
            def fn():
                if pkg not in debs:
                    raise RuntimeError("no %s package among %s" % (pkg, sorted(debs)))
                listing, paths = deb_paths(debs[pkg])
                print("  dpkg -c %s:" % os.path.basename(debs[pkg]))
                for line in listing.splitlines():
                    print("    " + line)
                missing = [m for m in exp[pkg]["must"] if not any(re.match(m, p) for p in paths)]
                stray = [p for p in paths if not any(re.match(o, p) for o in exp[pkg]["only"])]
                if missing or stray:
                    raise RuntimeError("missing %s; unexpected %s" % (missing, stray))
                return "%d files" % len(paths)
            return fn
        for pkg in exp:
            check("contents of " + pkg, contents(pkg))

        if set(exp) - set(debs):
            raise RuntimeError("packages missing, cannot go on: %s" % sorted(set(exp) - set(debs)))
        root = os.path.join(work, "root")
        for pkg in exp:
            must(["dpkg", "-x", debs[pkg], root])
        libdir = os.path.join(root, "usr", "lib", multiarch)

        def symbols():
            shipped = must(["dpkg-deb", "--info", debs["libinvitekit" + abi], "symbols"])
            committed = open(os.path.join(source, "debian", "libinvitekit%s.symbols" % abi), encoding="utf-8").read()
            strip = lambda t: [l for l in t.splitlines() if l.strip() and not l.startswith("#")]
            if strip(shipped) != strip(committed):
                raise RuntimeError("the symbols file in the package differs from debian/libinvitekit%s.symbols" % abi)
            soname = must(["objdump", "-p", os.path.join(libdir, "libinvitekit.so." + version)])
            if not re.search(r"SONAME\s+libinvitekit\.so\.%s\s*$" % re.escape(abi), soname, re.M):
                raise RuntimeError("SONAME is not libinvitekit.so." + abi)
            return "%d symbols, SONAME libinvitekit.so.%s" % (len(strip(committed)) - 2, abi)
        check("symbols and SONAME", symbols)

        def pkg_config_program():
            pc_env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"), PKG_CONFIG_SYSROOT_DIR=root)
            pc_env.pop("PKG_CONFIG_LIBDIR", None)
            flags = must(["pkg-config", "--cflags", "--libs", "invitekit"], env=pc_env).split()
            if not any(f.startswith("-I" + root) for f in flags) or not any(f.startswith("-L" + root) for f in flags):
                raise RuntimeError("pkg-config flags do not point into the unpacked tree: %s" % flags)
            app_c, app = os.path.join(work, "app.c"), os.path.join(work, "app")
            with open(app_c, "w") as f:
                f.write(PROGRAM)
            must(["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", app_c, "-o", app] + flags)
            run_env = dict(os.environ, LD_LIBRARY_PATH=libdir)
            out = must([app], env=run_env).strip()
            if out != "%s %s" % (version, abi):
                raise RuntimeError("the program printed %r, expected %r" % (out, "%s %s" % (version, abi)))
            ldd = must(["ldd", app], env=run_env)
            line = next((l for l in ldd.splitlines() if "libinvitekit" in l), "")
            if root not in line:
                raise RuntimeError("libinvitekit is not loaded from the unpacked package: " + line.strip())
            return "%s (flags: %s)" % (out, " ".join(flags))
        check("C program built with pkg-config only", pkg_config_program)

        def cli():
            run_env = dict(os.environ, LD_LIBRARY_PATH=libdir)
            out = must([os.path.join(root, "usr", "bin", "invitekit"), "--version"], env=run_env, timeout=30)
            first = out.splitlines()[0] if out else ""
            if first != "invitekit " + version or ("(ABI %s)" % abi) not in out:
                raise RuntimeError("invitekit --version printed:\n" + out)
            help_out = must([os.path.join(root, "usr", "bin", "invitekit-emulator"), "--help"], timeout=30)
            if not help_out.startswith("Usage: invitekit-emulator"):
                raise RuntimeError("invitekit-emulator --help printed:\n" + help_out[:500])
            return first
        check("installed invitekit --version, invitekit-emulator --help", cli)
    except subprocess.TimeoutExpired as e:
        print("FAIL: timed out: %s" % e)
        results.append(False)
    except Exception as e:
        print("FAIL: %s" % e)
        results.append(False)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    passed, failed = results.count(True), results.count(False)
    print("debian: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
