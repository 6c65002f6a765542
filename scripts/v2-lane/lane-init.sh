#!/bin/sh
# PID 1 of the lane's first boot: a pure cgroup v2 host as its init would make it. Mounts
# only cgroup2, enables cpu, memory, pids, io and cpuset for the subtree, turns on a zram
# swap (for the swap checks), loads the network modules, runs checks.sh, powers off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
echo "+cpu +memory +pids +io +cpuset" >/sys/fs/cgroup/cgroup.subtree_control
echo "lane: cgroup.subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
hostname lane
ip link set lo up
# 256 MiB of compressed swap in RAM: the VM has no swap device otherwise.
modprobe zram && echo 256M >/sys/block/zram0/disksize && mkswap -q /dev/zram0 >/dev/null && swapon /dev/zram0
# For the network smoke test to come (checks.sh network_checks).
modprobe -a overlay veth bridge nf_tables
mkdir -p /lane/out
LANE_MODE=script LANE_ROOTFS_TAR=/lane/vm/busybox-rootfs.tar LANE_BIN=/usr/local/bin LANE_WORK=/var/lib/lane LANE_RESULTS=/lane/out/results-script.txt \
  sh /lane/vm/checks.sh
sync
/bin/busybox poweroff -f
echo o >/proc/sysrq-trigger
