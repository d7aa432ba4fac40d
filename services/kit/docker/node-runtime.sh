#!/bin/sh
# Final stage of every Node service image (services/*/Dockerfile): Debian's nodejs (plus the
# given packages) and the service's system user. Its health check comes later, once the service's
# compiled env schema is in the image: install-healthcheck.sh.
#   node-runtime.sh USER UID [PACKAGE...]
set -eu
user=$1 uid=$2
shift 2
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs "$@"
rm -rf /var/lib/apt/lists/*
groupadd --system --gid "$uid" "$user"
useradd --system --uid "$uid" --gid "$user" --home-dir /app --shell /usr/sbin/nologin "$user"
