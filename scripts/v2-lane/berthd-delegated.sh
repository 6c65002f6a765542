#!/bin/sh
# berthd.service's ExecStart: systemd delegates the unit's cgroup (Delegate=yes); cgroup v2
# allows no processes in a cgroup whose controllers are enabled for children, so berthd
# moves itself into a leaf of its own, "daemon", and makes containers under "containers".
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
case $own in */daemon) own=${own%/daemon} ;; esac
mkdir -p "/sys/fs/cgroup$own/daemon"
echo $$ >"/sys/fs/cgroup$own/daemon/cgroup.procs"
exec /usr/local/bin/berthd --cgroup-parent "$own/containers"
