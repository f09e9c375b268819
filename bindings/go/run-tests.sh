#!/usr/bin/env bash
# Runs the Go binding's checks: go vet; every test built with -race and run
# with GODEBUG=cgocheck=2 (Go 1.19: cgocheck=2 is a run-time setting and works
# in a -race binary, so one pass gives both checks); then, without -race (and
# with cgocheck=2), the tests whose checks only mean something without the race
# detector (NORACE_TESTS: VmRSS flatness; under -race they run fewer rounds and
# skip the RSS check). Usage: run-tests.sh [SOURCE_DIR]  (default: this script's
# directory). Last, the static build tag: the test binary built with
# -tags invitekit_static must have no NEEDED entry for libinvitekit (readelf -d)
# and run STATIC_TESTS against the emulator without the build tree on
# LD_LIBRARY_PATH. Meson (bindings/go/meson.build) sets PKG_CONFIG_PATH,
# LD_LIBRARY_PATH, INVITEKIT_EMULATOR and INVITEKIT_GO_BUILD_DIR; run by hand,
# set them yourself (see README.md), or set BUILD=<meson build dir> to take
# them from that build tree (only read: Go's caches stay in $TMPDIR unless
# INVITEKIT_GO_BUILD_DIR says otherwise). Exit 77 = skipped (no Go toolchain).
set -u
if [ -n "${BUILD:-}" ]; then
  build=$(cd "$BUILD" && pwd) || { echo "BUILD=$BUILD: no such directory"; exit 1; }
  export PKG_CONFIG_PATH="${PKG_CONFIG_PATH:-$build/meson-uninstalled}"
  export LD_LIBRARY_PATH="$build/src${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  if [ -z "${INVITEKIT_EMULATOR:-}" ] && [ -x "$build/src/emulator/invitekit-emulator" ]; then
    export INVITEKIT_EMULATOR="$build/src/emulator/invitekit-emulator"
  fi
fi
if ! command -v go >/dev/null 2>&1; then
  echo "SKIP: the Go toolchain ('go') is not installed; install golang-go to test bindings/go"
  exit 77
fi
if ! command -v pkg-config >/dev/null 2>&1; then
  echo "SKIP: pkg-config is not installed (cgo finds libinvitekit with it)"
  exit 77
fi
# The tests that check something only without -race (they use raceEnabled);
# TestRaceGatedTestsRunWithoutRace keeps this list complete.
NORACE_TESTS='^(TestMillionObjectsRSSFlat|TestAsyncHandlesReleasedRSSFlat)$'
# Run by the binary linked with -tags invitekit_static: the library's versions,
# calls, pages and iterators against the emulator.
STATIC_TESTS='^(TestLibraryVersions|TestOpenAIInvites|TestIteratorItemsOutliveThePager|TestPageRecordsGrowthHugeItemsAndRetention)$'
src=${1:-$(cd "$(dirname "$0")" && pwd)}
work=${INVITEKIT_GO_BUILD_DIR:-${TMPDIR:-/tmp}/invitekit-go-$(id -u)}
mkdir -p "$work"
export GOCACHE="$work/gocache" GOPATH="$work/gopath" GOTMPDIR=""
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GO111MODULE=on CGO_ENABLED=1 GOSUMDB=off
cd "$src" || exit 1
echo "== go version: $(go version)"
echo "== pkg-config invitekit: $(pkg-config --modversion invitekit 2>&1) (PKG_CONFIG_PATH=${PKG_CONFIG_PATH:-})"
echo "== INVITEKIT_EMULATOR=${INVITEKIT_EMULATOR:-<unset: emulator tests skip>}"
rc=0
# Each step's wall time is printed ("(N s)"): the suite is one of the longest of a CI run.
SECONDS=0
step_end() { echo "   ($SECONDS s)"; SECONDS=0; }
echo "== go vet ./..."
go vet ./... || rc=1
step_end
echo "== GODEBUG=cgocheck=2 go test -race -count=1 -v ./..."
GODEBUG=cgocheck=2 go test -race -count=1 -v -timeout 600s ./... || rc=1
step_end
echo "== GODEBUG=cgocheck=2 go test -count=1 -v -run '$NORACE_TESTS' ./...  (without -race)"
GODEBUG=cgocheck=2 go test -count=1 -v -timeout 600s -run "$NORACE_TESTS" ./... || rc=1
step_end
echo "== go test -tags invitekit_static -c (libinvitekit.a; libcurl, simdjson, libstdc++ dynamic)"
static_bin="$work/invitekit-static.test"
rm -f "$static_bin"
if ! command -v readelf >/dev/null 2>&1; then
  echo "FAIL: readelf (binutils) is needed to check the static build"; rc=1
elif ! go test -tags invitekit_static -c -o "$static_bin" .; then
  echo "FAIL: the static build"; rc=1
else
  needed=$(readelf -d "$static_bin" | grep '(NEEDED)')
  echo "$needed"
  if echo "$needed" | grep -q 'libinvitekit'; then
    echo "FAIL: $static_bin has a NEEDED entry for libinvitekit"; rc=1
  elif ! echo "$needed" | grep -q 'libcurl'; then
    echo "FAIL: $static_bin does not link libcurl dynamically"; rc=1
  else
    # Without the build tree on LD_LIBRARY_PATH: nothing may load libinvitekit.so.
    out=$(env -u LD_LIBRARY_PATH GODEBUG=cgocheck=2 "$static_bin" -test.count=1 -test.v -test.run "$STATIC_TESTS" 2>&1)
    st=$?
    echo "$out" | grep -E '^(=== RUN|--- |PASS|FAIL|ok)' || true
    npass=$(echo "$out" | grep -c '^--- PASS')
    if [ $st -ne 0 ] || [ "$npass" -ne 4 ]; then
      echo "$out" | tail -20
      echo "FAIL: the static test binary (exit $st, $npass of 4 tests passed; INVITEKIT_EMULATOR must be set)"; rc=1
    fi
  fi
fi
step_end
if [ $rc -eq 0 ]; then echo "== Go binding: all checks passed"; else echo "== Go binding: FAILED"; fi
exit $rc
