#!/usr/bin/env bash
# Destroys the local topology (containers, data volumes unless keepData, connectors, topics).
# Built images stay as a cache; `--purge` also removes the secret volumes and local secrets.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$BRIDGE_REPO"
# Logs per deployment: several environments may deploy at once.
logdir=".state/${BRIDGE_ENVIRONMENT:-dev}"
mkdir -p "$logdir"
npm run -s build
purge=0; stacks=(); flags=()
for a in "$@"; do [ "$a" = --purge ] && purge=1 || stacks+=("$a"); done
# A subset (e.g. only onprem, deployed without bridge) may leave out stacks that depend on it.
if [ ${#stacks[@]} -gt 0 ]; then flags=(--ignore-missing-stack-dependencies); else mapfile -t stacks < <(node dist/scripts/stacks.js); fi
say "cdktf destroy ${stacks[*]}"
cdktf destroy "${stacks[@]}" --auto-approve "${CDKTF_FLAGS[@]}" "${flags[@]}" --output "${BRIDGE_OUTDIR:-cdktf.out}" >"$logdir/destroy.log" 2>&1 || {
  tail -n 40 "$logdir/destroy.log" >&2; say "destroy failed (full log: $logdir/destroy.log)"; exit 1; }
[ $purge = 0 ] || node dist/scripts/secrets.js remove
say "down"
