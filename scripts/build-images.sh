#!/usr/bin/env bash
# Build the bridge-to-azure container images, air-gapped:
#   bridge-to-azure/kafka:<kafkaVersion>
#   bridge-to-azure/connect:<kafkaVersion>-dbz<debeziumVersion>
#   bridge-to-azure/mariadb:10.11
# Every image is FROM debian:bookworm-slim (scripts/base-image.sh); Debian packages come from
# Debian's mirror (docker build --network host); jars come from Maven Central through the host's
# mvn, pinned in images/jars/*/pom.xml, cached under $BRIDGE_CACHE/jars/<set>.
#
# usage: scripts/build-images.sh [kafka] [connect] [mariadb]      (default: all three)
# env:   FORCE=1          rebuild even when the tag exists (and re-copy jars)
#        BRIDGE_CACHE     cache dir (default ~/.cache/bridge-to-azure): jars/, contexts/, build-log.tsv
#        NO_CACHE=1       docker build --no-cache
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${BRIDGE_CACHE:-$HOME/.cache/bridge-to-azure}
mkdir -p "$cache/jars" "$cache/contexts"

pom_prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$repo/images/jars/kafka/pom.xml" | head -n1; }
KAFKA_VERSION=$(pom_prop kafka.version)
DEBEZIUM_VERSION=$(pom_prop debezium.version)
DEBEZIUM_MARIADB_VERSION=$(pom_prop debezium.mariadb.version)
MARIADB_SERIES=10.11

declare -A TAG=(
  [kafka]="bridge-to-azure/kafka:${KAFKA_VERSION}"
  [connect]="bridge-to-azure/connect:${KAFKA_VERSION}-dbz${DEBEZIUM_VERSION}"
  [mariadb]="bridge-to-azure/mariadb:${MARIADB_SERIES}"
)
declare -A JARSETS=(
  [kafka]="kafka"
  [connect]="kafka debezium-mariadb debezium-mysql mirrormaker2"
  [mariadb]=""
)

say() { printf '[build-images] %s\n' "$*" >&2; }

# fetch_jars SET: mvn copy-dependencies of images/jars/SET/pom.xml into $cache/jars/SET,
# redone only when the pom changed (stamp = sha256 of the pom) or FORCE=1 (once per run).
declare -A FETCHED=()
fetch_jars() {
  local set=$1 pom="$repo/images/jars/$1/pom.xml" out="$cache/jars/$1" sum
  sum=$(sha256sum "$pom" | cut -d' ' -f1)
  if { [ "${FORCE:-0}" != 1 ] || [ -n "${FETCHED[$set]:-}" ]; } &&
     [ -f "$out/.pom.sha256" ] && [ "$(cat "$out/.pom.sha256")" = "$sum" ]; then
    say "jars/$set: cached ($(find "$out" -name '*.jar' | wc -l) jars)"; return 0
  fi
  say "jars/$set: mvn dependency:copy-dependencies"
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  if ! mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$out.tmp" >"$cache/mvn-$set.log" 2>&1; then
    cat "$cache/mvn-$set.log" >&2; say "jars/$set: mvn failed"; return 1
  fi
  rm -rf "$out"; mv "$out.tmp" "$out"
  echo "$sum" >"$out/.pom.sha256"
  FETCHED[$set]=1
  (cd "$out" && ls -1 *.jar >MANIFEST.txt)
  say "jars/$set: $(find "$out" -name '*.jar' | wc -l) jars, $(du -sh "$out" | cut -f1)"
}

build() {
  local img=$1 tag=${TAG[$1]} ctx="$cache/contexts/$1" t0 t1 set
  if [ "${FORCE:-0}" != 1 ] && docker image inspect "$tag" >/dev/null 2>&1; then
    say "$tag exists, skipped (FORCE=1 rebuilds)"; return 0
  fi
  for set in ${JARSETS[$img]}; do fetch_jars "$set"; done
  rm -rf "$ctx"; mkdir -p "$ctx/jars"
  cp -a "$repo/images/$img/." "$ctx/"
  cp -a "$repo/images/common" "$ctx/common"
  for set in ${JARSETS[$img]}; do cp -a "$cache/jars/$set" "$ctx/jars/$set"; rm -f "$ctx/jars/$set/.pom.sha256"; done
  say "building $tag (context $ctx)"
  t0=$(date +%s)
  docker build --network host ${NO_CACHE:+--no-cache} \
    --build-arg KAFKA_VERSION="$KAFKA_VERSION" \
    --build-arg DEBEZIUM_VERSION="$DEBEZIUM_VERSION" \
    --build-arg DEBEZIUM_MARIADB_VERSION="$DEBEZIUM_MARIADB_VERSION" \
    --label io.bridge-to-azure.managed=true \
    -t "$tag" "$ctx" >&2
  t1=$(date +%s)
  local size; size=$(docker image inspect -f '{{.Size}}' "$tag")
  say "built $tag in $((t1 - t0)) s, $((size / 1024 / 1024)) MiB"
  printf '%s\t%s\t%ss\t%sMiB\n' "$(date -u +%FT%TZ)" "$tag" "$((t1 - t0))" "$((size / 1024 / 1024))" >>"$cache/build-log.tsv"
}

"$repo/scripts/docker-engine.sh" >&2
"$repo/scripts/base-image.sh" >&2
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(kafka connect mariadb)
for t in "${targets[@]}"; do
  [ -n "${TAG[$t]:-}" ] || { say "unknown image $t (kafka|connect|mariadb)"; exit 2; }
  build "$t"
done
for t in "${targets[@]}"; do say "ready: ${TAG[$t]}"; done
