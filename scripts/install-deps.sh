#!/usr/bin/env bash
# Installs the Debian 12 packages Berth's build, tests and benchmarks need.
# Swift itself comes with the machine (/opt/swift); this script does not fetch toolchains.
set -euo pipefail
packages=(
  # build
  pkg-config libseccomp-dev libarchive-dev libssl-dev libisal-dev
  # tests: a tiny image, the runc and Docker anchors, TLS certificates and a TLS client, image tools, a pty, kernel tools
  busybox-static runc docker.io openssl curl skopeo umoci zstd jq util-linux mount procps iproute2 nftables iptables coreutils
  # registry client tests: a real registry (distribution 2.8), htpasswd files, a JWT-signing token service
  docker-registry apache2-utils python3-cryptography
  # the registry server: htpasswd (bcrypt lines for its basic-auth tests); libcrypt-dev: crypt.h for crypt_r
  libcrypt-dev
  # Compose against berthd (Debian's docker-compose 1.29)
  docker-compose
  # benchmarks (bench/network-ab.sh: wrk and an nginx binary for its image)
  hyperfine wrk nginx-light
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
# The docker SDK 7.1 from PyPI for the SDK tests, in the machine's own Python (pyenv's
# python3 here), never in Debian's /usr/bin/python3: Debian's docker-compose needs its
# python3-docker 5 there.
if command -v python3 >/dev/null && [ "$(command -v python3)" != /usr/bin/python3 ]; then
  python3 -c 'import docker, sys; sys.exit(0 if docker.__version__.startswith("7.") else 1)' 2>/dev/null ||
    python3 -m pip install -q 'docker==7.1.0'
fi
# docker.io's package may start a system dockerd where systemd runs; tests start their own.
command -v swift >/dev/null || export PATH=/opt/swift/usr/bin:$PATH
swift --version | head -1
