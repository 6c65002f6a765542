#!/bin/sh
# Make a minimal busybox root filesystem in DIR from the host's busybox-static
# (/bin/busybox, Debian package busybox-static). Made locally, never downloaded.
#
#   scripts/make-busybox-rootfs.sh DIR
#
# DIR gets: bin/busybox, one symlink per applet (bin/<applet> -> busybox),
# etc/passwd and etc/group (root, nobody 65534), and empty tmp, proc, sys, dev.
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
busybox=${BUSYBOX:-/bin/busybox}

if [ ! -x "$busybox" ]; then
  echo "$0: $busybox not found; install it with: apt-get install busybox-static" >&2
  exit 1
fi
# A dynamically linked busybox would need the host's libc inside the rootfs.
if command -v file >/dev/null 2>&1 && ! file -L "$busybox" | grep -q 'statically linked'; then
  echo "$0: $busybox is not statically linked; install busybox-static" >&2
  exit 1
fi

mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/root"
chmod 1777 "$dir/tmp"
cp "$busybox" "$dir/bin/busybox"
chmod 0755 "$dir/bin/busybox"

# One symlink per applet; the applet named "busybox" would overwrite the binary.
"$busybox" --list | while IFS= read -r applet; do
  case $applet in
    busybox | '' | */*) continue ;;
  esac
  ln -sf busybox "$dir/bin/$applet"
done

cat >"$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$dir/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
