#!/usr/bin/env python3
"""Packaging checks, each building a small C program the way a user would:

1. uninstalled: pkg-config with <build>/meson-uninstalled (invitekit-uninstalled.pc)
2. installed:   `meson install --destdir` into a scratch directory, then
                `pkg-config --cflags --libs invitekit` with --define-prefix
3. subproject:  a scratch Meson project with invitekit in subprojects/, using
                dependency('invitekit') (meson.override_dependency)

Each program calls the library, checks that header and library versions
agree and uses functions that only ABI 0.2 has (a program built against
another ABI does not link). The installed check also finds the library under
its SONAME, libinvitekit.so.0.<minor> from IK_ABI_VERSION.
Prints "packaging: N passed, M failed"."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

PROGRAM = r'''
#include <invitekit/invitekit.h>
#include <stdio.h>
#include <string.h>
int main(void) {
  ik_client *c = NULL;
  ik_error *e = NULL;
  ik_client_options o = IK_CLIENT_OPTIONS_INIT;
  o.flags = IK_CLIENT_IGNORE_ENV;
  ik_openai_invite_create_params p = IK_OPENAI_INVITE_CREATE_PARAMS_INIT;
  int64_t ms = 0;
  if (strcmp(ik_abi_version(), IK_ABI_VERSION) != 0 || ik_version_number() != IK_VERSION_NUMBER) return 2;
  if (ik_client_new(&o, &c, &e) != IK_STATUS_OK) return 3;
  /* ABI 0.2: optional booleans, uniform deletions, kind-generic page items */
  p.send_projects = IK_OPTBOOL_TRUE;
  if (p.send_projects != 1 || IK_OPTBOOL_UNSET != 0 || IK_OPTBOOL_FALSE != 2) return 4;
  if (ik_openai_invite_create_params_version() != IK_OPENAI_INVITE_CREATE_PARAMS_VERSION) return 5;
  if (ik_page_item_id(NULL, 0) != NULL || ik_page_item_raw_json(NULL, 0, NULL, NULL) != 0) return 6;
  if (ik_deletion_kind(NULL) != IK_KIND_NONE || ik_error_retry_after_ms(NULL, &ms) != 0) return 7;
  ik_deletion_free(NULL);
  ik_client_free(c);
  printf("invitekit %s ABI %s\n", ik_version_string(), ik_abi_version());
  return 0;
}
'''


def run(cmd, env=None, cwd=None):
    r = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=600)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s" % (" ".join(cmd), r.returncode, r.stdout[-4000:]))
    return r.stdout.strip()


def build_and_run(work, cflags_libs, libdir):
    src = os.path.join(work, "app.c")
    exe = os.path.join(work, "app")
    with open(src, "w") as f:
        f.write(PROGRAM)
    run(["cc", "-std=c99", "-Wall", "-Werror", "-pedantic", src, "-o", exe] + cflags_libs.split())
    env = dict(os.environ, LD_LIBRARY_PATH=libdir)
    out = run([exe], env=env)
    if not out.startswith("invitekit "):
        raise RuntimeError("unexpected output: " + out)


def check_uninstalled(build, work):
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(build, "meson-uninstalled"))
    flags = run(["pkg-config", "--cflags", "--libs", "invitekit-uninstalled"], env=env)
    build_and_run(work, flags, os.path.join(build, "src"))


def check_installed(build, work):
    dest = os.path.join(work, "dest")
    run(["meson", "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", dest])
    pcs = [os.path.join(root, f) for root, _, files in os.walk(dest) for f in files if f == "invitekit.pc"]
    if len(pcs) != 1:
        raise RuntimeError("expected one installed invitekit.pc, found %r" % pcs)
    pcdir = os.path.dirname(pcs[0])
    env = dict(os.environ, PKG_CONFIG_PATH=pcdir)
    prefix = run(["pkg-config", "--variable=prefix", "invitekit"], env=env)
    flags = run(["pkg-config", "--define-variable=prefix=" + dest + prefix, "--cflags", "--libs", "invitekit"],
                env=env)
    libdir = os.path.dirname(pcdir)
    version_h = [os.path.join(r, "version.h") for r, _, fs in os.walk(dest)
                 if "version.h" in fs and r.endswith("invitekit")]
    m = re.search(r'#define\s+IK_ABI_VERSION\s+"([0-9.]+)"', open(version_h[0]).read()) if version_h else None
    if not m:
        raise RuntimeError("no IK_ABI_VERSION in the installed invitekit/version.h")
    soname = "libinvitekit.so." + m.group(1)
    if not os.path.exists(os.path.join(libdir, soname)):
        raise RuntimeError("%s not installed in %s (found %r)" % (
            soname, libdir, sorted(f for f in os.listdir(libdir) if f.startswith("libinvitekit"))))
    for header in ("invitekit.h", "version.h", "common.h"):
        found = [r for r, _, fs in os.walk(dest) if header in fs and r.endswith("invitekit")]
        if not found:
            raise RuntimeError("installed headers lack invitekit/" + header)
    build_and_run(work, flags, libdir)


def check_subproject(source, work):
    proj = os.path.join(work, "user-project")
    os.makedirs(os.path.join(proj, "subprojects"))
    os.symlink(source, os.path.join(proj, "subprojects", "invitekit"))
    with open(os.path.join(proj, "app.c"), "w") as f:
        f.write(PROGRAM)
    with open(os.path.join(proj, "meson.build"), "w") as f:
        f.write("project('user-project', 'c', default_options: ['c_std=c99'])\n"
                "subproject('invitekit', default_options: ['tests=false', 'cli=false', 'emulator=false',\n"
                "  'examples=false', 'bench=false', 'conformance=disabled', 'default_library=shared'])\n"
                "executable('app', 'app.c', dependencies: dependency('invitekit'))\n")
    bdir = os.path.join(proj, "build")
    # No optimisation: this checks how a user project finds the library, not
    # the code (the library at -O2 is built and tested elsewhere). Without the
    # precompiled header (b_pch=false), so that every source file is shown to
    # include what it uses.
    run(["meson", "setup", bdir, "-Doptimization=0", "-Ddebug=false", "-Db_pch=false"], cwd=proj)
    run(["ninja", "-C", bdir])
    libdir = os.path.join(bdir, "subprojects", "invitekit", "src")
    out = run([os.path.join(bdir, "app")], env=dict(os.environ, LD_LIBRARY_PATH=libdir))
    if not out.startswith("invitekit "):
        raise RuntimeError("unexpected output: " + out)


def main():
    build, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    passed = failed = 0
    for name, fn, args in (("uninstalled pkg-config", check_uninstalled, (build,)),
                           ("installed pkg-config", check_installed, (build,)),
                           ("meson subproject", check_subproject, (source,))):
        work = tempfile.mkdtemp(prefix="ik-packaging-")
        try:
            fn(*args, work)
            print("ok: " + name)
            passed += 1
        except Exception as e:  # report and go on with the next check
            print("FAIL: %s: %s" % (name, e))
            failed += 1
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print("packaging: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
