#!/usr/bin/env bash
# Installs everything invitekit needs to build, run its quick-start and run all
# of its tests on Debian 12, from Debian's own packages. Idempotent: it asks
# apt only for what is missing. Uses sudo when not run as root.
#
# Optional group (not needed to build or test):
#   --bench   nginx-light, the static server of bench/static_server.py
#             (docs/BENCHMARKS.md). The benchmark starts its own unprivileged
#             nginx on an ephemeral port; Debian's package also installs the
#             system service (systemctl disable --now nginx if it is not wanted).
set -euo pipefail

bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    *) echo "usage: scripts/install-deps.sh [--bench]" >&2; exit 2 ;;
  esac
done

packages=(
  g++ pkg-config python3 meson ninja-build
  libcurl4-openssl-dev   # the HTTP transport
  libsimdjson-dev        # JSON parsing
  libcpp-httplib-dev     # invitekit-emulator and the test servers
  libcli11-dev           # the invitekit command-line tool
  googletest             # GoogleTest + GoogleMock sources/libs
  libgtest-dev libgmock-dev
  valgrind               # leak checks of the embedding test
  golang-go              # the Go binding (bindings/go, Go 1.19, standard library only)
  clang libclang-rt-14-dev  # libFuzzer harnesses (scripts/fuzz.sh)
  clang-format           # the formatting check (scripts/check-format.sh, suite format)
  # packaging suite: Debian packages, API reference, manual pages, completions
  dpkg-dev debhelper fakeroot lintian   # dpkg-buildpackage -b and its checks (tests/packaging/check_debian.py)
  doxygen                # API reference (meson compile -C build docs; test doxygen)
  help2man               # manual pages from --help
  zsh                    # the completion test runs the zsh completion too (bash is always there)
)
# Node.js + npm run the Prism conformance suite; keep an existing installation.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

if [ "$bench" -eq 1 ]; then packages+=(nginx-light); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all build and test dependencies are present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
