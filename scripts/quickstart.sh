#!/usr/bin/env bash
# The quick-start: installs the dependencies, builds invitekit, starts the
# bundled invitekit-emulator on an ephemeral port, runs examples/quickstart.c
# against it (all four APIs: create, fetch, list with pagination, update,
# delete) and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}

scripts/install-deps.sh
# Quiet unless something fails; then show why.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    echo "quickstart: '$*' failed" >&2
    exit 1
  fi
}
if [ -f "$build/build.ninja" ]; then
  quiet meson setup --reconfigure "$build"
else
  quiet meson setup "$build"
fi
echo "quickstart: building the library, invitekit-emulator and examples/quickstart.c"
quiet meson compile -C "$build" invitekit-emulator example-quickstart

out=$(mktemp)
"$build/src/emulator/invitekit-emulator" --port 0 >"$out" &
emu_pid=$!
trap 'kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; rm -f "$out"' EXIT

url=""
for _ in $(seq 1 100); do  # up to 10 s for the first line
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$out" | head -n 1 || true)
  [ -n "$url" ] && break
  kill -0 "$emu_pid" 2>/dev/null || { echo "quickstart: the emulator exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "quickstart: the emulator did not report its URL" >&2; exit 1; }

echo "quickstart: invitekit-emulator is serving all four APIs at $url"
"$build/examples/example-quickstart" "$url"
