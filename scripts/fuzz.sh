#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz (clang, -Dfuzz=enabled, ASan +
# UBSan incl. float-cast-overflow, no recovery) in their own build directory,
# then for every harness:
#   1. replays every committed input under tests/fuzz/regressions/<harness>/
#      (inputs that once crashed, and the overflow cases of issue #18);
#   2. fuzzes it for SECONDS (default 10) on top of tests/fuzz/corpus/<harness>/
#      (plus tests/fuzz/<harness>.dict), with -timeout=10 -rss_limit_mb=2048.
# Prints one result line per harness and ends with "fuzz: N passed, N failed"
# (counted by scripts/test-summary.py). New crash inputs are left in
# $BUILD/fuzz-artifacts/<harness>/ to be minimised and added to regressions/.
# Harnesses run FUZZ_JOBS at a time (default: the number of CPUs), each for
# its full SECONDS.
# Usage: scripts/fuzz.sh [seconds-per-harness]   (FUZZ_BUILD_DIR, FUZZ_ONLY=name, FUZZ_JOBS=n;
# FUZZ_PHASE=build only compiles the harnesses and prints nothing on success)
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
build=${FUZZ_BUILD_DIR:-build-fuzz}
root=$PWD

export CC=clang CXX=clang++
opts=(-Dfuzz=enabled -Ddefault_library=static -Dtests=false -Dcli=false -Demulator=false -Dexamples=false
      -Dconformance=disabled -Dbuildtype=debugoptimized -Db_lundef=false)
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" "${opts[@]}" >/dev/null || { echo "fuzz: 0 passed, 1 failed"; exit 1; }
else
  meson setup "$build" "${opts[@]}" >/dev/null || { echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi
nice -n 10 meson compile -C "$build" >"$build/fuzz-compile.log" 2>&1 || {
  tail -50 "$build/fuzz-compile.log"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
[ "${FUZZ_PHASE:-all}" = build ] && exit 0

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
harnesses=$(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
[ -n "${FUZZ_ONLY:-}" ] && harnesses=$FUZZ_ONLY

fuzz_one() {  # harness: prints its result line (and the failure's log tail)
  local h=$1
  local exe="$build/tests/fuzz/$h"
  local log="$build/fuzz-logs/$h.log"
  mkdir -p "$build/fuzz-logs" "$build/fuzz-artifacts/$h" "$build/fuzz-corpus/$h"
  local ok=1
  # 1. regressions: every committed input must run clean.
  local reg="tests/fuzz/regressions/$h"
  local nreg=0
  if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
    nreg=$(ls -A "$reg" | wc -l)
    if ! timeout 300 "$exe" -runs=0 -timeout=10 -rss_limit_mb=2048 "$reg"/* >"$log.regressions" 2>&1; then
      ok=0
      echo "$h: a regression input fails:"; tail -30 "$log.regressions"
    fi
  fi
  # 2. bounded fuzzing on top of the committed corpus (new inputs go to the
  #    build directory, never into the repository).
  local dict=()
  [ -f "tests/fuzz/$h.dict" ] && dict=(-dict="tests/fuzz/$h.dict")
  local execs="" cov="" ft="" line
  if [ "$seconds" -gt 0 ] && [ $ok -eq 1 ]; then
    if ! timeout $((seconds + 120)) "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
         -print_final_stats=1 "${dict[@]}" -artifact_prefix="$build/fuzz-artifacts/$h/" \
         "$build/fuzz-corpus/$h" "tests/fuzz/corpus/$h" >"$log" 2>&1; then
      ok=0
      echo "$h: fuzzing found a failure (input in $build/fuzz-artifacts/$h/):"; tail -40 "$log"
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    line=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1)
    cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$line")
    ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$line")
  fi
  if [ $ok -eq 1 ]; then
    echo "$h: ok (regressions: $nreg, ${seconds}s: execs ${execs:-0}, cov ${cov:-?}, ft ${ft:-?})"
  else
    echo "$h: FAILED (log: $log)"
  fi
}

# One libFuzzer process is one thread: run FUZZ_JOBS harnesses at a time
# (default: one per CPU), each for its full SECONDS; results in harness order.
parallel=${FUZZ_JOBS:-$(nproc)}
mkdir -p "$build/fuzz-logs"
for h in $harnesses; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n; done
  fuzz_one "$h" >"$build/fuzz-logs/$h.result" 2>&1 &
done
wait
passed=0
failed=0
for h in $harnesses; do
  cat "$build/fuzz-logs/$h.result"
  if grep -q "^$h: ok " "$build/fuzz-logs/$h.result"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
