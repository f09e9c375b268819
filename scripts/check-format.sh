#!/bin/sh
# Checks that every C and C++ file outside bindings/ is formatted as
# .clang-format says (the bindings use rustfmt, gofmt and dotnet's own rules).
# Meson test 'format' (suite format); exit 77 (skipped) without clang-format.
# Fix with: git ls-files '*.c' '*.cpp' '*.h' '*.hpp' | grep -v '^bindings/' | xargs clang-format -i
set -u
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null 2>&1; then
  echo "SKIPPED: clang-format is not installed, so the formatting is not checked"
  exit 77
fi
# git's list in a checkout; every file in an unpacked `meson dist` tarball,
# which has no .git (but may lie inside another checkout, e.g. a build
# directory's meson-private/dist-unpack: then git would list nothing here).
if command -v git >/dev/null 2>&1 && [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
  files=$(git ls-files '*.c' '*.cpp' '*.h' '*.hpp' | grep -v '^bindings/')
else
  files=$(find src include tests bench examples -name '*.c' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp')
fi
[ -n "$files" ] || { echo "format: no C or C++ file found in $(pwd -P)"; exit 1; }
# One clang-format process for all files (one per file took 27 s of a CI
# run); its diagnostics name each file that is not formatted.
total=$(printf '%s\n' $files | wc -l)
# shellcheck disable=SC2086  # one file name per word
out=$(clang-format --dry-run --Werror $files 2>&1)
st=$?
badlist=$(printf '%s\n' "$out" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*-Wclang-format-violations.*/\1/p' | sort -u)
bad=0
[ -n "$badlist" ] && bad=$(printf '%s\n' "$badlist" | wc -l)
for f in $badlist; do echo "not formatted: $f"; done
if [ "$st" -ne 0 ] && [ "$bad" -eq 0 ]; then
  printf '%s\n' "$out" | tail -20
  echo "format: clang-format failed (exit $st) without naming a file"
  exit 1
fi
echo "format: $((total - bad)) files formatted, $bad not ($(clang-format --version))"
[ "$bad" -eq 0 ]
