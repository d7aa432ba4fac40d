#!/bin/bash
# Entrypoint of bridge-to-azure/prometheus, configured from the environment:
#   PROMETHEUS_CONFIG           the whole prometheus.yml (JSON is YAML), written to $PROMETHEUS_RUNTIME_DIR; required
#   PROMETHEUS_LISTEN           host:port of the UI and HTTP API (default 127.0.0.1:9090)
#   PROMETHEUS_RETENTION        --storage.tsdb.retention.time (default 7d)
#   PROMETHEUS_RETENTION_SIZE   --storage.tsdb.retention.size (default 1GB)
#   PROMETHEUS_RUNTIME_DIR      where the config is written (default /tmp/prometheus: a tmpfs, the root fs is read-only)
# The config is checked with promtool before Prometheus starts: a bad one stops the container with promtool's message.
set -euo pipefail
log() { printf '[prometheus-entrypoint] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [ $# -gt 0 ]; then exec "$@"; fi
[ -n "${PROMETHEUS_CONFIG:-}" ] || die "PROMETHEUS_CONFIG (the prometheus.yml text) is required"
rt=${PROMETHEUS_RUNTIME_DIR:-/tmp/prometheus}
mkdir -p "$rt"
cfg=$rt/prometheus.yml
printf '%s\n' "$PROMETHEUS_CONFIG" >"$cfg"
promtool check config --syntax-only "$cfg" >&2 || die "PROMETHEUS_CONFIG is not a valid configuration (promtool above)"
listen=${PROMETHEUS_LISTEN:-127.0.0.1:9090}
log "listening on http://$listen, retention ${PROMETHEUS_RETENTION:-7d} / ${PROMETHEUS_RETENTION_SIZE:-1GB}"
exec prometheus \
  --config.file="$cfg" \
  --web.listen-address="$listen" \
  --storage.tsdb.path=/var/lib/prometheus/metrics2 \
  --storage.tsdb.retention.time="${PROMETHEUS_RETENTION:-7d}" \
  --storage.tsdb.retention.size="${PROMETHEUS_RETENTION_SIZE:-1GB}" \
  --web.console.templates=/usr/share/prometheus/consoles \
  --web.console.libraries=/usr/share/prometheus/console_libraries
