#!/usr/bin/env bash
# The cloud half, checked without Azure: every Azure-touching stack of every
# variant (target × network mode, scripts/lib/variants.ts) is synthesized, then
#   * terraform validate   of each Azure-touching stack (azure, and bridge for the managed targets)
#                          against the real azurerm provider of the mirror (scripts/providers.sh)
#   * terraform test       the azure stack's offline test (scripts/lib/tftest.ts): mock_provider
#                          "azurerm" with realistic ids, one apply, asserts on resources, references
#                          and network rules
#   * checkov      0 findings but those the constructs accept with a reason (constructs/checkov.ts)
# The Terraform steps run with terraform and, when scripts/opentofu.sh has built it, with tofu too.
# Exit 0 only when every check passes.
#
#   scripts/azure-checks.sh              # everything
#   BRIDGE_VARIANTS_DIR=/tmp/v scripts/azure-checks.sh   # keep the synthesized variants there
#
# Installs the pinned checkov into ${BRIDGE_CACHE:-~/.cache/bridge-to-azure}/venv-checkov (PyPI)
# when missing; a second run installs nothing.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$BRIDGE_REPO"
CHECKOV_VERSION=3.3.30
venv=$BRIDGE_CACHE/venv-checkov

# shellcheck source=lib/pinned-venv.sh
. scripts/lib/pinned-venv.sh

t0=$SECONDS
pinned_venv "$venv" "checkov==$CHECKOV_VERSION"
[ -f dist/scripts/azure-variants.js ] || npm run -s build
if [ -n "${BRIDGE_VARIANTS_DIR:-}" ]; then dir=$BRIDGE_VARIANTS_DIR; else
  dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fi
mapfile -t variants < <(node dist/scripts/azure-variants.js "$dir")
say "synthesized ${#variants[@]} variants into $dir"
status=0
# Both CLIs the README promises, when OpenTofu is built (scripts/test.sh builds it first).
clis=(terraform)
tofu=$(scripts/opentofu.sh --path 2>/dev/null || true)
[ -z "$tofu" ] || clis+=("$tofu")
# The stacks of the cloud half: the azure stack of every variant; the bridge stack of the managed targets.
for v in "${variants[@]}"; do
  for stack in azure bridge; do
    # The bridge stack of the local target is the integration tests' (it deploys for real there).
    [[ $stack = bridge && $v = local-* ]] && continue
    d=$dir/$v/stacks/$stack
    for tf in "${clis[@]}"; do
      name=$(basename "$tf")
      log=$d/checks-$name.log
      rm -rf "$d/.terraform" "$d/.terraform.lock.hcl"
      if ! (cd "$d" && "$tf" init -backend=false -input=false -no-color >"$log" 2>&1 &&
            "$tf" validate -no-color >>"$log" 2>&1); then
        say "$v/$stack: $name validate FAILED:"; tail -n 25 "$log" >&2; status=1; continue
      fi
      if [ "$stack" = azure ]; then
        if (cd "$d" && "$tf" test -no-color >>"$log" 2>&1); then
          say "$v/$stack: $name validate and offline test passed ($(grep -c 'condition' "$d/offline.tftest.hcl") assertions)"
        else
          say "$v/$stack: $name test FAILED:"; tail -n 40 "$log" >&2; status=1
        fi
      else
        say "$v/$stack: $name validate passed"
      fi
    done
  done
done
node dist/scripts/checkov.js "$venv/bin/checkov" "$dir" || status=1
say "done in $((SECONDS - t0)) s: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
