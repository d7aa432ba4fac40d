#!/bin/bash
# Health of bridge-to-azure/kafka: exit 0 only when the broker answers an ApiVersions/metadata
# round trip on its first listener that is not a controller listener.
#   KAFKA_HEALTHCHECK_BOOTSTRAP   host:port to probe (default: derived from the first broker listener)
#   KAFKA_HEALTHCHECK_CLIENT_PROPERTIES  client security properties file for that listener
#       (e.g. security.protocol=SASL_SSL, truststore, JAAS); default /run/secrets/kafka/healthcheck-client.properties if present
set -euo pipefail
. /opt/kafka/bin/kafka-common.sh
cfg=${KAFKA_RUNTIME_DIR:-/tmp/kafka}/server.properties
[ -r "$cfg" ] || { echo "no $cfg yet" >&2; exit 1; }
bootstrap=${KAFKA_HEALTHCHECK_BOOTSTRAP:-}
if [ -z "$bootstrap" ]; then
  ctl=$(get_prop "$cfg" controller.listener.names | tr ',' '\n')
  for l in $(get_prop "$cfg" listeners | tr ',' ' '); do
    name=${l%%://*}; hp=${l#*://}
    grep -qx "$name" <<<"$ctl" && continue
    host=${hp%:*}; port=${hp##*:}; [ -z "$host" ] || [ "$host" = 0.0.0.0 ] && host=127.0.0.1
    bootstrap=$host:$port; break
  done
fi
[ -n "$bootstrap" ] || { echo "no broker listener found" >&2; exit 1; }
# cheap pre-check: is the port open at all?
timeout 2 bash -c "exec 3<>/dev/tcp/${bootstrap%:*}/${bootstrap##*:}" 2>/dev/null || { echo "port $bootstrap closed" >&2; exit 1; }
props=${KAFKA_HEALTHCHECK_CLIENT_PROPERTIES:-/run/secrets/kafka/healthcheck-client.properties}
args=(--bootstrap-server "$bootstrap")
[ -r "$props" ] && args+=(--command-config "$props")
out=$(KAFKA_CLI_HEAP_OPTS=-Xmx96m timeout "${KAFKA_HEALTHCHECK_TIMEOUT:-25}" kafka-broker-api-versions "${args[@]}" 2>&1) || { echo "$out" | tail -n 3 >&2; exit 1; }
grep -q '(id: ' <<<"$out" || { echo "unexpected answer: $out" >&2; exit 1; }
echo "ok: broker answers on $bootstrap"
