#!/bin/sh
# Runs the C# binding's tests (xunit, dotnet test) against a Meson build tree, Meson suite 'dotnet'.
# Meson's test('dotnet') sets BUILD, LD_LIBRARY_PATH=<build>/src, INVITEKIT_EMULATOR, INVITEKIT_LAYOUT_PRINTER and
# INVITEKIT_DOTNET_ARTIFACTS (inside the build dir). By hand:  BUILD=build bindings/dotnet/run-tests.sh
# Restores from the machine's offline NuGet folder (/opt/nuget/packages) where it exists, plus nuget.org for what
# that folder lacks (Microsoft.Extensions.Logging.Abstractions). Exit status 77 (skipped) when dotnet is absent.
set -eu
cd "$(dirname "$0")"
here=$(pwd)

if ! command -v dotnet >/dev/null 2>&1 && [ -x "$HOME/.dotnet/dotnet" ]; then
  PATH="$HOME/.dotnet:$PATH"
  export PATH
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "SKIPPED: dotnet (the .NET SDK) is not installed, so the C# binding (bindings/dotnet) is not tested"
  exit 77
fi

build=$(cd "${BUILD:-../../build}" && pwd)
: "${LD_LIBRARY_PATH:=$build/src}"
: "${INVITEKIT_EMULATOR:=$build/src/emulator/invitekit-emulator}"
: "${INVITEKIT_LAYOUT_PRINTER:=$build/tests/abi/abi_layout_printer}"
: "${INVITEKIT_DOTNET_ARTIFACTS:=$build/bindings/dotnet/artifacts}"
INVITEKIT_SOURCE_ROOT=$(cd ../.. && pwd)
BUILD=$build
export BUILD LD_LIBRARY_PATH INVITEKIT_EMULATOR INVITEKIT_LAYOUT_PRINTER INVITEKIT_DOTNET_ARTIFACTS INVITEKIT_SOURCE_ROOT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "dotnet: $(dotnet --version)"
echo "BUILD=$BUILD"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
echo "INVITEKIT_EMULATOR=$INVITEKIT_EMULATOR"
echo "INVITEKIT_LAYOUT_PRINTER=$INVITEKIT_LAYOUT_PRINTER"
echo "INVITEKIT_DOTNET_ARTIFACTS=$INVITEKIT_DOTNET_ARTIFACTS"

sources=""
if [ -d /opt/nuget/packages ]; then sources="--source /opt/nuget/packages"; fi
sources="$sources --source https://api.nuget.org/v3/index.json"
# shellcheck disable=SC2086
dotnet restore InviteKit.Tests/InviteKit.Tests.csproj $sources
dotnet build InviteKit.Tests/InviteKit.Tests.csproj --no-restore -c Release
# The package with libinvitekit.so under runtimes/linux-x64/native/; PackageTests restores it into a fresh app.
INVITEKIT_PACKAGE_DIR="$INVITEKIT_DOTNET_ARTIFACTS/package"
export INVITEKIT_PACKAGE_DIR
# Only this version's package: one left by a build of another version would make the test's pick ambiguous.
rm -f "$INVITEKIT_PACKAGE_DIR"/InviteKit.*.nupkg
dotnet pack InviteKit/InviteKit.csproj --no-restore -c Release -o "$INVITEKIT_PACKAGE_DIR" \
  -p:InviteKitNativeLibrary="$build/src/libinvitekit.so"

# The console logger prints every test; the closing "N passed, N failed, N skipped" line is derived from the TRX.
trx="$INVITEKIT_DOTNET_ARTIFACTS/results.trx"
rm -f "$trx"
status=0
dotnet test InviteKit.Tests/InviteKit.Tests.csproj --no-build -c Release \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=$trx" || status=$?
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); passed=$(get passed); failed=$(get failed)
  skipped=$(( ${total:-0} - ${passed:-0} - ${failed:-0} ))
  echo "dotnet: ${passed:-0} passed, ${failed:-0} failed, ${skipped} skipped"
fi
exit $status
