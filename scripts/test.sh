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
scripts/bootstrap.sh
. scripts/env.sh
if [ "${1:-all}" = faults ]; then
  exec npx jest --selectProjects faults --runInBand --forceExit
fi
npx jest --selectProjects unit
# Static checks (workflows, shell scripts) and the cloud half without Azure: terraform validate and an
# offline terraform test against the real azurerm build, checkov on every target × network mode.
scripts/static-checks.sh
scripts/azure-checks.sh
# --forceExit: kafkajs keeps reconnect timers after disconnect.
npx jest --selectProjects integration faults --runInBand --forceExit
