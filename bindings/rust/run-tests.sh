#!/bin/sh
# Runs the Rust binding's tests (cargo test --offline) against a Meson build tree.
# Meson's test('rust') sets PKG_CONFIG_PATH=<build>/meson-uninstalled, LD_LIBRARY_PATH=<build>/src,
# INVITEKIT_EMULATOR, INVITEKIT_LAYOUT_PRINTER and CARGO_TARGET_DIR (inside the build dir).
# By hand:  BUILD=build bindings/rust/run-tests.sh   (uses that build tree the same way)
# Exit status 77 (skipped) when cargo is not installed.
set -eu
# BUILD is relative to the directory the script is started from (resolved before the cd below).
if [ -n "${BUILD:-}" ]; then
  BUILD=$(cd "$BUILD" && pwd)
fi
cd "$(dirname "$0")"

# rustup installs into ~/.cargo/bin, which a non-login shell (CI) may not have on PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
  PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  export PATH
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "SKIPPED: cargo is not installed, so the Rust binding (bindings/rust) is not tested"
  exit 77
fi

if [ -n "${BUILD:-}" ]; then
  build=$(cd "$BUILD" && pwd)
  : "${PKG_CONFIG_PATH:=$build/meson-uninstalled}"
  : "${LD_LIBRARY_PATH:=$build/src}"
  : "${INVITEKIT_EMULATOR:=$build/src/emulator/invitekit-emulator}"
  : "${INVITEKIT_LAYOUT_PRINTER:=$build/tests/abi/abi_layout_printer}"
  : "${CARGO_TARGET_DIR:=$build/bindings/rust/target}"
  export PKG_CONFIG_PATH LD_LIBRARY_PATH INVITEKIT_EMULATOR INVITEKIT_LAYOUT_PRINTER CARGO_TARGET_DIR
fi
export CARGO_TERM_COLOR=never

echo "cargo: $(cargo --version)"
echo "PKG_CONFIG_PATH=${PKG_CONFIG_PATH:-}"
echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
echo "INVITEKIT_EMULATOR=${INVITEKIT_EMULATOR:-}"
echo "INVITEKIT_LAYOUT_PRINTER=${INVITEKIT_LAYOUT_PRINTER:-}"
echo "CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-}"

# The examples are built first so that tests/examples.rs can also run them as programs.
cargo build --offline --workspace --examples
# cargo's own "test result: ok. N passed; M failed; ..." lines go to stdout unfiltered.
exec cargo test --offline --workspace 2>&1
