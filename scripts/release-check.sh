#!/usr/bin/env bash
# Release check (issue #20): makes the release tarball with `meson dist` and
# proves it is complete. meson dist archives the committed tree (HEAD; it
# refuses a work tree with uncommitted changes unless --allow-dirty is given,
# and even then archives HEAD), unpacks the tarball, configures it with this
# build directory's options, builds it, runs every test suite from it
# (`ninja test`: all Meson suites, the Debian package build included) and
# installs it into a scratch DESTDIR.
#
# The unpacked tarball has no ../shared beside it, so the build directory is
# configured with -Dshared_dir pointing at this checkout's ../shared (or
# $INVITEKIT_SHARED_DIR): meson dist passes the option on, and the fixtures
# and conformance suites run against the same files as a normal build. The
# versions test (suite packaging) checks that meson.build, CHANGELOG.md,
# debian/changelog, src/invitekit.map and the built library agree.
#
# Usage: scripts/release-check.sh [meson dist arguments, e.g. --allow-dirty]
#   RELEASE_BUILD_DIR   build directory (default: build-release)
#   INVITEKIT_SHARED_DIR  the shared/ folder (default: ../shared)
# Prints the tarball, its size and sha256, the time taken and the tests'
# counts, and ends with "release-check: ok" or "release-check: FAILED".
# Takes about as long as a full build plus the Meson suites (see README,
# "Release"); not part of scripts/test.sh, run it before tagging a release.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${RELEASE_BUILD_DIR:-build-release}
shared=${INVITEKIT_SHARED_DIR:-$(cd .. && pwd -P)/shared}

opts=(-Dshared_dir="$shared")
if [ ! -d "$shared" ]; then
  echo "release-check: $shared does not exist; the fixtures and conformance suites will skip"
fi
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" "${opts[@]}" >/dev/null || exit 1
else
  meson setup "$build" "${opts[@]}" >/dev/null || exit 1
fi
mkdir -p "$build/meson-logs"
log="$build/meson-logs/release-check.log"
version=$(meson introspect --projectinfo "$build" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
tarball="$build/meson-dist/invitekit-$version.tar.xz"
rm -f "$tarball" "$tarball.sha256sum"

start=$(date +%s)
meson dist -C "$build" --formats xztar "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
elapsed=$(($(date +%s) - start))

# The summary of `meson test` in the unpacked tarball's build ("Ok: N" ...).
count() { sed -n "s/^$1:[[:space:]]*\([0-9][0-9]*\)[[:space:]]*$/\1/p" "$log" | tail -1; }
ok=$(count Ok) fail=$(count Fail) skipped=$(count Skipped) timeout=$(count Timeout)
echo
echo "release-check: meson dist exited $rc after ${elapsed} s (log: $log)"
if [ -f "$tarball" ]; then
  echo "release-check: $tarball, $(stat -c %s "$tarball") bytes, $(cut -d' ' -f1 "$tarball.sha256sum" 2>/dev/null)"
fi
echo "release-check: tests from the unpacked tarball: ${ok:-?} ok, ${fail:-?} failed, ${skipped:-?} skipped, ${timeout:-?} timed out"
case " $* " in
  *" --no-tests "*) tested=0 ;;
  *) tested=1 ;;
esac
if [ "$rc" -eq 0 ] && [ -f "$tarball" ] && [ $tested -eq 0 ]; then
  echo "release-check: tarball made; NOT tested (--no-tests)"
  exit 0
fi
if [ "$rc" -eq 0 ] && [ -f "$tarball" ] && [ "${ok:-0}" -gt 0 ] && [ "${fail:-1}" -eq 0 ] && [ "${timeout:-1}" -eq 0 ]; then
  echo "release-check: ok"
  exit 0
fi
echo "release-check: FAILED"
exit 1
