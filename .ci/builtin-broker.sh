#!/usr/bin/env bash
# Builds the sign-in service's address into a staged copy of the sources:
#   .ci/builtin-broker.sh STAGE_DIR URL
# rewrites `var brokerURL string` in STAGE_DIR/cmd/ledgerline/main.go to hold
# URL, so the packaged app knows its broker (LEDGERLINE_BROKER_URL and
# --broker-url still override it). Only the staged copy is changed, never the
# working tree. URL must be https, without user name, query or fragment.
set -euo pipefail
stage="$1"
url="${2%/}"
main="$stage/cmd/ledgerline/main.go"
if ! [[ "$url" =~ ^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$ ]]; then
  echo "BROKER_URL must be the broker's https address, such as https://broker.example.com (got: $url)" >&2
  exit 2
fi
if ! grep -qx 'var brokerURL string' "$main"; then
  echo "$main has no 'var brokerURL string' line to fill in" >&2
  exit 1
fi
sed -i "s|^var brokerURL string\$|var brokerURL = \"$url\"|" "$main"
echo "Built-in sign-in service: $url" >&2
