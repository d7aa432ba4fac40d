#!/usr/bin/env bash
# The test command: installs what the tests need (like up.sh), then runs the
# unit tests and the integration tests, which deploy the real stacks with
# terraform on this machine's Docker engine and destroy them afterwards.
#   scripts/test.sh               # everything: unit, static checks, azure checks, integration, faults
#   scripts/test.sh unit          # unit tests only (no Docker needed)
#   scripts/test.sh faults        # only the fault-injection suite (test/integration/faults*.test.ts),
#                                 # also part of "everything" (its own jest project, run after the others)
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$BRIDGE_REPO"
if [ "${1:-all}" = unit ]; then
  # As bootstrap.sh: also when the lockfile changed (e.g. a new workspace package to link).
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund >/dev/null; fi
  npm run -s build
  exec npx jest --selectProjects unit
fi
if [ "${1:-all}" = faults ]; then
  scripts/bootstrap.sh
  . scripts/env.sh
  exec npx jest --selectProjects faults --runInBand --forceExit
fi
scripts/bootstrap.sh tools
# The cloud half's tools, built while the images build and the unit tests run: the azurerm provider
# (azure checks) and OpenTofu (test/integration/opentofu.test.ts). Cached: instant once built.
cloud_log=$BRIDGE_CACHE/cloud-tools.log
(BRIDGE_BUILD_AZURERM=1 scripts/providers.sh && scripts/opentofu.sh) >"$cloud_log" 2>&1 &
cloud_tools=$!
scripts/bootstrap.sh
. scripts/env.sh
npx jest --selectProjects unit
wait "$cloud_tools" || { tail -n 30 "$cloud_log" >&2; say "building the cloud tools failed (log: $cloud_log)"; exit 1; }
. scripts/env.sh # now with the azurerm build
# Static checks (workflows, shell scripts) and the cloud half without Azure: terraform validate and an
# offline terraform test against the real azurerm build, checkov on every target × network mode.
scripts/static-checks.sh
scripts/azure-checks.sh
scripts/chromium.sh # the console's browser test
# --forceExit: kafkajs keeps reconnect timers after disconnect.
npx jest --selectProjects integration faults --runInBand --forceExit
