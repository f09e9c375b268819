#!/usr/bin/env bash
# Runs every test suite (Meson: unit, providers, resilience, observability, abi,
# emulator, cli, examples, conformance; then unit/providers/resilience/
# observability again under ASan+UBSan and TSan; then the libFuzzer harnesses, scripts/fuzz.sh) on a fresh Debian 12 machine and ends with one line
# "N passed, N failed, N skipped" that counts every test case.
# Extra arguments are passed to `meson test` (and skip the sanitizer builds).
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
extra=()
# The sanitizer and fuzz builds compile in the background, at the lowest
# priority, while the main suites run (most of them are serial and leave a core
# idle); their test phases below then find them built. Their output goes to a
# log: a failed build is reported again, and counted, by the phase that runs it.
prebuild_pid=""
if [ $# -eq 0 ] && { [ "${INVITEKIT_SANITIZERS:-1}" != 0 ] || [ "${INVITEKIT_FUZZ:-1}" != 0 ]; }; then
  mkdir -p "$build/meson-logs"
  (
    [ "${INVITEKIT_SANITIZERS:-1}" != 0 ] && SANITIZERS_PHASE=build nice -n 19 scripts/sanitizers.sh "$build"
    [ "${INVITEKIT_FUZZ:-1}" != 0 ] && FUZZ_PHASE=build FUZZ_BUILD_DIR="$build-fuzz" nice -n 19 scripts/fuzz.sh
    exit 0
  ) > "$build/meson-logs/prebuild.log" 2>&1 &
  prebuild_pid=$!
fi
meson test -C "$build" --print-errorlogs --num-processes 2 "$@" || status=$?
[ -n "$prebuild_pid" ] && wait "$prebuild_pid"
logs=("$build/meson-logs/testlog.json")

# The same library suites under ASan+UBSan and TSan (skip with INVITEKIT_SANITIZERS=0).
if [ "${INVITEKIT_SANITIZERS:-1}" != 0 ] && [ $# -eq 0 ]; then
  scripts/sanitizers.sh "$build" || status=1
  for s in asan tsan; do
    [ -f "$build-$s/meson-logs/testlog.json" ] && logs+=("$build-$s/meson-logs/testlog.json")
  done
fi
# libFuzzer harnesses (tests/fuzz): replay the committed regressions and fuzz
# each harness briefly (10 s each by default; skip with INVITEKIT_FUZZ=0).
if [ "${INVITEKIT_FUZZ:-1}" != 0 ] && [ $# -eq 0 ]; then
  mkdir -p "$build/meson-logs"
  FUZZ_BUILD_DIR="$build-fuzz" scripts/fuzz.sh "${INVITEKIT_FUZZ_SECONDS:-10}" > "$build/meson-logs/fuzz.log" 2>&1 || status=1
  grep -E '^fuzz_|^fuzz:' "$build/meson-logs/fuzz.log"
  extra+=("--count-file=$build/meson-logs/fuzz.log")
fi
# The README's first command, on the build made above.
if [ $# -eq 0 ]; then
  qs=0
  BUILD_DIR="$build" scripts/quickstart.sh > "$build/meson-logs/quickstart.log" 2>&1 || qs=$?
  [ $qs -eq 0 ] || { cat "$build/meson-logs/quickstart.log"; status=1; }
  extra+=("quickstart=$qs")
fi
python3 scripts/test-summary.py "${logs[@]}" "${extra[@]}" || status=1
exit $status
