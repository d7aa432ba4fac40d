#!/usr/bin/env bash
# Provide OpenTofu without a release download: build it from its Go module,
# fetched through the Go module proxy, into the cache dir. Idempotent: once
# built, a run only prints the path (well under a second). Cold, on 2 cores shared with
# other builds: 639 s wall (439 s user CPU), peak RSS 1.8 GB, a 115 MB binary.
#
#   scripts/opentofu.sh          # build if needed; prints the tofu binary's path on stdout
#   scripts/opentofu.sh --path   # print the path, exit 1 if it is not built (no build)
#
# Use it with cdktf: TERRAFORM_BINARY_NAME=$(scripts/opentofu.sh) cdktf deploy …
# The mirror and CLI config of scripts/providers.sh serve OpenTofu too.
set -euo pipefail

# OpenTofu 1.12.6 = tag v1.12.6 of github.com/opentofu/opentofu. `go install …@v1.12.6`
# refuses it: its go.mod has a replace directive (hashicorp/hcl/v2 => opentofu/hcl/v2),
# and replaces only apply in the main module. So build inside the module's own source.
OPENTOFU_VERSION=1.12.6
OPENTOFU_MODULE=github.com/opentofu/opentofu

cache=${BRIDGE_CACHE:-$HOME/.cache/bridge-to-azure}
bin=$cache/opentofu/$OPENTOFU_VERSION/tofu

if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if [ "${1:-}" = --path ]; then
  echo "opentofu: $bin is not built; run scripts/opentofu.sh (or scripts/bootstrap.sh)" >&2
  exit 1
fi
. "$(dirname "$0")/lib/go-env.sh"

start=$SECONDS
work=$cache/build/opentofu-$OPENTOFU_VERSION
log=$work.log
rm -rf "$work"; mkdir -p "$(dirname "$work")"
echo "opentofu: building $OPENTOFU_MODULE v$OPENTOFU_VERSION (log $log) ..." >&2
if ! {
  src=$(go mod download -json "$OPENTOFU_MODULE@v$OPENTOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') &&
    [ -n "$src" ] &&
    # The module cache is read-only; -mod=mod may want to write go.sum.
    cp -r "$src" "$work" && chmod -R u+w "$work" &&
    # dev=no: a release build's version string ("1.12.6", not "1.12.6-dev"), as OpenTofu's releases set it.
    (cd "$work" && go build -trimpath -ldflags "-s -w -X $OPENTOFU_MODULE/version.dev=no" -o "$work/tofu" ./cmd/tofu)
} >"$log" 2>&1; then
  echo "opentofu: build failed; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
mkdir -p "$(dirname "$bin")"
mv "$work/tofu" "$bin.tmp" && mv "$bin.tmp" "$bin"
rm -rf "$work"
echo "opentofu: built $("$bin" version 2>/dev/null | grep -m1 "^OpenTofu") in $((SECONDS - start)) s" >&2
echo "$bin"
