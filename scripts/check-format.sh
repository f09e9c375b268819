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
bad=0
total=0
for f in $files; do
  total=$((total + 1))
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f"
    bad=$((bad + 1))
  fi
done
echo "format: $((total - bad)) files formatted, $bad not ($(clang-format --version))"
[ "$bad" -eq 0 ]
