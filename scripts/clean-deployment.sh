#!/usr/bin/env bash
# Removes what one deployment (BRIDGE_ENVIRONMENT, default dev) left on the Docker host and its local state,
# e.g. after an interrupted run. Other deployments on the host are left alone.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$BRIDGE_REPO"
npm run -s build
# shellcheck disable=SC2016 # a JavaScript template literal, not a shell expansion
prefix=$(node -e 'const {projectConfig}=require("./dist/scripts/lib/project-config");const c=projectConfig();console.log(`${c.project}-${c.environment}`)')
env_name=${prefix#*-}
ids=$(docker ps -aq --filter "label=io.bridge-to-azure.deployment=$prefix")
# shellcheck disable=SC2086 # docker's ids, one per line: split into words on purpose
[ -z "$ids" ] || docker rm -f $ids >/dev/null
vols=$(docker volume ls -q --filter "label=io.bridge-to-azure.deployment=$prefix")
# shellcheck disable=SC2086 # volume names, one per line (no blanks or glob characters allowed): split on purpose
[ -z "$vols" ] || docker volume rm -f $vols >/dev/null
rm -rf ".state/$env_name" ".secrets/$prefix"
say "cleaned deployment $prefix"
