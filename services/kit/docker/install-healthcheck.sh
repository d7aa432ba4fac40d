#!/bin/sh
# Writes a Node service image's /usr/local/bin/healthcheck (the command Terraform declares as the
# container health check): heartbeat-check.sh, beside this script, on the heartbeat file that the
# service's VARIABLE names, else that variable's default, read from the service's compiled env schema
# (the default lives once, in its src/env.ts):
#   install-healthcheck.sh ENV_MODULE SCHEMA_EXPORT VARIABLE [OUT]
# e.g. install-healthcheck.sh /app/env.js SIM_ENV SIM_HEARTBEAT_FILE
set -eu
module=${1:?usage: install-healthcheck.sh ENV_MODULE SCHEMA_EXPORT VARIABLE [OUT]}
schema=${2:?usage: install-healthcheck.sh ENV_MODULE SCHEMA_EXPORT VARIABLE [OUT]}
var=${3:?usage: install-healthcheck.sh ENV_MODULE SCHEMA_EXPORT VARIABLE [OUT]}
out=${4:-/usr/local/bin/healthcheck}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC2016 # JavaScript, not shell: its ${…} is a template literal
default=$(node -e '
  const [m, e, v] = process.argv.slice(1);
  const field = (require(m)[e] || {})[v];
  if (!field || typeof field.default !== "string") { console.error(`install-healthcheck: ${m} has no ${e}.${v} with a default path`); process.exit(1); }
  process.stdout.write(field.default);
' "$module" "$schema" "$var")
# Both go into a shell line unquoted by the generated script's author: allow plain names and paths only.
case $var in *[!A-Z0-9_]* | "") echo "install-healthcheck: variable '$var' must be A-Z, 0-9 and _" >&2; exit 1 ;; esac
case $default in /*) ;; *) echo "install-healthcheck: $var's default '$default' must be an absolute path" >&2; exit 1 ;; esac
case $default in *[!A-Za-z0-9._/-]*) echo "install-healthcheck: $var's default '$default' may hold only letters, digits and . _ / -" >&2; exit 1 ;; esac
# shellcheck disable=SC2016 # the generated script expands its variable at check time, not now
printf '#!/bin/sh\nexec /bin/sh %s "${%s:-%s}"\n' "$here/heartbeat-check.sh" "$var" "$default" > "$out"
chmod 0755 "$out"
