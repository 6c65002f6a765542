#!/bin/sh
# Makes (once) a Debian 12 rootfs with gcc, the base image of the seed's Dockerfile
# (bench/build-seed, BuildTests), from Debian's mirror with debootstrap: nothing is
# downloaded from a container registry.
#
#   scripts/make-gcc-rootfs.sh DIR      (DIR is kept: a second call returns at once)
set -eu
dir=${1:?usage: make-gcc-rootfs.sh DIR}
[ -x "$dir/usr/bin/gcc" ] && exit 0
command -v debootstrap >/dev/null || { echo "make-gcc-rootfs.sh: debootstrap not found" >&2; exit 1; }
rm -rf --one-file-system "$dir.tmp"
debootstrap --variant=minbase --include=gcc,libc6-dev bookworm "$dir.tmp" "${MIRROR:-http://deb.debian.org/debian}" \
  >"$dir.log" 2>&1 || { echo "make-gcc-rootfs.sh: debootstrap failed (log: $dir.log)" >&2; exit 1; }
# No apt caches or logs in the image.
rm -rf "$dir.tmp/var/cache/apt/archives"/*.deb "$dir.tmp/var/lib/apt/lists"/* "$dir.tmp/var/log"/*.log
mv "$dir.tmp" "$dir"
