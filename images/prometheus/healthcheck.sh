#!/bin/bash
# Health of bridge-to-azure/prometheus: its /-/ready answers 200 (TSDB open, config loaded). No curl in the
# image: bash's /dev/tcp on the loopback listener.
set -uo pipefail
listen=${PROMETHEUS_LISTEN:-127.0.0.1:9090}
exec 3<>"/dev/tcp/${listen%:*}/${listen##*:}" || { echo "not listening on $listen"; exit 1; }
printf 'GET /-/ready HTTP/1.0\r\nHost: %s\r\n\r\n' "$listen" >&3
read -r -t 5 status <&3 || { echo "no answer on $listen"; exit 1; }
case "$status" in
  *" 200 "*) echo "ready: $listen"; exit 0 ;;
  *) echo "not ready: $status"; exit 1 ;;
esac
