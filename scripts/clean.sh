#!/usr/bin/env bash
# Removes every container and volume this project created on the Docker host
# (selected by the label io.bridge-to-azure.managed=true) and the local state,
# so a run starts from a clean slate. Built images stay as a cache.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$BRIDGE_REPO"
if docker info >/dev/null 2>&1; then
  ids=$(docker ps -aq --filter label=io.bridge-to-azure.managed=true)
  # shellcheck disable=SC2086 # docker's ids, one per line: split into words on purpose
  [ -z "$ids" ] || { say "removing containers: $(docker inspect -f '{{.Name}}' $ids | tr -d / | paste -sd' ')"; docker rm -f $ids >/dev/null; }
  vols=$(docker volume ls -q --filter label=io.bridge-to-azure.managed=true)
  # shellcheck disable=SC2086 # volume names, one per line (no blanks or glob characters allowed): split on purpose
  [ -z "$vols" ] || { say "removing volumes: $(paste -sd' ' <<<"$vols")"; docker volume rm -f $vols >/dev/null; }
fi
rm -rf .state cdktf.out cdktf.out.* .secrets
say "clean"
