#!/usr/bin/env bash
# Builds the pure cgroup v2 lane's machine from Debian's packages only, cached:
#
#   scripts/v2-lane/build-image.sh      prints the directory holding vmlinuz, initrd.img, root.img
#
# - the kernel: Debian's linux-image package, fetched with `apt-get download` and unpacked
#   with `dpkg-deb -x` (never installed: this host's /boot and /lib/modules stay untouched);
# - initrd.img: busybox-static, the virtio/ext4/9p modules and initrd-init.sh as /init;
# - root.img: an ext4 image of a debootstrap of Debian 12 (minbase + systemd-sysv + the
#   libraries berthd links + the tools the checks use), with the kernel's modules (veth,
#   bridge, nf_tables, overlay, zram, …) in /lib/modules. qemu boots it with snapshot=on:
#   the cached image is never written, each boot starts from the same tree.
#
# The cache is $BERTH_V2_LANE_CACHE (default /var/cache/berth-v2-lane)/<key>, the key a hash
# of this directory's image inputs (this script, initrd-init.sh) and the candidate versions of
# every package it uses; a changed input builds a new entry and older entries are removed.
# The project's binaries are not in it: run.sh puts this commit's on a 9p share per run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${BERTH_V2_LANE_CACHE:-/var/cache/berth-v2-lane}
suite=bookworm
# The packages the VM's root adds to minbase: systemd for the second boot; berthd's
# libraries; busybox-static for the test image; tools the checks use; iproute2 and
# nftables for the network smoke test to come.
root_packages=(
  systemd-sysv dbus kmod busybox-static jq curl procps util-linux iproute2 nftables
  libarchive13 libisal2 libssl3 libseccomp2 libstdc++6
)

log() { echo "v2-lane: $*" >&2; }

# The mirror apt uses (deb.debian.org on these machines), unless given.
mirror=${BERTH_V2_LANE_MIRROR:-$(
  grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v security | grep -oE 'https?://[^ ]+/debian/?' | head -1 || true
)}
[ -n "$mirror" ] || { log "no Debian mirror in apt's sources; set BERTH_V2_LANE_MIRROR"; exit 1; }

kernel_package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kernel_package" ] || { log "apt-cache knows no linux-image-amd64 (run apt-get update)"; exit 1; }
kernel_version=${kernel_package#linux-image-}

# Every package's candidate version, in one apt-cache call (one per package is slow).
versions() { apt-cache policy "$@" | awk '/^[^ ]/ {p = $1} /Candidate:/ {print p, $2}'; }
key=$(
  {
    cat "$here/build-image.sh" "$here/initrd-init.sh"
    echo "$mirror $suite"
    versions "$kernel_package" debootstrap busybox-static "${root_packages[@]}"
  } | sha256sum | cut -c1-16
)
out=$cache/$key
if [ -f "$out/complete" ]; then
  echo "$out"
  exit 0
fi

log "building the VM image $key (kernel $kernel_version, Debian $suite from $mirror)"
start=$(date +%s)
mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
# debootstrap mounts proc and sys in the tree: never delete through a mount.
cleanup() {
  for m in "$work/root/proc" "$work/root/sys"; do mountpoint -q "$m" && umount -l "$m"; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# 1. The kernel and its modules, unpacked beside the build, never installed.
(cd "$work" && apt-get download -q "$kernel_package" >/dev/null 2>&1)
dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
modules=$work/kernel/lib/modules/$kernel_version
depmod -b "$work/kernel" "$kernel_version"

# 2. The initrd: busybox, the modules to reach the root disk and the 9p share, /init.
initrd=$work/initrd
mkdir -p "$initrd"/{bin,dev,proc,sys,newroot,lib/modules}
cp /bin/busybox "$initrd/bin/busybox"
for applet in sh mount umount mkdir insmod cat sleep switch_root cp ls echo grep; do
  ln -s busybox "$initrd/bin/$applet"
done
: >"$initrd/modules.order"
for module in virtio_pci virtio_blk ext4 9pnet_virtio 9p; do
  modprobe -d "$work/kernel" -S "$kernel_version" --show-depends "$module" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
  cp "$ko" "$initrd/lib/modules/"
  basename "$ko" >>"$initrd/modules.order"
done
install -m 0755 "$here/initrd-init.sh" "$initrd/init"
(cd "$initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.img"

# 3. The root tree: Debian 12 minbase and the packages above.
root=$work/root
include=$(IFS=,; echo "${root_packages[*]}")
if ! debootstrap --variant=minbase --include="$include" "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -30 "$work/debootstrap.log" >&2
  log "debootstrap failed"
  exit 1
fi
# Modules for what runs in the VM (overlay, veth, bridge, nf_tables, zram, …): everything
# but the hardware drivers a virtio machine has no use for.
mkdir -p "$root/lib/modules/$kernel_version/kernel/drivers"
for f in modules.order modules.builtin modules.builtin.modinfo; do
  cp "$modules/$f" "$root/lib/modules/$kernel_version/"
done
(cd "$modules/kernel" && tar -c --exclude=./drivers --exclude=./sound . ) |
  tar -x -C "$root/lib/modules/$kernel_version/kernel"
(cd "$modules/kernel/drivers" && tar -c --exclude=./net/wireless --exclude=./net/ethernet \
  virtio block char net) | tar -x -C "$root/lib/modules/$kernel_version/kernel/drivers"
depmod -b "$root" "$kernel_version"
# A quiet, fast boot: no getty on the console, no timers, nothing to wait for.
echo lane >"$root/etc/hostname"
: >"$root/etc/machine-id"
printf '127.0.0.1 localhost lane\n::1 localhost\n' >"$root/etc/hosts"
for unit in getty@tty1.service serial-getty@ttyS0.service apt-daily.timer apt-daily-upgrade.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer systemd-timesyncd.service; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
mkdir -p "$root/lane" "$root/var/lib/berth"
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"* "$root/usr/share/doc" "$root/usr/share/man"

# 4. The root image: the tree plus room for berth's data root (overlayfs needs a real upper).
size_mb=$(($(du -sm "$root" | cut -f1) + 1024))
truncate -s "${size_mb}M" "$work/root.img"
mkfs.ext4 -q -F -L lane-root -d "$root" "$work/root.img"

cp "$work/kernel/boot/vmlinuz-$kernel_version" "$work/vmlinuz"
echo "$kernel_version" >"$work/kernel-version"
final=$work/final
mkdir "$final"
mv "$work/vmlinuz" "$work/initrd.img" "$work/root.img" "$work/kernel-version" "$final/"
rm -rf "$out"
mv "$final" "$out"
touch "$out/complete"
# Older entries: superseded by this one.
for old in "$cache"/*/; do
  [ "${old%/}" = "$out" ] || case $old in "$cache"/build.*) ;; *) rm -rf "$old" ;; esac
done
log "image built in $(($(date +%s) - start)) s: $out"
echo "$out"
