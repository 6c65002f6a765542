#!/usr/bin/env bash
# Installs the Debian 12 packages Berth's build, tests and benchmarks need.
# Swift itself comes with the machine (/opt/swift); this script does not fetch toolchains.
set -euo pipefail
packages=(
  # build
  pkg-config libseccomp-dev libarchive-dev libssl-dev libisal-dev
  # tests: a tiny image, the runc and Docker anchors, TLS certificates and a TLS client, image tools, a pty, kernel tools
  busybox-static runc docker.io openssl curl skopeo umoci zstd jq util-linux procps iproute2 nftables
  # benchmarks
  hyperfine
  # the pure cgroup v2 VM lane (scripts/v2-lane): qemu, a Debian root, an ext4 image, the initrd's cpio
  qemu-system-x86 debootstrap e2fsprogs cpio kmod
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# docker.io's package may start a system dockerd where systemd runs; tests start their own.
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
swift --version | head -1
