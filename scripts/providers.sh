#!/usr/bin/env bash
# Provide the Terraform providers this project uses without a Terraform registry.
#
# Builds each provider from its Go module (fetched through the Go module proxy)
# into an unpacked Terraform filesystem mirror and writes a Terraform CLI config
# that selects that mirror. Idempotent: a provider already in the mirror is
# skipped, and the Go module and build caches live under the cache dir, so a
# second run takes well under a second.
#
#   scripts/providers.sh                      # build docker, kafka-connect, kafka
#   BRIDGE_BUILD_AZURERM=1 scripts/providers.sh   # also azurerm (very large build)
#   BRIDGE_PROVIDERS=registry scripts/providers.sh # online: nothing to do
#   export TF_CLI_CONFIG_FILE="${BRIDGE_CACHE:-$HOME/.cache/bridge-to-azure}/terraformrc"
#
# Lock files: providers built here hash differently from the registry's
# release zips, so a .terraform.lock.hcl written against this mirror must never
# be committed (git-ignore `.terraform.lock.hcl`, `.terraform/`, `cdktf.out/`);
# run `terraform init` without `-lockfile=readonly`.
set -euo pipefail

# ---- pinned versions ---------------------------------------------------------
# Per provider: Terraform version, Go module path to require, Go version (a tag or
# a pseudo-version, which pins the commit), and for docker the path to replace it by.

# kreuzwerker/docker 3.6.2 = tag v3.6.2, commit 2f20f8c3ce8290fcd03d96e69c7bc6338897a479
# (committed 2025-06-13T21:46:48Z). Its go.mod declares
# github.com/terraform-providers/terraform-provider-docker, so the tag is no valid
# Go version: require the declared path, replace it by the repository path at a
# pseudo-version of that commit. @cdktf/provider-docker 12.0.3 pins 3.6.2.
DOCKER_VERSION=3.6.2
DOCKER_REQUIRE=github.com/terraform-providers/terraform-provider-docker
DOCKER_REPLACE=github.com/kreuzwerker/terraform-provider-docker
DOCKER_GOVERSION=v0.0.0-20250613214648-2f20f8c3ce82
# The Go module proxy reachable here refuses that pseudo-version (403 "This module
# version is not available"); the one docker version it serves is the main-branch
# commit 96d331c98ff4 of 2026-09-16 (after v4.6.0). Opt-in with
# BRIDGE_DOCKER_FALLBACK=1: when 3.6.2 cannot be built, build that commit as the
# prerelease 4.6.1-dev.20260916201441. CDKTF's DockerProvider (12.0.3) writes
# version = "3.6.2", so a stack must override terraform.required_providers.docker.version
# to use it; its schema is v4 (see docs/v3_v4_migration.md of the provider).
DOCKER_FALLBACK_VERSION=4.6.1-dev.20260916201441
DOCKER_FALLBACK_GOVERSION=v0.0.0-20260916201441-96d331c98ff4

# Mongey/kafka-connect 0.5.0 = tag v0.5.0, commit 7829ed7ad1d9abe5f3ff38b020d9e0958a39a773
# (2026-02-16, newest release). go.mod: module github.com/Mongey/terraform-provider-kafka-connect
KAFKA_CONNECT_VERSION=0.5.0
KAFKA_CONNECT_REQUIRE=github.com/Mongey/terraform-provider-kafka-connect
KAFKA_CONNECT_GOVERSION=v0.5.0

# Mongey/kafka 0.13.1 = tag v0.13.1, commit 27ff26d01af0429164a9c5d99549e901e62de0c6
# (2025-09-21, newest release). go.mod: module github.com/Mongey/terraform-provider-kafka
KAFKA_VERSION=0.13.1
KAFKA_REQUIRE=github.com/Mongey/terraform-provider-kafka
KAFKA_GOVERSION=v0.13.1

# hashicorp/azurerm 4.55.0 = tag v4.55.0, commit 37bf7f03b661b804a59fd62fd6f6e6b8ee4a69df
# (committed 2025-12-04T16:51:52Z). The module path has no /v4 suffix, so the
# Go version is a pseudo-version on top of v1.44.0. @cdktf/provider-azurerm
# 14.23.1 pins 4.55.0. Optional: BRIDGE_BUILD_AZURERM=1.
AZURERM_VERSION=4.55.0
AZURERM_REQUIRE=github.com/hashicorp/terraform-provider-azurerm
AZURERM_GOVERSION=v1.44.1-0.20251204165152-37bf7f03b661
# The Go module proxy reachable here refuses that pseudo-version too (403); it serves
# only a 2026-08 main-branch commit (5.x line). Measured on that commit (2 cores,
# -p=1, sharing the CPU): 24 min wall, peak RSS 3.6 GB, 225 MB binary, ~2.3 GB of
# modules and ~3.6 GB of Go build cache.

# Both Mongey go.mod files carry this replace; replaces in a dependency's go.mod
# are ignored, so the build module repeats it.
THRIFT_REPLACE='git.apache.org/thrift.git => github.com/apache/thrift v0.0.0-20180902110319-2566ecd5d999'

# ---- paths -------------------------------------------------------------------
cache=${BRIDGE_CACHE:-$HOME/.cache/bridge-to-azure}
mirror=$cache/terraform-mirror
rc=$cache/terraformrc
platform=linux_amd64

if [ "${BRIDGE_PROVIDERS:-mirror}" = registry ]; then
  echo "providers: BRIDGE_PROVIDERS=registry: terraform init downloads the providers from registry.terraform.io;"
  echo "providers: nothing built. Leave TF_CLI_CONFIG_FILE unset (or unset it: unset TF_CLI_CONFIG_FILE)."
  exit 0
fi

command -v go >/dev/null || { echo "providers: go is not installed" >&2; exit 1; }
mkdir -p "$mirror"

# Go settings for every build: caches under the cache dir; no checksum
# database is reachable here, so module hashes are recorded, not verified
# against sum.golang.org (the dependencies' versions are those the provider's
# own go.mod selects).
export GOMODCACHE="$cache/gomod"
export GOCACHE="$cache/go-build"
export GOFLAGS="-mod=mod -buildvcs=false"
export GOSUMDB="${BRIDGE_GOSUMDB:-off}"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

# build_provider NAMESPACE TYPE TF_VERSION REQUIRE GOVERSION REPLACE_PATH EXTRA_GOMOD
build_provider() {
  local ns=$1 type=$2 version=$3 require=$4 gover=$5 replace=$6 extra=$7
  local dest="$mirror/registry.terraform.io/$ns/$type/$version/$platform"
  local bin="$dest/terraform-provider-${type}_v$version"
  if [ -x "$bin" ]; then
    echo "providers: $ns/$type $version present"
    return 0
  fi
  local work="$cache/build/$type-$version"
  rm -rf "$work"; mkdir -p "$work"
  {
    echo "module bridge-to-azure.invalid/providerbuild/$type"
    echo
    echo "go 1.24.0"
    echo
    if [ -n "$replace" ]; then
      # A pseudo-version stands for the required path too; replace points it at the repository.
      echo "require $require $gover"
      echo "replace $require => $replace $gover"
    else
      echo "require $require $gover"
    fi
    [ -z "$extra" ] || echo "replace $extra"
  } >"$work/go.mod"
  echo "providers: building $ns/$type $version ($require $gover) ..."
  local start=$SECONDS log="$work/build.log"
  if ! (cd "$work" && go mod download "$require" >"$log" 2>&1 &&
        go build -trimpath -ldflags "-s -w" -o "$work/terraform-provider-$type" "$require" >>"$log" 2>&1); then
    echo "providers: building $ns/$type $version failed; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  mkdir -p "$dest"
  mv "$work/terraform-provider-$type" "$bin.tmp" && mv "$bin.tmp" "$bin"
  rm -rf "$work"
  echo "providers: built $ns/$type $version in $((SECONDS - start))s -> $bin"
}

failed=()
if ! build_provider kreuzwerker docker "$DOCKER_VERSION" "$DOCKER_REQUIRE" "$DOCKER_GOVERSION" "$DOCKER_REPLACE" ""; then
  if [ "${BRIDGE_DOCKER_FALLBACK:-0}" = 1 ] ||
     [ -x "$mirror/registry.terraform.io/kreuzwerker/docker/$DOCKER_FALLBACK_VERSION/$platform/terraform-provider-docker_v$DOCKER_FALLBACK_VERSION" ]; then
    echo "providers: using docker $DOCKER_FALLBACK_VERSION instead (BRIDGE_DOCKER_FALLBACK=1 or already built); stacks must override the docker version" >&2
    build_provider kreuzwerker docker "$DOCKER_FALLBACK_VERSION" "$DOCKER_REQUIRE" "$DOCKER_FALLBACK_GOVERSION" "$DOCKER_REPLACE" "" ||
      failed+=(kreuzwerker/docker)
  else
    failed+=(kreuzwerker/docker)
  fi
fi
build_provider Mongey kafka-connect "$KAFKA_CONNECT_VERSION" "$KAFKA_CONNECT_REQUIRE" "$KAFKA_CONNECT_GOVERSION" "" "$THRIFT_REPLACE" ||
  failed+=(Mongey/kafka-connect)
build_provider Mongey kafka "$KAFKA_VERSION" "$KAFKA_REQUIRE" "$KAFKA_GOVERSION" "" "$THRIFT_REPLACE" ||
  failed+=(Mongey/kafka)

includes=('"registry.terraform.io/kreuzwerker/docker"' '"registry.terraform.io/mongey/kafka-connect"' '"registry.terraform.io/mongey/kafka"')
if [ "${BRIDGE_BUILD_AZURERM:-0}" = 1 ]; then
  # Large (see the figures above); -p=1 keeps memory near 4 GB on 2 cores.
  GOFLAGS="$GOFLAGS ${BRIDGE_AZURERM_GOFLAGS:--p=1}" \
    build_provider hashicorp azurerm "$AZURERM_VERSION" "$AZURERM_REQUIRE" "$AZURERM_GOVERSION" "" "" ||
    failed+=(hashicorp/azurerm)
fi
# azurerm is served from the mirror whenever it is there (built earlier), else from the registry.
if [ -d "$mirror/registry.terraform.io/hashicorp/azurerm" ]; then
  includes+=('"registry.terraform.io/hashicorp/azurerm"')
fi

list=$(IFS=,; echo "${includes[*]}")
tmp=$(mktemp "$rc.XXXXXX")
cat >"$tmp" <<EOF
# Written by scripts/providers.sh: providers built from source into a filesystem mirror.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = [${list//,/, }]
  }
  direct {
    exclude = [${list//,/, }]
  }
}
EOF
mv "$tmp" "$rc"

echo "providers: mirror $mirror holds:"
(cd "$mirror" && find . -mindepth 5 -maxdepth 5 -type d -name "$platform" | sed 's|^\./|  |; s|/'"$platform"'$||' | sort)
echo "providers: CLI config $rc; use it with:"
echo "  export TF_CLI_CONFIG_FILE=$rc"
if [ ${#failed[@]} -gt 0 ]; then
  echo "providers: FAILED: ${failed[*]}" >&2
  exit 1
fi
