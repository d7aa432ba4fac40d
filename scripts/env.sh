# Sourced by the other scripts: the environment every cdktf/terraform call here uses.
# Air-gapped by default (providers from the filesystem mirror scripts/providers.sh builds);
# BRIDGE_PROVIDERS=registry uses the Terraform registry instead.
BRIDGE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export BRIDGE_CACHE=${BRIDGE_CACHE:-$HOME/.cache/bridge-to-azure}
export CHECKPOINT_DISABLE=1 # no HashiCorp/cdktf telemetry calls
export CDKTF_DISABLE_PLUGIN_CACHE_ENV=1
export PATH="$BRIDGE_REPO/node_modules/.bin:$PATH"

CDKTF_FLAGS=()
if [ "${BRIDGE_PROVIDERS:-mirror}" != registry ]; then
  # cdktf would run `terraform providers lock`, which asks the registry for its hashes.
  CDKTF_FLAGS=(--skip-provider-lock)
  export TF_CLI_CONFIG_FILE="$BRIDGE_CACHE/terraformrc"
  # The docker provider version the mirror holds (3.6.2 when it could be built, else the fallback build).
  if [ -z "${BRIDGE_DOCKER_PROVIDER_VERSION:-}" ]; then
    _d="$BRIDGE_CACHE/terraform-mirror/registry.terraform.io/kreuzwerker/docker"
    if [ -d "$_d/3.6.2" ]; then
      export BRIDGE_DOCKER_PROVIDER_VERSION=3.6.2
    elif [ -d "$_d" ] && [ -n "$(ls "$_d")" ]; then
      BRIDGE_DOCKER_PROVIDER_VERSION=$(ls "$_d" | sort -V | tail -n1)
      export BRIDGE_DOCKER_PROVIDER_VERSION
    fi
    unset _d
  fi
fi

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
