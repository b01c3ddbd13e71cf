#!/usr/bin/env bash
# Installs what Ledgerline needs to build (with "test", to test; with "package", to package) on
# Debian or Ubuntu, skipping what is already there. Uses sudo only when not
# root. On other systems it prints what to install and carries on.
#   .ci/deps.sh build   cgo toolchain and the X11/GL/Wayland headers Fyne needs
#   .ci/deps.sh test    the above, plus D-Bus, gnome-keyring, Xvfb, Chromium and
#                       HAProxy (the broker's replica test, make test-broker)
#   .ci/deps.sh package the build packages, the mingw-w64 cross compiler for the
#                       Windows .exe, NSIS for its installer, xz for the Linux bundle, and the fyne
#                       packaging tool (fyne.io/tools, into $(go env GOPATH)/bin)
#   .ci/deps.sh windows the package packages plus what `make test-windows` needs
#                       to run the Windows build here: Wine (wine64, and wine
#                       for its wrapper), and Xvfb, xdotool, xwd, netpbm and
#                       D-Bus for the window check. Only this mode installs
#                       them, so `make test` stays as small as it was.
set -euo pipefail

build_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev)
test_pkgs=(dbus dbus-x11 gnome-keyring libsecret-tools xvfb x11-apps netpbm xdotool chromium haproxy)
# The PostgreSQL destination's tests start a throwaway PostgreSQL 15 cluster.
test_pkgs+=(postgresql)

package_pkgs=(gcc-mingw-w64-x86-64 xz-utils nsis)
# wine32 is not needed: Ledgerline.exe and the test's stand-in DLL are 64-bit.
windows_pkgs=(wine wine64 xvfb xdotool x11-apps netpbm dbus)
fyne_tools_version=v1.7.4

mode="${1:-build}"
want=("${build_pkgs[@]}")
case "$mode" in
build) ;;
test) want+=("${test_pkgs[@]}") ;;
package) want+=("${package_pkgs[@]}") ;;
windows) want+=("${package_pkgs[@]}" "${windows_pkgs[@]}") ;;
*) echo "usage: $0 [build|test|package|windows]" >&2; exit 2 ;;
esac

# Go tools (from the Go module proxy, into $(go env GOPATH)/bin): stripe-mock
# for the tests, the fyne command for packaging.
if command -v go >/dev/null 2>&1; then
  gobin="$(go env GOPATH)/bin"
  if [ "$mode" = test ] && [ ! -x "$gobin/stripe-mock" ] && ! command -v stripe-mock >/dev/null 2>&1; then
    echo "Installing stripe-mock (Stripe's API mock, for the contract tests)" >&2
    go install github.com/stripe/stripe-mock@v0.203.0
  fi
  # The exact version is checked (not just presence): the packaging recipe
  # relies on this version's flags and FyneApp.toml fields.
  if { [ "$mode" = package ] || [ "$mode" = windows ]; } && ! go version -m "$gobin/fyne" 2>/dev/null | grep -q "mod[[:space:]]*fyne.io/tools[[:space:]]*$fyne_tools_version"; then
    echo "Installing the fyne packaging tool (fyne.io/tools $fyne_tools_version)" >&2
    go install "fyne.io/tools/cmd/fyne@$fyne_tools_version"
  fi
fi

case "$(uname -s)" in
Darwin)
  echo "macOS: install Xcode's command line tools (xcode-select --install) and Go from go.dev; nothing else is needed." >&2
  exit 0 ;;
MINGW* | MSYS* | CYGWIN*)
  echo "Windows: install Go from go.dev and a GCC such as MSYS2's mingw-w64-x86_64-gcc, and put it on PATH." >&2
  exit 0 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "This is not Debian or Ubuntu: install the equivalents of: ${want[*]}" >&2
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
