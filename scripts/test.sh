#!/usr/bin/env bash
# The test command: installs what the tests need (like up.sh), then runs the
# unit tests and the integration tests, which deploy the real stacks with
# terraform on this machine's Docker engine and destroy them afterwards.
#   scripts/test.sh               # everything: unit, static checks, azure checks, integration, faults
#   scripts/test.sh unit          # unit tests only (no Docker needed)
#   scripts/test.sh faults        # only the fault-injection suite (test/integration/faults*.test.ts),
#                                 # also part of "everything" (its own jest project, run after the others)
#   scripts/test.sh integration   # only the integration tests, then the fault suite
# env: BRIDGE_IT_LANES=1          integration tests one after the other (default 2: two lanes, two deployments
#                                 at once; the fault suite after them, alone)
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$BRIDGE_REPO"
# The Java services' unit and topology tests (Maven Surefire; jars from Maven Central, cached in ~/.m2:
# offline once warm). services/stock-processor: about 35 s warm on 2 cores, see its README.
java_unit() { mvn -q -B -f services/stock-processor/pom.xml test; }
if [ "${1:-all}" = unit ]; then
  # As bootstrap.sh: also when the lockfile changed (e.g. a new workspace package to link).
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund >/dev/null; fi
  npm run -s build
  java_unit
  exec npx jest --selectProjects unit
fi
if [ "${1:-all}" = faults ]; then
  scripts/bootstrap.sh
  . scripts/env.sh
  exec npx jest --selectProjects faults --runInBand --forceExit
fi
integration_tests() {
  scripts/chromium.sh # Debian's chromium for the console's browser test
  # --forceExit: kafkajs keeps reconnect timers after disconnect.
  if [ "${BRIDGE_IT_LANES:-2}" = 2 ]; then
    # Two lanes, each its own deployment (harness.ts: slot 0 and slot 5, ports 300·slot apart): most of
    # an integration test is waiting on containers, so two overlap on two cores. Lane B names its files;
    # lane A runs every other integration test, so a new test can never be left out. The fault suite,
    # whose bounds are timings, runs after both, alone.
    # Balanced by their durations in a two-lane CI run (docs/benchmarks.md "Integration tests").
    lane_b=(bridge sink-recovery capture-stall metrics)
    lane_b_re=$(IFS='|'; echo "/dist/test/integration/(${lane_b[*]})\\.test\\.js$")
    log_a=$BRIDGE_CACHE/it-lane-a.log; log_b=$BRIDGE_CACHE/it-lane-b.log
    # Interrupted: stop both lanes and their jest workers (the whole process group), not only this shell.
    trap 'trap - INT TERM; kill 0' INT TERM
    t0=$SECONDS
    BRIDGE_IT_SLOT=0 npx jest --selectProjects integration --runInBand --forceExit --testPathIgnorePatterns "$lane_b_re" '/node_modules/' 'faults[^/]*\.test\.js$' >"$log_a" 2>&1 &
    a=$!
    BRIDGE_IT_SLOT=5 npx jest --selectProjects integration --runInBand --forceExit "$lane_b_re" >"$log_b" 2>&1 &
    b=$!
    rc=0
    wait "$a" || rc=1
    wait "$b" || rc=1
    cat "$log_a" "$log_b"
    say "integration lanes done in $((SECONDS - t0)) s"
    trap - INT TERM
    # The fault suite runs even after a failed lane: one CI run reports every failure.
    npx jest --selectProjects faults --runInBand --forceExit || rc=1
    [ "$rc" = 0 ] || { say "integration tests failed (lanes: $log_a, $log_b)"; exit 1; }
  else
    npx jest --selectProjects integration faults --runInBand --forceExit
  fi
}
if [ "${1:-all}" = integration ]; then
  scripts/bootstrap.sh
  . scripts/env.sh
  integration_tests
  exit
fi
scripts/bootstrap.sh tools
# The cloud half's tools, built while the images build and the unit tests run: the azurerm provider
# (azure checks) and OpenTofu (test/integration/opentofu.test.ts). Cached: instant once built.
cloud_log=$BRIDGE_CACHE/cloud-tools.log
(BRIDGE_BUILD_AZURERM=1 scripts/providers.sh && scripts/opentofu.sh) >"$cloud_log" 2>&1 &
cloud_tools=$!
scripts/bootstrap.sh
. scripts/env.sh
java_unit
npx jest --selectProjects unit
wait "$cloud_tools" || { tail -n 30 "$cloud_log" >&2; say "building the cloud tools failed (log: $cloud_log)"; exit 1; }
. scripts/env.sh # now with the azurerm build
# Static checks (workflows, shell scripts) and the cloud half without Azure: terraform validate and an
# offline terraform test against the real azurerm build, checkov on every target × network mode.
scripts/static-checks.sh
scripts/azure-checks.sh
integration_tests
