#!/usr/bin/env bash
# Builds invitekit twice more and runs the library's own suites under the
# sanitizers: AddressSanitizer + UndefinedBehaviorSanitizer (unit, providers,
# resilience, observability, ensure) and ThreadSanitizer (unit incl. 8+ threads
# on one client, resilience incl. cross-thread cancellation, observability incl.
# several threads on one client, ensure incl. 8 threads ensuring the same
# person, and the CLI's bulk engine: its worker, writer and progress threads,
# Ctrl-C and 429 storms, against an emulator built with the same flags).
# Called by scripts/test.sh;
# usable alone: scripts/sanitizers.sh [BUILD_PREFIX]
# SANITIZERS_PHASE=build only compiles what the suites need (scripts/test.sh
# does that in the background, at low priority, while the main suites run);
# SANITIZERS_PHASE=test (or the default, all) builds what is missing and runs.
#
# The ASan+UBSan build is -Og with line tables only (-g1), not -O2 -g: ASan
# instruments the memory accesses that remain after optimisation, so -Og
# checks at least what -O2 does; UBSan's object-size check needs an optimising
# level and works at -Og (not at -O0); reports still name file:line. GCC
# compiles the test files about 5x faster that way (test_fastly.cpp under
# ASan+UBSan: 18.5 s of CPU at -Og -g1, 95 s at -O2 -g; -fsanitize=undefined
# is slowest at -O2). The TSan build stays -O2 -g (debugoptimized): it is far
# cheaper to compile, and at -Og TSan reported a race inside the uninstrumented
# libcpp-httplib (the test servers) and resilience_retries missed its 300 ms
# window, so it is not a drop-in change there.
set -uo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-build}
status=0
common=(-Dcli=false -Dexamples=false -Dconformance=disabled -Db_lundef=false)
asan_opts=(-Doptimization=g -Ddebug=false -Dc_args=-g1 -Dcpp_args=-g1)
tsan_opts=(-Dbuildtype=debugoptimized -Dc_args= -Dcpp_args=)

run_one() {  # name, sanitize value, suites...
  local name=$1 sanitize=$2
  shift 2
  local dir="$prefix-$name"
  local opts=("${common[@]}" -Db_sanitize="$sanitize")
  if [ "$name" = asan ]; then opts+=("${asan_opts[@]}"); else opts+=("${tsan_opts[@]}" -Dcli=true); fi
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "${opts[@]}" >/dev/null || return 1
  else
    meson setup "$dir" "${opts[@]}" >/dev/null || return 1
  fi
  # Only what the chosen suites run (their executables and what they depend
  # on), not every target of the tree; meson test must then not rebuild.
  local targets
  targets=$(python3 scripts/suite-targets.py "$dir" "$@") || return 1
  # shellcheck disable=SC2086  # one target per word
  ninja -C "$dir" $targets >/dev/null || { ninja -C "$dir" $targets; return 1; }
  [ "${SANITIZERS_PHASE:-all}" = build ] && return 0
  local args=()
  for s in "$@"; do args+=(--suite "$s"); done
  # valgrind and the sanitizers do not mix: the valgrind variant runs in the main build.
  meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 2 "${args[@]}" --no-suite valgrind
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# tests/tsan.supp: the uninstrumented test-server library (libcpp-httplib) only.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
run_one asan address,undefined unit providers resilience observability ensure async || status=1
run_one tsan thread unit resilience observability ensure async cli-threads || status=1
exit $status
