# shellcheck shell=bash
# Shared by the kafka and connect images (sourced, not executed).
#
# props_from_env PREFIX
#   Prints one Java property per environment variable named PREFIX<NAME>, sorted:
#     the name is lower-cased, then "___" -> "-", "__" -> "_", "_" -> "."
#     KAFKA_CFG_NODE_ID=1                                   -> node.id=1
#     KAFKA_CFG_LISTENER_NAME_SASL__SSL_PLAIN_SASL_ENABLED_MECHANISMS -> listener.name.sasl_ssl.plain.sasl.enabled.mechanisms
#     CONNECT_CFG_TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS=10000  -> task.shutdown.graceful.timeout.ms=10000
#   Values are written verbatim (no escaping is done; avoid backslashes).
props_from_env() {
  local prefix=$1 var name key
  while IFS= read -r var; do
    name=${var#"$prefix"}
    key=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/\x01/g' -e 's/_/./g' -e 's/\x01/_/g')
    printf '%s=%s\n' "$key" "${!var}"
  done < <(compgen -e | grep "^${prefix}" | sort)
}

# has_prop FILE KEY : true when FILE sets KEY
has_prop() { grep -q "^[[:space:]]*$(printf '%s' "$2" | sed 's/\./\\./g')[[:space:]]*[=:]" "$1"; }

# get_prop FILE KEY : last value of KEY in FILE (empty when unset)
get_prop() { grep "^[[:space:]]*$(printf '%s' "$2" | sed 's/\./\\./g')[[:space:]]*[=:]" "$1" | tail -n1 | sed 's/^[^=:]*[=:][[:space:]]*//'; }

# default_prop FILE KEY VALUE : append KEY=VALUE unless FILE sets KEY already
default_prop() { has_prop "$1" "$2" || printf '%s=%s\n' "$2" "$3" >>"$1"; }

log() { printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "${LOG_TAG:-entrypoint}" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# append_secrets FILE VAR DEFAULT_PATH : append the properties file named by $VAR (or
# DEFAULT_PATH when VAR is unset and that file exists). A file named explicitly must exist.
append_secrets() {
  local out=$1 var=$2 def=$3 path
  if [ -n "${!var:-}" ]; then
    path=${!var}
    [ -r "$path" ] || die "$var=$path is not a readable file"
  elif [ -r "$def" ]; then
    path=$def
  else
    return 0
  fi
  log "appending secret properties from $path (keys: $(grep -v '^[[:space:]]*#' "$path" | grep -o '^[^=:]*' | tr -d ' ' | paste -sd, -))"
  { printf '\n# --- from %s ---\n' "$path"; cat "$path"; printf '\n'; } >>"$out"
}

KAFKA_HOME=${KAFKA_HOME:-/opt/kafka}
# shellcheck disable=SC2034 # used by the scripts that source this file (kafka-cli, the entrypoints)
KAFKA_CLASSPATH="$KAFKA_HOME/libs/*"
KAFKA_LOG4J_OPTS=${KAFKA_LOG4J_OPTS:-"-Dlog4j2.configurationFile=$KAFKA_HOME/config/log4j2.properties"}
