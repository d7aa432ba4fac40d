#!/usr/bin/env bash
# Installs and starts everything the local topology needs, on a fresh machine
# or an air-gapped one: npm packages, the Docker engine, debian:bookworm-slim,
# the images, the Terraform providers, OpenTofu. Idempotent; each step is skipped when done.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$BRIDGE_REPO"
t0=$SECONDS

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund >/dev/null
fi
say "compile (tsc)"
npm run -s build

command -v terraform >/dev/null || { say "terraform is not installed (need >= 1.6; OpenTofu works too)"; exit 1; }
scripts/docker-engine.sh
scripts/base-image.sh
if [ "${BRIDGE_PROVIDERS:-mirror}" != registry ]; then
  # The local topology's providers; azurerm (a 15-minute build) only where asked for: scripts/test.sh
  # builds it for the azure checks, a workstation deploying to Azure sets BRIDGE_BUILD_AZURERM=1.
  BRIDGE_BUILD_AZURERM=${BRIDGE_BUILD_AZURERM:-0} scripts/providers.sh >/dev/null
  . scripts/env.sh
fi
if [ "${1:-}" = tools ]; then say "tools ready in $((SECONDS - t0)) s"; exit 0; fi
scripts/build-images.sh
say "ready in $((SECONDS - t0)) s (docker provider ${BRIDGE_DOCKER_PROVIDER_VERSION:-registry}, azurerm ${BRIDGE_AZURERM_PROVIDER_VERSION:-registry})"
