#!/usr/bin/env bash
# Builds invitekit twice more and runs the library's own suites under the
# sanitizers: AddressSanitizer + UndefinedBehaviorSanitizer (unit, providers,
# resilience, ensure) and ThreadSanitizer (unit incl. 8+ threads on one client,
# resilience incl. cross-thread cancellation, ensure incl. 8 threads ensuring
# the same person). Called by scripts/test.sh;
# usable alone: scripts/sanitizers.sh [BUILD_PREFIX]
set -uo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-build}
status=0
common=(-Dcli=false -Dexamples=false -Dconformance=disabled -Dbuildtype=debugoptimized -Db_lundef=false)

run_one() {  # name, sanitize value, suites...
  local name=$1 sanitize=$2
  shift 2
  local dir="$prefix-$name"
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "${common[@]}" -Db_sanitize="$sanitize" >/dev/null || return 1
  else
    meson setup "$dir" "${common[@]}" -Db_sanitize="$sanitize" >/dev/null || return 1
  fi
  # Only what the chosen suites run (their executables and what they depend
  # on), not every target of the tree; meson test must then not rebuild.
  local targets
  targets=$(python3 scripts/suite-targets.py "$dir" "$@") || return 1
  # shellcheck disable=SC2086  # one target per word
  ninja -C "$dir" $targets >/dev/null || { ninja -C "$dir" $targets; return 1; }
  local args=()
  for s in "$@"; do args+=(--suite "$s"); done
  # valgrind and the sanitizers do not mix: the valgrind variant runs in the main build.
  meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 2 "${args[@]}" --no-suite valgrind
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
run_one asan address,undefined unit providers resilience ensure async || status=1
run_one tsan thread unit resilience ensure async || status=1
exit $status
