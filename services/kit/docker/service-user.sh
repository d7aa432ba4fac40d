#!/bin/sh
# Final stage of every Node service image (services/*/Dockerfile), FROM bridge-to-azure/node-runtime
# (images/node-base/Dockerfile: Debian's nodejs, installed once for all services): the service's system
# user. Its health check comes later, once the service's compiled env schema is in the image:
# install-healthcheck.sh.
#   service-user.sh USER UID
set -eu
user=${1:?usage: service-user.sh USER UID} uid=${2:?usage: service-user.sh USER UID}
groupadd --system --gid "$uid" "$user"
useradd --system --uid "$uid" --gid "$user" --home-dir /app --shell /usr/sbin/nologin "$user"
