#!/bin/bash
# Entry point of bridge-to-azure/azurite: Azurite blob service only, on 127.0.0.1.
#
# The account key is a secret: it is read from $AZURITE_ACCOUNTS_FILE (default
# /run/secrets/azurite/accounts) and exported as AZURITE_ACCOUNTS for the azurite process only,
# so it is never part of the container's configured environment (docker inspect, Terraform state).
# File format: one account per line (or ';'-separated), "name:key1[:key2]", keys base64;
# blank lines and lines starting with '#' are ignored.
#
# `docker run ... bridge-to-azure/azurite:<v> <command> [args]` runs <command> instead
# (e.g. `healthcheck`, `node -v`); `--` followed by arguments passes extra azurite-blob options.
set -euo pipefail

log() { printf '%s [azurite-entrypoint] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

if [ $# -gt 0 ] && [ "$1" != "--" ]; then exec "$@"; fi
[ "${1:-}" = "--" ] && shift

[ -z "${AZURITE_ACCOUNTS:-}" ] || die "AZURITE_ACCOUNTS is set in the environment: account keys must not be passed in the environment; mount them as a file and set AZURITE_ACCOUNTS_FILE (default /run/secrets/azurite/accounts)"

port=${AZURITE_BLOB_PORT:-10000}
[[ "$port" =~ ^[0-9]{1,5}$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] \
  || die "AZURITE_BLOB_PORT=\"$port\": must be an integer between 1 and 65535"

access_log=${AZURITE_ACCESS_LOG:-false}
case "$access_log" in
  true) silent=() ;;
  false) silent=(--silent) ;;
  *) die "AZURITE_ACCESS_LOG=\"$access_log\": must be true or false" ;;
esac

debug=()
if [ -n "${AZURITE_DEBUG_LOG:-}" ]; then
  [[ "$AZURITE_DEBUG_LOG" == /* ]] || die "AZURITE_DEBUG_LOG=\"$AZURITE_DEBUG_LOG\": must be an absolute path (or unset)"
  debug=(--debug "$AZURITE_DEBUG_LOG")
fi

file=${AZURITE_ACCOUNTS_FILE:-/run/secrets/azurite/accounts}
[ -f "$file" ] || die "AZURITE_ACCOUNTS_FILE=\"$file\": file not found (mount a file with lines \"account:base64key\"; Azurite's well-known development key is refused)"
[ -r "$file" ] || die "AZURITE_ACCOUNTS_FILE=\"$file\": not readable by uid $(id -u) (chown $(id -u) / mode 0400)"

accounts=()
names=()
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  line=${line%$'\r'}
  IFS=';' read -r -a parts <<<"$line"
  for entry in "${parts[@]}"; do
    entry=$(printf '%s' "$entry" | tr -d '[:space:]')
    [ -z "$entry" ] && continue
    [[ "$entry" == \#* ]] && continue
    IFS=':' read -r -a f <<<"$entry"
    name=${f[0]}
    [[ "$name" =~ ^[a-z0-9]{3,24}$ ]] \
      || die "AZURITE_ACCOUNTS_FILE=\"$file\" line $lineno: account name \"$name\" must be 3..24 lower-case letters or digits"
    { [ "${#f[@]}" -ge 2 ] && [ "${#f[@]}" -le 3 ]; } \
      || die "AZURITE_ACCOUNTS_FILE=\"$file\" line $lineno (account $name): must be name:key1[:key2]"
    for k in "${f[@]:1}"; do
      { [[ "$k" =~ ^[A-Za-z0-9+/]+={0,2}$ ]] && [ $(( ${#k} % 4 )) -eq 0 ] && [ "${#k}" -ge 24 ]; } \
        || die "AZURITE_ACCOUNTS_FILE=\"$file\" line $lineno (account $name): key must be base64 (A-Z a-z 0-9 + / =, length a multiple of 4, at least 24 characters)"
      [ "$k" != "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" ] \
        || die "AZURITE_ACCOUNTS_FILE=\"$file\" line $lineno (account $name): this is Azurite's public well-known key; generate one (head -c 64 /dev/urandom | base64 -w0)"
    done
    accounts+=("$entry")
    names+=("$name")
  done
done <"$file"
[ "${#accounts[@]}" -ge 1 ] || die "AZURITE_ACCOUNTS_FILE=\"$file\": no account found (expected lines \"account:base64key\")"

location=/var/lib/azurite
[ -w "$location" ] || die "$location is not writable by uid $(id -u) (volume owner must be 10002)"

log "azurite $(node -p 'require("/opt/azurite/node_modules/azurite/package.json").version') blob service on http://127.0.0.1:$port/<account>, accounts: ${names[*]} (keys from $file), data in $location, access log $access_log, telemetry off"
AZURITE_ACCOUNTS=$(IFS=';'; printf '%s' "${accounts[*]}")
export AZURITE_ACCOUNTS
unset line entry parts f k accounts
exec node /opt/azurite/node_modules/azurite/dist/src/blob/main.js \
  --blobHost 127.0.0.1 --blobPort "$port" \
  --location "$location" \
  --skipApiVersionCheck --disableTelemetry --disableProductStyleUrl \
  "${silent[@]}" "${debug[@]}" "$@"
