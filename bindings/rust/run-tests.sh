#!/bin/sh
# Runs the Rust binding's tests (cargo test --offline) against a Meson build tree, then builds and
# runs a few of them again with INVITEKIT_STATIC=1 (libinvitekit.a linked in; see below).
# Meson's test('rust') sets PKG_CONFIG_PATH=<build>/meson-uninstalled, LD_LIBRARY_PATH=<build>/src,
# INVITEKIT_EMULATOR, INVITEKIT_LAYOUT_PRINTER, INVITEKIT_STATIC_ARCHIVE and CARGO_TARGET_DIR
# (inside the build dir).
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
status=0
# cargo's own "test result: ok. N passed; M failed; ..." lines go to stdout unfiltered.
cargo test --offline --workspace 2>&1 || status=1

# INVITEKIT_STATIC=1 (invitekit-sys/build.rs): libinvitekit.a linked in, its dependencies (libcurl,
# simdjson, libstdc++) from the system's shared libraries. Two builds, each in its own target dir
# inside CARGO_TARGET_DIR (so neither rebuilds the other's crates on the next run):
#  - through pkg-config (PKG_CONFIG_PATH above): the two examples and tests/examples.rs, which runs
#    the examples' functions against the emulator and then the example binaries;
#  - through INVITEKIT_LIB_DIR with INVITEKIT_NO_PKG_CONFIG=1 (the fixed dependency list):
#    invitekit-sys's tests/link.rs.
# Every binary must have no NEEDED entry for libinvitekit and one for libcurl (readelf -d), and runs
# with LD_LIBRARY_PATH unset, so it cannot load the build tree's libinvitekit.so.
# INVITEKIT_STATIC_ARCHIVE (set by meson.build) is <build>/src/libinvitekit.a.
archive=${INVITEKIT_STATIC_ARCHIVE:-}
if [ -z "$archive" ] && [ -n "${BUILD:-}" ]; then
  archive=$build/src/libinvitekit.a
fi

# Prints the binary's NEEDED entries; fails if libinvitekit is one of them or libcurl is not.
check_static() {
  needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  echo "static: $1 NEEDED: $needed"
  case " $needed" in
    *" libinvitekit"*) echo "FAIL: static: $1 needs a shared libinvitekit"; return 1 ;;
  esac
  case " $needed" in
    *" libcurl.so"*) ;;
    *) echo "FAIL: static: $1 does not link libcurl dynamically"; return 1 ;;
  esac
}

# The executable of the test target $2 in cargo's JSON messages (file $1).
test_exe() {
  sed -n 's/.*"name":"'"$2"'","src_path".*"test":true.*"executable":"\([^"]*\)".*/\1/p' "$1" | tail -n 1
}

static_tests() {
  target=${CARGO_TARGET_DIR:-$PWD/target}
  msgs=$target/static-link.json
  # 1. pkg-config
  (
    unset INVITEKIT_LIB_DIR INVITEKIT_NO_PKG_CONFIG
    INVITEKIT_STATIC=1 CARGO_TARGET_DIR=$target/static
    export INVITEKIT_STATIC CARGO_TARGET_DIR
    cargo build --offline -p invitekit --example list_openai_invites --example create_twilio_user &&
      cargo test --offline -p invitekit --test examples --no-run --message-format=json-render-diagnostics >"$msgs"
  ) || return 1
  examples_exe=$(test_exe "$msgs" examples)
  for exe in "$examples_exe" "$target/static/debug/examples/list_openai_invites" \
             "$target/static/debug/examples/create_twilio_user"; do
    [ -n "$exe" ] && [ -x "$exe" ] || { echo "FAIL: static: no executable '$exe'"; return 1; }
    check_static "$exe" || return 1
  done
  # tests/examples.rs runs the example binaries next to it: the static ones.
  (unset LD_LIBRARY_PATH; exec "$examples_exe") 2>&1 || return 1

  # 2. INVITEKIT_LIB_DIR, without pkg-config
  (
    INVITEKIT_STATIC=1 INVITEKIT_LIB_DIR=$(dirname "$archive") INVITEKIT_NO_PKG_CONFIG=1
    CARGO_TARGET_DIR=$target/static-libdir
    export INVITEKIT_STATIC INVITEKIT_LIB_DIR INVITEKIT_NO_PKG_CONFIG CARGO_TARGET_DIR
    cargo test --offline -p invitekit-sys --test link --no-run --message-format=json-render-diagnostics >"$msgs"
  ) || return 1
  link_exe=$(test_exe "$msgs" link)
  [ -n "$link_exe" ] && [ -x "$link_exe" ] || { echo "FAIL: static: no executable for tests/link.rs"; return 1; }
  check_static "$link_exe" || return 1
  (unset LD_LIBRARY_PATH; exec "$link_exe") 2>&1 || return 1
}

if [ -z "$archive" ] || [ ! -f "$archive" ]; then
  echo "SKIPPED: INVITEKIT_STATIC=1 builds: no libinvitekit.a (${archive:-INVITEKIT_STATIC_ARCHIVE unset}; -Ddefault_library=shared?)"
elif ! command -v readelf >/dev/null 2>&1; then
  echo "SKIPPED: INVITEKIT_STATIC=1 builds: readelf (binutils) is not installed"
else
  echo "INVITEKIT_STATIC=1 builds against $archive"
  static_tests || { echo "FAIL: INVITEKIT_STATIC=1 builds"; status=1; }
fi
exit $status
