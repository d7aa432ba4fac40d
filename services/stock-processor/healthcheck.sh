#!/bin/sh
# Health of bridge-to-azure/stock-processor: exit 0 only when the Kafka Streams client's last state
# (written by the processor to STOCK_HEALTH_FILE on every state change) is RUNNING. No JVM per check.
f=${STOCK_HEALTH_FILE:-/var/lib/stock-processor/health}
[ -r "$f" ] || { echo "no $f yet" >&2; exit 1; }
state=$(cat "$f")
[ "$state" = RUNNING ] || { echo "state $state" >&2; exit 1; }
