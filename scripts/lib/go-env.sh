# shellcheck shell=bash
# Sourced by the scripts that build from the Go module proxy (providers.sh, opentofu.sh), with
# $cache set to the cache dir. Module and build caches under the cache dir (a second build is
# cached, a fresh machine rebuilds from scripts); no checksum database is reachable here, so
# module hashes are recorded, not verified against sum.golang.org (the dependencies' versions
# are those the built module's own go.mod selects); -mod=mod lets go complete go.sum itself.
# shellcheck disable=SC2154 # $cache: set by the sourcing script
command -v go >/dev/null || { echo "$(basename "$0" .sh): go is not installed" >&2; exit 1; }
export GOMODCACHE="$cache/gomod"
export GOCACHE="$cache/go-build"
export GOFLAGS="-mod=mod -buildvcs=false"
export GOSUMDB="${BRIDGE_GOSUMDB:-off}"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
