#!/usr/bin/env bash
# Provide the Terraform providers this project uses without a Terraform registry.
#
# Builds each provider from its Go module (fetched through the Go module proxy)
# into an unpacked Terraform filesystem mirror and writes a Terraform CLI config
# that selects that mirror. Idempotent: a provider already in the mirror is
# skipped, and the Go module and build caches live under the cache dir, so a
# second run takes well under a second.
#
#   scripts/providers.sh                           # build docker, kafka-connect, kafka, azurerm
#   BRIDGE_BUILD_AZURERM=0 scripts/providers.sh    # not azurerm (a very large build, see below)
#   BRIDGE_PROVIDERS=registry scripts/providers.sh # online: nothing to do
#   export TF_CLI_CONFIG_FILE="${BRIDGE_CACHE:-$HOME/.cache/bridge-to-azure}/terraformrc"
#
# What is built (providers, Go modules and versions, in order of preference) is in
# config/providers.ts, read through `node dist/scripts/provider-versions.js builds`:
# per provider, a build already in the mirror ends it (no network: the second run takes
# well under a second), else its builds are tried in order, the binding's pin first, then
# the builds the Go module proxy serves (to retry the pin later, remove the other build
# from the mirror). The mirror is laid out for
# registry.terraform.io, and linked for registry.opentofu.org, where OpenTofu resolves
# short sources such as kreuzwerker/docker; the CLI config serves both hostnames.
#
# azurerm (the served 5.x build), cold, default -p on 2 cores shared with other work:
# 929 s wall (1127 s user CPU), peak RSS 3.4 GB, a 225 MB binary; ~2.3 GB of modules
# and ~3.6 GB of Go build cache.
#
# Lock files: providers built here hash differently from the registry's
# release zips, so a .terraform.lock.hcl written against this mirror must never
# be committed (git-ignore `.terraform.lock.hcl`, `.terraform/`, `cdktf.out/`);
# run `terraform init` without `-lockfile=readonly`.
set -euo pipefail

# ---- paths -------------------------------------------------------------------
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${BRIDGE_CACHE:-$HOME/.cache/bridge-to-azure}
rc=$cache/terraformrc
platform=linux_amd64

if [ "${BRIDGE_PROVIDERS:-mirror}" = registry ]; then
  echo "providers: BRIDGE_PROVIDERS=registry: terraform init downloads the providers from registry.terraform.io;"
  echo "providers: nothing built. Leave TF_CLI_CONFIG_FILE unset (or unset it: unset TF_CLI_CONFIG_FILE)."
  exit 0
fi

pv=$repo/dist/scripts/provider-versions.js
[ -f "$pv" ] || { echo "providers: $pv missing: build first (npm run -s build)" >&2; exit 1; }
export BRIDGE_CACHE=$cache
mirror=$(node "$pv" mirror)
mapfile -t hosts < <(node "$pv" hosts)
mapfile -t builds < <(node "$pv" builds)
mkdir -p "$mirror"

. "$repo/scripts/lib/go-env.sh"

# build_provider NAMESPACE TYPE TF_VERSION REQUIRE GOVERSION REPLACE_PATH EXTRA_GOMOD
build_provider() {
  local ns=$1 type=$2 version=$3 require=$4 gover=$5 replace=$6 extra=$7
  local dest="$mirror/${hosts[0]}/$ns/$type/$version/$platform"
  local bin="$dest/terraform-provider-${type}_v$version"
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
declare -A chosen=()
for line in "${builds[@]}"; do
  IFS='|' read -r key ns type version _ <<<"$line"
  bin="$mirror/${hosts[0]}/$ns/$type/$version/$platform/terraform-provider-${type}_v$version"
  if [ -z "${chosen[$key]:-}" ] && [ -x "$bin" ]; then
    chosen[$key]=$version
    echo "providers: $ns/$type $version present"
  fi
done
for line in "${builds[@]}"; do
  IFS='|' read -r key ns type version require gover replace extra <<<"$line"
  [ -z "${chosen[$key]:-}" ] || continue
  if [ "$type" = azurerm ] && [ "${BRIDGE_BUILD_AZURERM:-1}" = 0 ]; then chosen[$key]=skipped; continue; fi
  if build_provider "$ns" "$type" "$version" "$require" "$gover" "$replace" "$extra"; then
    chosen[$key]=$version
  else
    echo "providers: $ns/$type $version could not be built; next: the following build of config/providers.ts, if any" >&2
  fi
done
for line in "${builds[@]}"; do
  IFS='|' read -r key ns type _ <<<"$line"
  [ -n "${chosen[$key]:-}" ] || { failed+=("$ns/$type"); chosen[$key]=failed; }
done

# OpenTofu resolves kreuzwerker/docker to registry.opentofu.org/kreuzwerker/docker: the same
# builds, linked. Only the package directory may be a link (a filesystem mirror search
# follows no link above it), so each <host>/<ns>/<type>/<version>/<platform> is one.
for host in "${hosts[@]:1}"; do
  for dir in "$mirror/${hosts[0]}"/*/*/*/"$platform"; do
    [ -d "$dir" ] || continue
    rel=${dir#"$mirror/${hosts[0]}/"}
    link=$mirror/$host/$rel
    [ -L "$link" ] && [ -e "$link" ] && continue
    mkdir -p "$(dirname "$link")"
    ln -sfn "../../../../${hosts[0]}/$rel" "$link"
  done
done

# The mirror serves every provider it holds, on every hostname; the others come from their registry.
includes=()
for dir in "$mirror/${hosts[0]}"/*/*; do
  [ -d "$dir" ] || continue
  src=${dir#"$mirror/${hosts[0]}/"}
  src=${src,,} # provider addresses are case-insensitive; Terraform writes them lower-case
  for host in "${hosts[@]}"; do includes+=("\"$host/$src\""); done
done
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

echo "providers: mirror $mirror holds (for ${hosts[*]}):"
(cd "$mirror" && find . -mindepth 5 -maxdepth 5 -type d -name "$platform" | sed 's|^\./|  |; s|/'"$platform"'$||' | sort)
echo "providers: CLI config $rc; use it with:"
echo "  export TF_CLI_CONFIG_FILE=$rc"
if [ ${#failed[@]} -gt 0 ]; then
  echo "providers: FAILED: ${failed[*]}" >&2
  exit 1
fi
