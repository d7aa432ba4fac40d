#!/usr/bin/env bash
# The main job: bring up the local topology with one `cdktf deploy`.
#   scripts/up.sh                 # bootstrap if needed, secrets, deploy, print what runs where
#   scripts/up.sh onprem          # only some stacks
# Configuration: cdktf.json context "bridge", BRIDGE_CONFIG (JSON) and BRIDGE_* variables (README).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$BRIDGE_REPO"
# Logs per deployment: several environments may deploy at once.
logdir=".state/${BRIDGE_ENVIRONMENT:-dev}"
mkdir -p "$logdir"
t0=$SECONDS
[ "${BRIDGE_SKIP_BOOTSTRAP:-0}" = 1 ] || scripts/bootstrap.sh
. scripts/env.sh

stacks=("$@")
if [ ${#stacks[@]} -eq 0 ]; then
  mapfile -t stacks < <(node dist/scripts/stacks.js)
fi
node dist/scripts/secrets.js ensure
# Host ports inside the ephemeral range, kept from outgoing connections (scripts/reserve-ports.ts says why).
node dist/scripts/reserve-ports.js
mkdir -p .state "$(dirname "${BRIDGE_OUTPUTS_FILE:-.state/outputs.json}")"
say "cdktf deploy ${stacks[*]}"
cdktf deploy "${stacks[@]}" --auto-approve "${CDKTF_FLAGS[@]}" --output "${BRIDGE_OUTDIR:-cdktf.out}" --outputs-file "${BRIDGE_OUTPUTS_FILE:-.state/outputs.json}" >"$logdir/deploy.log" 2>&1 || {
  tail -n 60 "$logdir/deploy.log" >&2; say "deploy failed (full log: $logdir/deploy.log)"; exit 1; }
node dist/scripts/where.js "${BRIDGE_OUTPUTS_FILE:-.state/outputs.json}"
[[ " ${stacks[*]} " != *" bridge "* ]] || node dist/scripts/pbids.js
node dist/scripts/console-login.js
say "up in $((SECONDS - t0)) s"
