#!/usr/bin/env bash
# Installs what Ledgerline needs to build (and, with "test", to test) on
# Debian or Ubuntu, skipping what is already there. Uses sudo only when not
# root. On other systems it prints what to install and carries on.
#   .ci/deps.sh build   cgo toolchain and the X11/GL/Wayland headers Fyne needs
#   .ci/deps.sh test    the above, plus D-Bus, gnome-keyring, Xvfb and Chromium
set -euo pipefail

build_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev)
test_pkgs=(dbus dbus-x11 gnome-keyring libsecret-tools xvfb x11-apps netpbm chromium)

want=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && want+=("${test_pkgs[@]}")

case "$(uname -s)" in
Darwin)
  echo "macOS: install Xcode's command line tools (xcode-select --install) and Go from go.dev; nothing else is needed." >&2
  exit 0 ;;
MINGW* | MSYS* | CYGWIN*)
  echo "Windows: install Go from go.dev and a GCC such as MSYS2's mingw-w64-x86_64-gcc, and put it on PATH." >&2
  exit 0 ;;
esac

# Go tools the tests use (from the Go module proxy, into $(go env GOPATH)/bin).
if [ "${1:-build}" = test ] && command -v go >/dev/null 2>&1; then
  gobin="$(go env GOPATH)/bin"
  if [ ! -x "$gobin/stripe-mock" ] && ! command -v stripe-mock >/dev/null 2>&1; then
    echo "Installing stripe-mock (Stripe's API mock, for the contract tests)" >&2
    go install github.com/stripe/stripe-mock@v0.203.0
  fi
fi

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
