#!/bin/bash
# Health of bridge-to-azure/kafka: exit 0 only when the broker answers an ApiVersions request on its
# first listener that is not a controller listener (a hand-written request; no JVM per check).
#   KAFKA_HEALTHCHECK_BOOTSTRAP   host:port to probe (default: derived from the first broker listener)
#   KAFKA_HEALTHCHECK_PROTOCOL    PLAINTEXT, SASL_PLAINTEXT, SSL or SASL_SSL (default: from listener.security.protocol.map)
set -euo pipefail
# shellcheck source=../common/kafka-common.sh
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
# ApiVersions v0 (api key 18, correlation id 1, client id "hc") written by hand instead of
# kafka-broker-api-versions: that tool starts a JVM (about 1.5 CPU-seconds) every 5 s per broker,
# which alone saturated a 2-core machine with a few deployments. Brokers answer ApiVersions before
# any SASL handshake, so one probe serves PLAINTEXT and (through openssl) SSL/SASL_SSL listeners.
listener_protocol() {
  local name
  for l in $(get_prop "$cfg" listeners | tr ',' ' '); do
    [ "${l#*://}" = "$1" ] || [ "127.0.0.1:${l##*:}" = "$1" ] || continue
    name=${l%%://*}
    get_prop "$cfg" listener.security.protocol.map | tr ',' '\n' | sed -n "s/^$name://p" | head -n1
    return
  done
}
proto=${KAFKA_HEALTHCHECK_PROTOCOL:-$(listener_protocol "$bootstrap")}
host=${bootstrap%:*}; port=${bootstrap##*:}
request='\x00\x00\x00\x0c\x00\x12\x00\x00\x00\x00\x00\x01\x00\x02hc'
case "${proto:-PLAINTEXT}" in
  PLAINTEXT|SASL_PLAINTEXT)
    # shellcheck disable=SC2016 # expanded by the inner bash, from its positional parameters
    answer=$(timeout "${KAFKA_HEALTHCHECK_TIMEOUT:-8}" bash -c \
      'exec 3<>/dev/tcp/$0/$1 && printf %b "$2" >&3 && head -c 10 <&3 | od -An -tx1' "$host" "$port" "$request" 2>/dev/null) ||
      { echo "no ApiVersions answer on $bootstrap ($proto)" >&2; exit 1; } ;;
  SSL|SASL_SSL)
    answer=$( (printf %b "$request"; sleep 2) | timeout "${KAFKA_HEALTHCHECK_TIMEOUT:-8}" openssl s_client -quiet -no_ign_eof \
      -connect "$bootstrap" 2>/dev/null | head -c 10 | od -An -tx1) ||
      { echo "no ApiVersions answer on $bootstrap ($proto)" >&2; exit 1; } ;;
  *) echo "unknown listener protocol '$proto' for $bootstrap" >&2; exit 1 ;;
esac
# size (4 bytes), correlation id 1, error code 0 (NONE)
answer=$(tr -d ' \n' <<<"$answer")
[ "${answer:8:12}" = 000000010000 ] || { echo "unexpected ApiVersions answer on $bootstrap: ${answer:-none}" >&2; exit 1; }
echo "ok: broker answers ApiVersions on $bootstrap ($proto)"
