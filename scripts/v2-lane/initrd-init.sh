#!/bin/sh
# /init of the lane's initrd (busybox): loads the virtio, ext4 and 9p modules, mounts the
# root image (/dev/vda, a qemu snapshot) and the lane's 9p share on /lane, copies this run's
# binaries from /lane/bin to /usr/local/bin, then hands over to the init the kernel command
# line names: lane.mode=script (the lane's own PID 1 script) or lane.mode=systemd.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
fail() {
  echo "lane initrd: $*"
  echo "lane initrd: FAILED" >/dev/console
  echo o >/proc/sysrq-trigger
  sleep 60
}
while read -r module; do
  insmod "/lib/modules/$module" || fail "insmod $module"
done </modules.order
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
mount -t ext4 /dev/vda /newroot || fail "mount /dev/vda"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 lane /newroot/lane || fail "mount the 9p share"
cp /newroot/lane/bin/* /newroot/usr/local/bin/ || fail "copy the binaries"
mode=script
for arg in $(cat /proc/cmdline); do
  case $arg in lane.mode=*) mode=${arg#lane.mode=} ;; esac
done
case $mode in
  systemd)
    cp /newroot/lane/vm/systemd/*.service /newroot/etc/systemd/system/ || fail "copy the units"
    mkdir -p /newroot/etc/systemd/system/multi-user.target.wants
    ln -sf ../lane-checks.service /newroot/etc/systemd/system/multi-user.target.wants/lane-checks.service
    init=/sbin/init
    ;;
  *) init=/lane/vm/lane-init.sh ;;
esac
mount -o move /dev /newroot/dev
umount /sys
umount /proc
exec switch_root /newroot "$init"
