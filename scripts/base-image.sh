#!/usr/bin/env bash
# Provide debian:bookworm-slim, the only base image this project builds on.
# Air-gapped: when it is absent and cannot be pulled, build it with debootstrap
# (minbase variant) from Debian's package mirror and import it.
set -euo pipefail
image=debian:bookworm-slim
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base-image: $image present"; exit 0
fi
if [ "${BRIDGE_TRY_PULL:-0}" = 1 ] && timeout 60 docker pull "$image" >/dev/null 2>&1; then
  echo "base-image: pulled $image"; exit 0
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
dir=$(mktemp -d /tmp/bookworm-rootfs.XXXXXX)
trap 'rm -rf "$dir"' EXIT
echo "base-image: debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$dir" "$mirror" >/tmp/debootstrap.log 2>&1 || {
  tail -n 30 /tmp/debootstrap.log >&2; exit 1; }
# Keep the image slim like the official one.
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
tar -C "$dir" -c . | docker import --change 'CMD ["bash"]' - "$image" >/dev/null
echo "base-image: imported $image"
