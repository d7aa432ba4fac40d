#!/bin/sh
# Final stage of every Node service image (services/*/Dockerfile): Debian's nodejs (plus the
# given packages), the service's system user, and /usr/local/bin/healthcheck (= node /app/health.js,
# the kit's heartbeat check that Terraform declares as the container health check).
#   node-runtime.sh USER UID [PACKAGE...]
set -eu
user=$1 uid=$2
shift 2
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs "$@"
rm -rf /var/lib/apt/lists/*
groupadd --system --gid "$uid" "$user"
useradd --system --uid "$uid" --gid "$user" --home-dir /app --shell /usr/sbin/nologin "$user"
printf '#!/bin/sh\nexec node /app/health.js "$@"\n' > /usr/local/bin/healthcheck
chmod 0755 /usr/local/bin/healthcheck
