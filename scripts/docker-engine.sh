#!/usr/bin/env bash
# Make sure a Docker engine answers. When none does, install Debian's docker.io and
# start dockerd without a bridge or iptables: every container of this project uses
# host networking on loopback ports.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  echo "docker-engine: engine answers ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker-engine: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

log=${DOCKERD_LOG:-/var/log/dockerd-bridge-to-azure.log}
echo "docker-engine: starting dockerd (log: $log)"
nohup dockerd --bridge=none --iptables=false --ip6tables=false >"$log" 2>&1 &

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "docker-engine: engine up ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
echo "docker-engine: dockerd did not answer within 60 s; last log lines:" >&2
tail -n 20 "$log" >&2
exit 1
