#!/usr/bin/env bash
# The cloud half, checked without Azure: every Azure-touching stack of every
# variant (target × network mode, scripts/lib/variants.ts) is synthesized, then
#   * terraform validate   of each Azure-touching stack (azure, and bridge for the managed targets)
#                          against the real azurerm provider of the mirror (scripts/providers.sh)
#   * terraform test       the azure stack's offline test (scripts/lib/tftest.ts): mock_provider
#                          "azurerm" with realistic ids, one apply, asserts on resources, references
#                          and network rules
#   * checkov      0 findings but those the constructs accept with a reason (constructs/checkov.ts)
# Exit 0 only when every check passes. TF=tofu runs the Terraform steps with OpenTofu.
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
tf=${TF:-terraform}
# The stacks of the cloud half: the azure stack of every variant; the bridge stack of the managed targets.
for v in "${variants[@]}"; do
  for stack in azure bridge; do
    d=$dir/$v/stacks/$stack
    # The bridge stack of the local target is the integration tests' (it deploys for real there).
    [[ $stack = bridge && $v = local-* ]] && continue
    log=$d/checks.log
    if ! (cd "$d" && "$tf" init -backend=false -input=false -no-color >"$log" 2>&1 &&
          "$tf" validate -no-color >>"$log" 2>&1); then
      say "$v/$stack: $tf validate FAILED:"; tail -n 25 "$log" >&2; status=1; continue
    fi
    if [ "$stack" = azure ]; then
      if (cd "$d" && "$tf" test -no-color >>"$log" 2>&1); then
        say "$v/$stack: validate and offline test passed ($(grep -c 'condition' "$d/offline.tftest.hcl") assertions)"
      else
        say "$v/$stack: $tf test FAILED:"; tail -n 40 "$log" >&2; status=1
      fi
    else
      say "$v/$stack: validate passed"
    fi
  done
done
node dist/scripts/checkov.js "$venv/bin/checkov" "$dir" || status=1
say "done in $((SECONDS - t0)) s: $([ $status = 0 ] && echo passed || echo FAILED)"
exit $status
