#!/bin/bash
# Failed-task supervisor of bridge-to-azure/connect. Kafka Connect never restarts a FAILED connector
# or task by itself; every CONNECT_SUPERVISOR_INTERVAL_SECONDS (default 30) this loop asks the local
# worker for all connector states and, for each connector whose connector or any task is FAILED, calls
#   POST /connectors/<name>/restart?includeTasks=true&onlyFailed=true
# and logs it (with the first line of the failure trace). Started in the background by the entrypoint.
# With CONNECT_SUPERVISOR_HISTORY_FILE set it also appends each restart as one JSON line there (a volume
# the console mounts read-only: the restart history without the Docker socket, across container restarts).
set -uo pipefail
interval=${CONNECT_SUPERVISOR_INTERVAL_SECONDS:-30}
base=http://127.0.0.1:${CONNECT_REST_PORT:-8083}
history=${CONNECT_SUPERVISOR_HISTORY_FILE:-}
# The worker runs with umask 077; the console (another uid) reads this file through its read-only
# mount, so the file is made world-readable once (appends keep the mode). It holds restarts and the
# first line of failure traces, nothing the console does not show anyway.
if [ -n "$history" ]; then
  mkdir -p "$(dirname "$history")" 2>/dev/null || true
  touch "$history" 2>/dev/null && chmod 0644 "$history" 2>/dev/null || true
fi
log() { printf '%s [connect-task-supervisor] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$*" >&2; }
log "watching $base every ${interval}s"
while sleep "$interval"; do
  body=$(curl -fsS --max-time 10 "$base/connectors?expand=status" 2>/dev/null) || continue
  jq -r 'to_entries[] | .value.status
         | select(.connector.state == "FAILED" or any(.tasks[]?; .state == "FAILED"))
         | [.name, .connector.state, ([.tasks[]? | select(.state == "FAILED") | .id | tostring] | join(",")),
            ((.connector.trace // ([.tasks[]? | select(.state == "FAILED") | .trace][0]) // "") | split("\n")[0])] | @tsv' \
     <<<"$body" 2>/dev/null |
  while IFS=$'\t' read -r name cstate ftasks why; do
    enc=$(jq -rn --arg s "$name" '$s|@uri')
    code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 -X POST \
           "$base/connectors/$enc/restart?includeTasks=true&onlyFailed=true")
    log "restart connector=$name connector_state=$cstate failed_tasks=[${ftasks}] -> HTTP $code; cause: ${why:0:300}"
    [ -z "$history" ] || jq -cn --arg at "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" --arg worker "${CONNECT_REST_PORT:-8083}" --arg c "$name" \
      --arg s "$cstate" --arg t "$ftasks" --arg code "$code" --arg why "${why:0:300}" \
      '{at:$at, worker:$worker, connector:$c, connectorState:$s, failedTasks:$t, http:($code|tonumber? // 0), cause:$why}' >>"$history" 2>/dev/null || true
  done
done
