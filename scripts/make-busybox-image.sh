#!/bin/sh
# Build a docker image TAG (default busybox) from a locally made busybox rootfs
# (scripts/make-busybox-rootfs.sh), against whatever DOCKER_HOST is set.
#
#   DOCKER_HOST=unix:///path/to/docker.sock scripts/make-busybox-image.sh busybox
set -eu

tag=${1:-busybox}
here=$(cd "$(dirname "$0")" && pwd)
docker=${DOCKER:-docker}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

"$here/make-busybox-rootfs.sh" "$tmp/rootfs"
tar -C "$tmp/rootfs" -c . | "$docker" import -c 'CMD ["sh"]' - "$tag"
