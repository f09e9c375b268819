#!/usr/bin/env bash
# Runs every test suite (Meson: unit, providers, resilience, abi, emulator, cli,
# examples, conformance) on a fresh Debian 12 machine and ends with one line
# "N passed, N failed, N skipped" that counts every test case.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}

scripts/install-deps.sh || exit 1
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" >/dev/null || exit 1
else
  meson setup "$build" >/dev/null || exit 1
fi
meson compile -C "$build" || exit 1

status=0
meson test -C "$build" --print-errorlogs --num-processes 2 "$@" || status=$?
python3 scripts/test-summary.py "$build/meson-logs/testlog.json" || status=1
exit $status
