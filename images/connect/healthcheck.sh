#!/bin/bash
# Health of bridge-to-azure/connect: exit 0 only when the REST API answers on 127.0.0.1:$CONNECT_REST_PORT,
# GET /health reports the worker healthy (it has joined the group and read the config topic),
# GET /connectors succeeds, and — when CONNECT_METRICS_PORT is set (the JMX exporter serves
# http://127.0.0.1:$CONNECT_METRICS_PORT/metrics) — no Debezium task on this worker has stalled capture:
#   STALLED when a streaming task reports Connected = 0 (its binlog client lost the database), or
#   when its MilliSecondsSinceLastEvent exceeds CONNECT_CAPTURE_STALL_AFTER_MS while connected
#   (the database sends a binlog heartbeat to the client on a quiet binlog, so on a healthy quiet
#   database this stays below the heartbeat interval; the bound is derived from it in connectors/debezium.ts).
# A task that is snapshotting is not judged. A worker without Debezium tasks has no such metrics.
# The capture state is printed on every run (docker inspect shows it under .State.Health.Log).
# Nothing acts on "unhealthy": Docker only restarts a container that exits, and Terraform waits for
# "healthy" only when it creates the container.
set -euo pipefail
base=http://127.0.0.1:${CONNECT_REST_PORT:-8083}
curl -fsS --max-time 5 "$base/" >/dev/null || { echo "REST not answering on $base" >&2; exit 1; }
h=$(curl -sS --max-time 10 "$base/health") || { echo "GET /health failed" >&2; exit 1; }
[ "$(jq -r .status <<<"$h" 2>/dev/null)" = healthy ] || { echo "worker not healthy: $h" >&2; exit 1; }
curl -fsS --max-time 10 "$base/connectors" >/dev/null || { echo "GET /connectors failed" >&2; exit 1; }
[ -n "${CONNECT_METRICS_PORT:-}" ] || { echo "ok: $h"; exit 0; }

bound=${CONNECT_CAPTURE_STALL_AFTER_MS:?CONNECT_CAPTURE_STALL_AFTER_MS is required with CONNECT_METRICS_PORT}
m=$(curl -fsS --max-time 5 "http://127.0.0.1:$CONNECT_METRICS_PORT/metrics") ||
  { echo "metrics not answering on 127.0.0.1:$CONNECT_METRICS_PORT" >&2; exit 1; }
# One line per Debezium task (plugin/server/task): "<state> capture <server>: connected=… …".
capture=$(awk -v bound="$bound" '
  /^debezium_(streaming|snapshot)_/ {
    if (!match($0, /\{[^}]*\}/)) next
    key = substr($0, RSTART + 1, RLENGTH - 2)
    split($1, parts, "{"); name = parts[1]
    v[name, key] = $NF + 0; keys[key] = 1
  }
  END {
    for (k in keys) {
      if (!((("debezium_streaming_connected") SUBSEP k) in v)) continue
      srv = k; sub(/.*server="/, "", srv); sub(/".*/, "", srv)
      c = v["debezium_streaming_connected", k]
      ms = v["debezium_streaming_millisecondssincelastevent", k]
      behind = v["debezium_streaming_millisecondsbehindsource", k]
      q = v["debezium_streaming_queueremainingcapacity", k] "/" v["debezium_streaming_queuetotalcapacity", k]
      snap = v["debezium_snapshot_snapshotrunning", k]
      state = "streaming"
      if (snap == 1) state = "snapshot"
      else if (c != 1) state = "STALLED(not connected)"
      else if (ms > bound) state = "STALLED(no binlog event for " ms " ms > " bound " ms)"
      printf "%s capture %s: connected=%d ms_since_last_event=%d behind_source_ms=%d queue=%s\n", state, srv, c, ms, behind, q
    }
  }' <<<"$m")
[ -n "$capture" ] || capture="no Debezium task on this worker"
if grep -q '^STALLED' <<<"$capture"; then
  echo "$capture" >&2
  exit 1
fi
echo "ok: $h; $capture"
