#!/usr/bin/env bash
# Counts "Graceful stop of task <prefix>-mm2-checkpoint-0 failed" over N REST restarts of the
# MirrorMaker 2 checkpoint task at random 3–12 s intervals (docs/mirrormaker2-checkpoint-stop.md).
# The task exists only once an on-prem consumer group has offsets for a replicated topic.
#   bench/checkpoint-stop.sh CONNECT_URL CONNECT_CONTAINER [N=12] [CONNECTOR=dc01-mm2-checkpoint]
#   e.g. bench/checkpoint-stop.sh http://127.0.0.1:28983 bridge-it3-connect-1 12
set -euo pipefail
url=$1 container=$2 n=${3:-12} connector=${4:-dc01-mm2-checkpoint}
count() { docker logs "$container" 2>&1 | grep -c "Graceful stop of task $connector-" || true; }
interval=$(curl -fsS "$url/connectors/$connector/config" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)["emit.checkpoints.interval.seconds"]??"(default 60)"))')
before=$(count)
for _ in $(seq 1 "$n"); do
  sleep $(((RANDOM % 10) + 3))
  curl -fsS -o /dev/null -X POST "$url/connectors/$connector/tasks/0/restart"
done
sleep 25 # the last stop's graceful timeout (20 s) has run out
echo "$(date -u +%FT%TZ) $connector emit.checkpoints.interval.seconds=$interval restarts=$n graceful_stop_failed=$(($(count) - before))"
