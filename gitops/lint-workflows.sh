#!/usr/bin/env bash
# Lint .github/workflows with actionlint (and shellcheck on run: blocks when
# shellcheck is on PATH). Installs actionlint through the Go module proxy when
# it is missing or another version.
#
#   gitops/lint-workflows.sh            # exit 0 = no findings
set -euo pipefail
version=${ACTIONLINT_VERSION:-1.7.12}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin

actionlint=$(command -v actionlint || true)
[ -n "$actionlint" ] || actionlint=$bin/actionlint
if ! [ -x "$actionlint" ] || ! "$actionlint" -version 2>/dev/null | head -1 | grep -qx "v$version"; then
  command -v go >/dev/null || { echo "lint-workflows: actionlint v$version missing and go is not installed" >&2; exit 1; }
  echo "lint-workflows: installing actionlint v$version ..." >&2
  GOFLAGS= GOTOOLCHAIN=${GOTOOLCHAIN:-local} go install "github.com/rhysd/actionlint/cmd/actionlint@v$version"
  actionlint=$bin/actionlint
fi
command -v shellcheck >/dev/null || echo "lint-workflows: shellcheck not on PATH: run: blocks are not checked (apt-get install -y shellcheck)" >&2
cd "$root"
"$actionlint" -no-color "$@"
echo "lint-workflows: actionlint $("$actionlint" -version | head -1): no findings" >&2
