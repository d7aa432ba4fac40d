# shellcheck shell=bash disable=SC2034 # CDKTF_FLAGS: for the scripts that source this one (up.sh, down.sh)
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
  # Each selectable provider's version (BRIDGE_DOCKER_PROVIDER_VERSION, BRIDGE_AZURERM_PROVIDER_VERSION), when
  # unset: the binding's pin if the mirror holds it, else the newest build it holds (config/providers.ts).
  # Before the first build (bootstrap.sh sources this again after it) there is nothing to select.
  if [ -f "$BRIDGE_REPO/dist/scripts/provider-versions.js" ]; then
    eval "$(node "$BRIDGE_REPO/dist/scripts/provider-versions.js" env)"
  fi
fi

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
