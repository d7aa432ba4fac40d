#!/bin/sh
# The container health check of a service that judges itself (HeartbeatFile.judgeWith, src/heartbeat.ts),
# without starting node (a node start costs about 0.27 s of CPU here; every 10 s that is 2.7 % of a core):
#   heartbeat-check.sh FILE
# Unhealthy (exit 1) when the file is missing, older than its maxAgeMs (the service rewrites it every
# second while its event loop runs), or its verdict says so; else prints the verdict and exits 0.
f=${1:?usage: heartbeat-check.sh FILE}
if [ ! -r "$f" ]; then echo "unhealthy: cannot read heartbeat $f"; exit 1; fi
text=$(cat "$f") || exit 1
max=$(printf '%s' "$text" | sed -n 's/.*"maxAgeMs":\([0-9][0-9]*\).*/\1/p')
verdict=$(printf '%s' "$text" | sed -n 's/.*"health":"\([^"]*\)".*/\1/p')
age_ms=$((($(date +%s) - $(stat -c %Y "$f")) * 1000))
if [ -z "$max" ] || [ -z "$verdict" ]; then echo "unhealthy: heartbeat $f has no maxAgeMs or no verdict (health)"; exit 1; fi
# mtime has whole seconds: an age up to 999 ms short; the limit is seconds long.
if [ "$age_ms" -gt "$max" ]; then echo "unhealthy: heartbeat about ${age_ms} ms old (limit ${max} ms)"; exit 1; fi
echo "$verdict"
case $verdict in unhealthy*) exit 1 ;; esac
exit 0
