#!/bin/bash
# Health of bridge-to-azure/connect: exit 0 only when the REST API answers on 127.0.0.1:$CONNECT_REST_PORT,
# GET /health reports the worker healthy (it has joined the group and read the config topic) and
# GET /connectors succeeds.
set -euo pipefail
base=http://127.0.0.1:${CONNECT_REST_PORT:-8083}
curl -fsS --max-time 5 "$base/" >/dev/null || { echo "REST not answering on $base" >&2; exit 1; }
h=$(curl -sS --max-time 10 "$base/health") || { echo "GET /health failed" >&2; exit 1; }
[ "$(jq -r .status <<<"$h" 2>/dev/null)" = healthy ] || { echo "worker not healthy: $h" >&2; exit 1; }
curl -fsS --max-time 10 "$base/connectors" >/dev/null || { echo "GET /connectors failed" >&2; exit 1; }
echo "ok: $h"
