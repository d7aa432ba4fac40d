#!/usr/bin/env bash
# Behaviour check for refactors: synthesize every stack of the app for the
# three targets (and a few richer configurations of each) into a directory,
# then diff two such directories. Identical output = identical infrastructure.
#
#   scripts/synth-compare.sh synth OUTDIR [TREE]   # TREE: a built work tree (default: this one)
#   scripts/synth-compare.sh ref REV OUTDIR        # build git revision REV in a temporary copy, synth it
#   scripts/synth-compare.sh diff BEFORE AFTER     # exit 0 when identical, 1 with a diff otherwise
#
# Example (a refactor against main):
#   scripts/synth-compare.sh ref main /tmp/synth-before
#   npm run -s build && scripts/synth-compare.sh synth /tmp/synth-after
#   scripts/synth-compare.sh diff /tmp/synth-before /tmp/synth-after
#
# Runs the real CLI path (`node dist/main.js`, as cdktf.json's "app" does) with
# every ambient BRIDGE_* variable removed, so only the cases below count.
# No Docker, no Terraform, no network.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

# name|named variables (space-separated K=V, may be empty)|BRIDGE_CONFIG JSON.
# Only valid configurations: the point is equal output, not equal errors.
CONFLUENT='"target":"confluent-cloud","confluentCloud":{"bootstrapServers":"pkc-12345.westeurope.azure.confluent.cloud:9092","environmentId":"env-abc12","clusterId":"lkc-xyz34"},"credentials":{"confluentApiKey":"confluent_api_key","confluentApiSecret":"confluent_api_secret","confluentCloudApiKey":"confluent_cloud_api_key","confluentCloudApiSecret":"confluent_cloud_api_secret","lakeAccessKey":"lake_access_key"}'
CASES=(
  'local-default||{}'
  'local-rich|BRIDGE_KAFKA_BROKERS=3 BRIDGE_CONNECT_WORKERS=2 BRIDGE_SIMULATOR_INTERVAL_MS=250|{"environment":"test","onPrem":{"database":{"flavour":"mysql","port":13406},"tables":["customers","sales_orders","sales_order_details"],"simulator":{"linesPerOrder":3}},"replication":{"topics":["dc01_sales_orders","dc01_sales_order_details"],"topicsPattern":"dc01_cust.*"},"azure":{"tags":{"owner":"data","cost-centre":"42"}}}'
  'local-dc02|BRIDGE_SIMULATOR_ENABLED=false BRIDGE_STORAGE_ACCOUNT=lakeabc|{"onPrem":{"dc":"dc02","kafka":{"basePort":19192},"connect":{"basePort":18183}},"local":{"kafkaPort":29192,"kafkaControllerPort":29193,"azuriteBlobPort":10100}}'
  'event-hubs||{"target":"event-hubs","credentials":{"eventHubsConnectionString":"event_hubs_connection_string"},"azure":{"network":{"mode":"selected-networks","onPremCidrs":["203.0.113.64/29"],"analystCidrs":["198.51.100.0/28"]}}}'
  'event-hubs-private||{"target":"event-hubs","credentials":{"eventHubsConnectionString":"event_hubs_connection_string"},"azure":{"network":{"onPremConnected":true},"eventHubs":{"capture":false}}}'
  'event-hubs-rich|BRIDGE_AZURE_LOCATION=swedencentral|{"target":"event-hubs","environment":"prod","credentials":{"eventHubsConnectionString":"eh_conn"},"azure":{"resourceGroupName":"rg-lake","sinkPrincipalId":"00000000-0000-0000-0000-000000000001","tags":{"owner":"data"},"storageAccount":{"replication":"GRS"},"network":{"mode":"selected-networks","runnerCidrs":["203.0.113.7"],"onPremCidrs":["203.0.113.64/29"],"analystCidrs":["198.51.100.0/28"]},"eventHubs":{"partitionCount":4,"capture":false}},"replication":{"topics":["dc01_sales_orders","dc01_sales_order_details"]},"backend":{"type":"azurerm","resourceGroupName":"rg-state","storageAccountName":"tfstate01","containerName":"tfstate"}}'
  "confluent-cloud||{${CONFLUENT},\"azure\":{\"storageAccount\":{\"sharedKeyAccess\":true},\"network\":{\"mode\":\"selected-networks\",\"confluentEgressCidrs\":[\"192.0.2.16\"],\"analystCidrs\":[\"198.51.100.0/28\"]}}}"
  "confluent-cloud-replicator||{${CONFLUENT},\"replication\":{\"engine\":\"replicator\",\"topicsPattern\":\"dc01_purchase.*\"},\"azure\":{\"storageAccount\":{\"sharedKeyAccess\":true},\"network\":{\"mode\":\"selected-networks\",\"confluentEgressCidrs\":[\"192.0.2.16\"],\"analystCidrs\":[\"198.51.100.0/28\"]}}}"
)

synth() {
  local out=$1 tree=${2:-$here}
  [ -f "$tree/dist/main.js" ] || { echo "synth-compare: $tree/dist/main.js missing: build first (npm run -s build)" >&2; exit 2; }
  rm -rf "$out" && mkdir -p "$out"
  local clean=() v
  for v in $(compgen -e); do case $v in BRIDGE_*) clean+=(-u "$v") ;; esac; done
  local c name vars json
  for c in "${CASES[@]}"; do
    IFS='|' read -r name vars json <<<"$c"
    # shellcheck disable=SC2086 # vars is a word list on purpose
    (cd "$tree" && env "${clean[@]}" CHECKPOINT_DISABLE=1 CDKTF_OUTDIR="$out/$name" BRIDGE_CONFIG="$json" $vars node dist/main.js) \
      || { echo "synth-compare: case $name failed" >&2; exit 1; }
    echo "synth-compare: $name: $(cd "$out/$name/stacks" && echo *)"
  done
}

ref() {
  local rev=$1 out=$2
  ref_tmp=$(mktemp -d "${TMPDIR:-/tmp}/synth-compare-XXXXXX")
  trap 'rm -rf "$ref_tmp"' EXIT
  local tmp=$ref_tmp
  git -C "$here" archive "$rev" | tar -x -C "$tmp"
  ln -s "$here/node_modules" "$tmp/node_modules"
  # -b: a tree with TypeScript project references (services/*) builds them first; plain projects build as with -p.
  (cd "$tmp" && node_modules/.bin/tsc -b tsconfig.json)
  synth "$out" "$tmp"
}

case ${1:-} in
  synth) [ $# -ge 2 ] || { echo "usage: $0 synth OUTDIR [TREE]" >&2; exit 2; }; synth "$2" "${3:-}" ;;
  ref) [ $# -eq 3 ] || { echo "usage: $0 ref REV OUTDIR" >&2; exit 2; }; ref "$2" "$3" ;;
  diff)
    [ $# -eq 3 ] || { echo "usage: $0 diff BEFORE AFTER" >&2; exit 2; }
    if diff -r "$2" "$3"; then echo "synth-compare: identical ($(find "$2" -name cdk.tf.json | wc -l) stacks)"; else echo "synth-compare: DIFFERENT" >&2; exit 1; fi
    ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
