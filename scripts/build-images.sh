#!/usr/bin/env bash
# Build the bridge-to-azure container images, air-gapped:
#   bridge-to-azure/kafka:<kafkaVersion>
#   bridge-to-azure/connect:<kafkaVersion>-dbz<debeziumVersion>
#   bridge-to-azure/mariadb:10.11
#   bridge-to-azure/node-runtime:18-bookworm, bridge-to-azure/node-build:18-bookworm
#                                         (images/node-base: Debian's nodejs, once for all Node services; built
#                                          first whenever a Node service is a target)
#   bridge-to-azure/simulator:0.1.0, bridge-to-azure/lake-sink:0.1.0, bridge-to-azure/console:0.1.0
#                                         (Node services, FROM node-build/node-runtime: context = repo root,
#                                          after `npm run build`)
#   bridge-to-azure/azurite:3.35.0        (npm azurite; context = images/azurite)
#   bridge-to-azure/stock-processor:0.1.0 (Java service: the host's mvn packages services/stock-processor,
#                                          context = its Dockerfile, healthcheck and target/{jar,lib})
#   bridge-to-azure/prometheus:2.42.0     (Debian's prometheus package)
# Every image is FROM debian:bookworm-slim (scripts/base-image.sh); Debian packages come from
# Debian's mirror (docker build --network host); jars come from Maven Central through the host's
# mvn, pinned in images/jars/*/pom.xml, cached under $BRIDGE_CACHE/jars/<set>.
#
# usage: scripts/build-images.sh [kafka] [connect] [mariadb] [simulator] [lake-sink] [azurite] [stock-processor] [prometheus] [console]   (default: all)
# An image is rebuilt when its inputs changed: each image carries the label
# io.bridge-to-azure.source-hash (sha256 of its Dockerfile, scripts, poms and compiled code).
# Two lanes build at once (the Node base, Node services and azurite; the Java and JVM/Debian images),
# each image's full output in $BRIDGE_CACHE/logs/<image><suffix>.log; one line per image here, and the
# tail of its log when it fails.
# env:   FORCE=1          rebuild even when the hash matches (and re-copy jars)
#        BRIDGE_CACHE     cache dir (default ~/.cache/bridge-to-azure): jars/, contexts/, build-log.tsv
#        NO_CACHE=1       docker build --no-cache
#        BUILD_JOBS=1     one lane after the other (default 2: the lanes in parallel)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${BRIDGE_CACHE:-$HOME/.cache/bridge-to-azure}
logs="$cache/logs"
mkdir -p "$cache/jars" "$cache/contexts" "$logs"

pom_prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$repo/images/jars/kafka/pom.xml" | head -n1; }
KAFKA_VERSION=$(pom_prop kafka.version)
DEBEZIUM_VERSION=$(pom_prop debezium.version)
DEBEZIUM_MARIADB_VERSION=$(pom_prop debezium.mariadb.version)
MARIADB_SERIES=10.11
# Debian bookworm's prometheus package (images/prometheus/Dockerfile pins the exact Debian version).
PROMETHEUS_VERSION=$(sed -n 's/^ARG PROMETHEUS_DEB_VERSION=\([0-9.]*\)+.*/\1/p' "$repo/images/prometheus/Dockerfile")

# Debian bookworm's nodejs is v18 (the services' package.json pins their dependencies to Node-18 releases).
NODE_BASE_TAG=18-bookworm
declare -A TAG=(
  [node-runtime]="bridge-to-azure/node-runtime:${NODE_BASE_TAG}"
  [node-build]="bridge-to-azure/node-build:${NODE_BASE_TAG}"
  [kafka]="bridge-to-azure/kafka:${KAFKA_VERSION}"
  [connect]="bridge-to-azure/connect:${KAFKA_VERSION}-dbz${DEBEZIUM_VERSION}"
  [mariadb]="bridge-to-azure/mariadb:${MARIADB_SERIES}"
  [simulator]="bridge-to-azure/simulator:$(node -p 'require(process.argv[1]).version' "$repo/services/simulator/package.json")"
  [lake-sink]="bridge-to-azure/lake-sink:$(node -p 'require(process.argv[1]).version' "$repo/services/lake-sink/package.json")"
  [console]="bridge-to-azure/console:$(node -p 'require(process.argv[1]).version' "$repo/services/console/package.json")"
  [azurite]="bridge-to-azure/azurite:$(node -p 'require(process.argv[1]).dependencies.azurite' "$repo/images/azurite/package.json")"
  [stock-processor]="bridge-to-azure/stock-processor:$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' "$repo/services/stock-processor/pom.xml")"
  [prometheus]="bridge-to-azure/prometheus:${PROMETHEUS_VERSION}"
)
# BRIDGE_IMAGE_TAG_SUFFIX (e.g. "-wt1"): tags of a work tree of its own, so that several trees can
# build and test at once (test/integration/harness.ts deploys the same suffix).
if [ -n "${BRIDGE_IMAGE_TAG_SUFFIX:-}" ]; then
  for t in "${!TAG[@]}"; do TAG[$t]="${TAG[$t]}${BRIDGE_IMAGE_TAG_SUFFIX}"; done
fi
# Node services: Dockerfile inside the service, context = repo root (see .dockerignore).
declare -A NODE_DOCKERFILE=(
  [simulator]="services/simulator/Dockerfile"
  [lake-sink]="services/lake-sink/Dockerfile"
  [console]="services/console/Dockerfile"
)
# What a Node image carries besides its service and the kit (the console runs verify/ and its lake-sink import).
declare -A NODE_EXTRA_SOURCES=([console]="verify dist/verify dist/services/lake-sink/src/position.js")
# Java services: a Maven project in the service dir; the host's mvn builds the jar and its lib/ first.
declare -A JAVA_SERVICE=([stock-processor]="services/stock-processor")
# Images whose own directory is the whole build context (npm packages, no jars).
declare -A NPM_IMAGE=([azurite]=1)
# The shared Node base: one Dockerfile (images/node-base), one --target per image.
declare -A NODE_BASE_TARGET=([node-runtime]=runtime [node-build]=build)
declare -A JARSETS=(
  [kafka]="kafka jmx-exporter"
  [connect]="kafka debezium-mariadb debezium-mysql debezium-jdbc mirrormaker2 jmx-exporter"
  [mariadb]=""
  [azurite]=""
  [prometheus]=""
)

say() { printf '[build-images] %s\n' "$*" >&2; }

# fetch_jars SET: mvn copy-dependencies of images/jars/SET/pom.xml into $cache/jars/SET,
# redone only when the pom changed (stamp = sha256 of the pom) or FORCE=1 (once per run).
declare -A FETCHED=()
for set in ${BRIDGE_JARS_FETCHED:-}; do FETCHED[$set]=1; done # fetched by this run's parent (see below)
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
  (cd "$out" && ls -1 -- *.jar >MANIFEST.txt)
  say "jars/$set: $(find "$out" -name '*.jar' | wc -l) jars, $(du -sh "$out" | cut -f1)"
}

# source_hash IMG: hash of everything the image is built from.
source_hash() {
  local img=$1
  if [ -n "${JAVA_SERVICE[$img]:-}" ]; then
    # Sources, pom, Dockerfile and health check; not target/ (the build's output).
    (cd "$repo" && find "${JAVA_SERVICE[$img]}" -type f -not -path '*/target/*' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
  elif [ -n "${NODE_DOCKERFILE[$img]:-}" ]; then
    local dir; dir=$(dirname "${NODE_DOCKERFILE[$img]}")
    # services/kit: the service kit every Node image carries (sources and build).
    # shellcheck disable=SC2086 # word splitting of the extra source list is intended
    # images/node-base: the base the image is FROM (a new base rebuilds the service images).
    (cd "$repo" && find "$dir" "dist/$dir" services/kit images/node-base ${NODE_EXTRA_SOURCES[$img]:-} -type f -not -path '*/node_modules/*' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
  elif [ -n "${NODE_BASE_TARGET[$img]:-}" ]; then
    (cd "$repo/images" && find node-base -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
  else
    local extra=(common jars); [ -z "${NPM_IMAGE[$img]:-}" ] || extra=()
    (cd "$repo/images" && find "$img" "${extra[@]}" -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
  fi
}

extra_ca() { cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true; }

build_node() {
  local img=$1 tag=${TAG[$1]} hash=$2 t0 t1
  [ -d "$repo/dist/services" ] && [ -d "$repo/services/kit/dist/src" ] || { say "dist/ missing: run npm run build first"; return 1; }
  say "building $tag (context: repo root, ${NODE_DOCKERFILE[$img]})"
  t0=$(date +%s)
  # A TLS-intercepting proxy between the build and the npm registry needs its CA (build stage only).
  docker build --network host ${NO_CACHE:+--no-cache} -f "$repo/${NODE_DOCKERFILE[$img]}" \
    --build-arg EXTRA_CA_CERTS="$(extra_ca)" \
    --build-arg NODE_RUNTIME="${TAG[node-runtime]}" --build-arg NODE_BUILD="${TAG[node-build]}" \
    --label io.bridge-to-azure.managed=true --label "io.bridge-to-azure.source-hash=$hash" \
    -t "$tag" "$repo" >&2
  t1=$(date +%s)
  say "built $tag in $((t1 - t0)) s"
}

# build_java IMG HASH: mvn package (tests run in scripts/test.sh unit), then the image from a staged context.
build_java() {
  local img=$1 tag=${TAG[$1]} hash=$2 dir="$repo/${JAVA_SERVICE[$1]}" ctx="$cache/contexts/$1${BRIDGE_IMAGE_TAG_SUFFIX:-}" t0 t1
  say "$img: mvn package"
  if ! mvn -B -q -f "$dir/pom.xml" -DskipTests package >"$cache/mvn-$img.log" 2>&1; then
    cat "$cache/mvn-$img.log" >&2; say "$img: mvn failed"; return 1
  fi
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp -a "$dir/Dockerfile" "$dir/healthcheck.sh" "$dir/target/$img.jar" "$dir/target/lib" "$ctx/"
  # RocksDB's JNI library, unpacked from its jar here (the host's JDK `jar`): loaded from the image via
  # java.library.path, RocksDB need not extract it to /tmp at run time, which fails on a noexec tmpfs /tmp
  # (Docker's default) and on a read-only root file system. Only the build host's architecture.
  mkdir -p "$ctx/native"
  local so=""
  case "$(uname -m)" in x86_64) so=librocksdbjni-linux64.so ;; aarch64) so=librocksdbjni-linux-aarch64.so ;; esac
  local rocks=("$ctx"/lib/rocksdbjni-*.jar)
  if [ -n "$so" ] && [ -e "${rocks[0]}" ]; then
    (cd "$ctx/native" && jar xf "${rocks[0]}" "$so") || { say "$img: cannot unpack $so"; return 1; }
  fi
  say "building $tag (context $ctx)"
  t0=$(date +%s)
  docker build --network host ${NO_CACHE:+--no-cache} --build-arg VERSION="${tag##*:}" \
    --label io.bridge-to-azure.managed=true --label "io.bridge-to-azure.source-hash=$hash" -t "$tag" "$ctx" >&2
  t1=$(date +%s)
  say "built $tag in $((t1 - t0)) s"
}

build() {
  local img=$1 tag=${TAG[$1]} ctx="$cache/contexts/$1${BRIDGE_IMAGE_TAG_SUFFIX:-}" t0 t1 set hash
  hash=$(source_hash "$img")
  if [ "${FORCE:-0}" != 1 ] &&
     [ "$(docker image inspect -f '{{index .Config.Labels "io.bridge-to-azure.source-hash"}}' "$tag" 2>/dev/null)" = "$hash" ]; then
    say "$tag up to date (source $hash), skipped (FORCE=1 rebuilds)"; return 0
  fi
  if [ -n "${NODE_DOCKERFILE[$img]:-}" ]; then build_node "$img" "$hash"; return; fi
  if [ -n "${JAVA_SERVICE[$img]:-}" ]; then build_java "$img" "$hash"; return; fi
  if [ -n "${NODE_BASE_TARGET[$img]:-}" ]; then
    say "building $tag (context images/node-base, target ${NODE_BASE_TARGET[$img]})"
    docker build --network host ${NO_CACHE:+--no-cache} --target "${NODE_BASE_TARGET[$img]}" \
      --label io.bridge-to-azure.managed=true --label "io.bridge-to-azure.source-hash=$hash" -t "$tag" "$repo/images/node-base" >&2
    return
  fi
  if [ -n "${NPM_IMAGE[$img]:-}" ]; then
    say "building $tag (context images/$img)"
    docker build --network host ${NO_CACHE:+--no-cache} --build-arg EXTRA_CA_CERTS="$(extra_ca)" \
      --label io.bridge-to-azure.managed=true --label "io.bridge-to-azure.source-hash=$hash" -t "$tag" "$repo/images/$img" >&2
    return
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
    --label io.bridge-to-azure.managed=true --label "io.bridge-to-azure.source-hash=$hash" \
    -t "$tag" "$ctx" >&2
  t1=$(date +%s)
  local size; size=$(docker image inspect -f '{{.Size}}' "$tag")
  say "built $tag in $((t1 - t0)) s, $((size / 1024 / 1024)) MiB"
  printf '%s\t%s\t%ss\t%sMiB\n' "$(date -u +%FT%TZ)" "$tag" "$((t1 - t0))" "$((size / 1024 / 1024))" >>"$cache/build-log.tsv"
}

# One step in a process of its own (`build-images.sh --one IMG`, `--jars SET`): build and fetch_jars
# rely on set -e to stop at their first failing command, and bash ignores set -e in a function (and
# in its subshells and background jobs) called from an `if` or `||` list, as the lanes below must.
case ${1:-} in
  --one) build "$2"; exit ;;
  --jars) fetch_jars "$2"; exit ;;
esac

# logged IMG: build IMG with all its output in its log; print one line (and the log's tail on failure).
logged() {
  local img=$1 tag=${TAG[$1]} log="$logs/$1${BRIDGE_IMAGE_TAG_SUFFIX:-}.log" t0 rc=0
  t0=$(date +%s)
  "$repo/scripts/build-images.sh" --one "$img" >"$log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    say "$tag FAILED after $(($(date +%s) - t0)) s (exit $rc; log: $log), its last lines:"
    tail -n 30 "$log" | sed 's/^/    /' >&2
    return 1
  fi
  if grep -q '^\[build-images\] .* up to date' "$log"; then say "$tag up to date (log: $log)"
  else say "$tag built in $(($(date +%s) - t0)) s (log: $log)"; fi
}
# lane IMG...: one image after the other; stops at the first failure.
lane() { local img; for img in "$@"; do logged "$img" || return 1; done; }

"$repo/scripts/docker-engine.sh" >&2
"$repo/scripts/base-image.sh" >&2
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(kafka connect mariadb simulator lake-sink azurite stock-processor prometheus console)
node=() other=() sets=() need_base=""
for t in "${targets[@]}"; do
  [ -n "${TAG[$t]:-}" ] || { say "unknown image $t (${!TAG[*]})"; exit 2; }
  if [ -n "${NODE_DOCKERFILE[$t]:-}" ]; then need_base=1; node+=("$t")
  elif [ -n "${NODE_BASE_TARGET[$t]:-}" ] || [ -n "${NPM_IMAGE[$t]:-}" ]; then node+=("$t")
  else other+=("$t"); fi
  # shellcheck disable=SC2206 # a set name is one word
  sets+=(${JARSETS[$t]:-})
done
# The Node base goes first in its lane (once, even when named as a target too).
if [ -n "$need_base" ]; then
  rest=(); for t in "${node[@]}"; do [ -n "${NODE_BASE_TARGET[$t]:-}" ] || rest+=("$t"); done
  node=(node-runtime node-build "${rest[@]}")
fi
# Jar sets are shared between images (kafka and connect): fetch them before the lanes run at once.
if [ ${#sets[@]} -gt 0 ]; then
  mapfile -t sets < <(printf '%s\n' "${sets[@]}" | sort -u)
  for set in "${sets[@]}"; do
    "$repo/scripts/build-images.sh" --jars "$set" >>"$logs/jars.log" 2>&1 ||
      { say "jars/$set FAILED (log: $logs/jars.log), its last lines:"; tail -n 40 "$logs/jars.log" | sed 's/^/    /' >&2; exit 1; }
    # Once per run, also under FORCE=1: the builds (processes of their own) must not fetch it again, at once.
    BRIDGE_JARS_FETCHED="${BRIDGE_JARS_FETCHED:-} $set"
  done
  say "jars: ${sets[*]} ready (log: $logs/jars.log)"
fi
export BRIDGE_JARS_FETCHED
fail=0
if [ "${BUILD_JOBS:-2}" = 1 ]; then
  lane "${node[@]}" || fail=1
  lane "${other[@]}" || fail=1
else
  lane "${node[@]}" & node_lane=$!
  lane "${other[@]}" & other_lane=$!
  wait "$node_lane" || fail=1
  wait "$other_lane" || fail=1
fi
exit "$fail"
