#!/usr/bin/env bash
# Cross-compiles and vets, for every other system Ledgerline ships on, every
# package that builds without that system's C toolchain (CGO_ENABLED=0), so a
# platform-specific mistake (a Unix-only call, a missing _windows.go twin)
# fails here on Linux. `go vet` type-checks each package and its tests, and
# `go build` compiles the non-test code.
#
# Left out, by rule rather than by name:
# - a package that depends on a third-party package with C code (cgo files)
#   on that system: those need the system's C toolchain (and, on macOS,
#   Apple's SDK). On Windows that is go-gl (Fyne's OpenGL window), so exactly
#   cmd/ledgerline is left out; on macOS Fyne's widgets and app packages and
#   go-locale have C code too, so internal/ui and what imports it are left
#   out as well. The script prints the list for each system.
# - internal/tools/...: developer tools that drive Linux programs (Xvfb,
#   Wine, /proc, process groups) and run only on Linux; they ship in nothing.
# The Windows program itself, cgo and all, is built with mingw-w64 by `make
# package` and run under Wine by `make test-windows`; the macOS one is not
# built here.
# Usage: .ci/crossvet.sh [GOOS/GOARCH ...]  (default: windows/amd64 darwin/arm64 darwin/amd64)
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(windows/amd64 darwin/arm64 darwin/amd64)

for target in "${targets[@]}"; do
  export GOOS="${target%/*}" GOARCH="${target#*/}"
  # Third-party packages with C code on this system (listing needs no compiler).
  cgo_pkgs="$(CGO_ENABLED=1 go list -e -deps -f '{{if and .CgoFiles (not .Standard)}}{{.ImportPath}}{{end}}' ./... | sort -u | tr '\n' ' ')"
  export CGO_ENABLED=0
  pkgs=() skipped=()
  while read -r pkg deps; do
    [[ "$pkg" == */internal/tools/* ]] && continue
    needs_c=""
    for d in $deps; do
      [[ " $cgo_pkgs " == *" $d "* ]] && { needs_c=1; break; }
    done
    if [ -n "$needs_c" ]; then skipped+=("${pkg#github.com/ledgerline/ledgerline/}"); else pkgs+=("$pkg"); fi
  done < <(CGO_ENABLED=1 go list -e -f '{{.ImportPath}}{{range .Deps}} {{.}}{{end}}' ./...)
  echo "$target: vetting and building ${#pkgs[@]} packages without cgo; left out for needing C: ${skipped[*]:-nothing}; and the Linux-only internal/tools" >&2
  go vet "${pkgs[@]}"
  mapfile -t buildable < <(go list -e -f '{{if .GoFiles}}{{.ImportPath}}{{end}}' "${pkgs[@]}")
  go build -o /dev/null "${buildable[@]}"
done
