#!/usr/bin/env bash
# Packages Ledgerline with the fyne tool (fyne.io/tools, installed by
# `.ci/deps.sh package`) into dist/:
#   linux    dist/Ledgerline.tar.xz  (usr/local/bin, .desktop entry, icon, Makefile)
#   windows  dist/Ledgerline.exe     (cross-built with mingw-w64; icon, version
#                                     info and manifest embedded)
#            dist/Ledgerline-Setup.exe (its per-user installer, made with NSIS
#                                     from packaging/windows/ledgerline.nsi)
#   darwin   dist/Ledgerline.app     (needs a Mac with Xcode's command line tools)
# Usage: [BROKER_URL=https://broker.example.com] .ci/package.sh [linux] [windows] [darwin]
# With no argument: linux and windows on Linux, darwin on macOS.
#
# `fyne package` reads FyneApp.toml and Icon.png only from the directory it
# builds (--src), and afterwards rewrites FyneApp.toml with Build+1. Our main
# package is cmd/ledgerline while FyneApp.toml lives at the repository root,
# so the sources are copied to dist/.stage, the two files are put next to the
# staged main package, and the tool works there. The working tree is never
# written to (the tool also drops fyne_metadata_init.go and, for Windows,
# fyne.syso into the directory it builds).
set -euo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
dist="$root/dist"
stage="$dist/.stage"
main_pkg=cmd/ledgerline

fyne="$(go env GOPATH)/bin/fyne"
if [ ! -x "$fyne" ]; then
  echo "The fyne tool is missing from $(go env GOPATH)/bin: run .ci/deps.sh package first." >&2
  exit 1
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  case "$(uname -s)" in
  Linux) targets=(linux windows) ;;
  Darwin) targets=(darwin) ;;
  *) echo "Name the targets to package: $0 linux|windows|darwin ..." >&2; exit 2 ;;
  esac
fi

for target in "${targets[@]}"; do
  case "$target" in
  linux | windows | darwin) ;;
  *) echo "Unknown target $target: use linux, windows or darwin." >&2; exit 2 ;;
  esac
done

rm -rf "$stage"
mkdir -p "$stage"
trap 'rm -rf "$stage"' EXIT

# Copy the sources as they are in the working tree (uncommitted edits included,
# ignored files such as bin/, dist/ and local databases left out).
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$root" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -xf - -C "$stage"
else
  tar --exclude=./.git --exclude=./dist --exclude=./bin -cf - . | tar -xf - -C "$stage"
fi

# The sign-in service this package connects through (make package BROKER_URL=…).
if [ -n "${BROKER_URL:-}" ]; then
  "$root/.ci/builtin-broker.sh" "$stage" "$BROKER_URL"
else
  echo "No BROKER_URL given: the package has no built-in sign-in service; Connect with Stripe will need LEDGERLINE_BROKER_URL." >&2
fi

# Put the metadata next to the main package (again before each target, since
# the tool bumps Build in the copy it read).
stage_metadata() { cp "$root/FyneApp.toml" "$root/Icon.png" "$stage/$main_pkg/"; }

# windows_installer wraps dist/Ledgerline.exe in dist/Ledgerline-Setup.exe,
# with FyneApp.toml's Version and Build.
windows_installer() {
  if ! command -v makensis >/dev/null 2>&1; then
    echo "makensis is missing: run .ci/deps.sh package (Debian's nsis)." >&2
    exit 1
  fi
  local version build
  version="$(sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' "$root/FyneApp.toml")"
  build="$(sed -n 's/^[[:space:]]*Build[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "$root/FyneApp.toml")"
  echo "Building the Windows installer with NSIS (Ledgerline $version, build $build)" >&2
  rm -f "$dist/Ledgerline-Setup.exe"
  makensis -V2 -DVERSION="$version" -DBUILD="$build" -DEXE="$dist/Ledgerline.exe" \
    -DOUTFILE="$dist/Ledgerline-Setup.exe" "$root/packaging/windows/ledgerline.nsi" >&2
}

mkdir -p "$dist"
for target in "${targets[@]}"; do
  stage_metadata
  case "$target" in
  linux)
    echo "Packaging the Linux bundle with fyne package (the first build compiles Fyne's C parts: minutes)" >&2
    (cd "$stage" && "$fyne" package --os linux --release --src "$main_pkg")
    rm -f "$dist/Ledgerline.tar.xz"
    mv "$stage/Ledgerline.tar.xz" "$dist/"
    ;;
  windows)
    # Cross-built with cgo through the mingw-w64 GCC; `fyne package -os windows`
    # sets GOOS and CGO_ENABLED itself but takes the C compiler and GOARCH from here.
    cc="${WINDOWS_CC:-x86_64-w64-mingw32-gcc}"
    if ! command -v "$cc" >/dev/null 2>&1; then
      echo "The Windows C cross compiler $cc is missing: run .ci/deps.sh package (Debian's gcc-mingw-w64-x86-64)." >&2
      exit 1
    fi
    echo "Packaging the Windows .exe with fyne package and $cc (the first build compiles Fyne's C parts: minutes)" >&2
    (cd "$stage" && CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$cc" "$fyne" package --os windows --release --src "$main_pkg")
    rm -f "$dist/Ledgerline.exe"
    mv "$stage/$main_pkg/Ledgerline.exe" "$dist/"
    windows_installer
    ;;
  darwin)
    (cd "$stage" && "$fyne" package --os darwin --release --src "$main_pkg")
    rm -rf "$dist/Ledgerline.app"
    mv "$stage/Ledgerline.app" "$dist/"
    ;;
  esac
done

ls -l "$dist" >&2
