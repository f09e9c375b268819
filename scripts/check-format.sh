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
if ! command -v git >/dev/null 2>&1 || ! git rev-parse --git-dir >/dev/null 2>&1; then
  files=$(find src include tests bench examples -name '*.c' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp')
else
  files=$(git ls-files '*.c' '*.cpp' '*.h' '*.hpp' | grep -v '^bindings/')
fi
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
