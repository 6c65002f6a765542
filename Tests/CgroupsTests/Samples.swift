// mountinfo and /proc/self/cgroup texts from real machines, for the pure tests.
enum Samples {
  /// This project's build machine: v1 controllers plus an empty cgroup2 at /sys/fs/cgroup/unified.
  static let hybridMountInfo = """
    22 1 0:20 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
    23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
    31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
    32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
    33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
    34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
    35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
    36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
    37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
    38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
    39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
    40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
    41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
    """

  static let hybridProcCgroup = """
    9:name=systemd:/
    8:pids:/
    7:blkio:/
    6:freezer:/
    5:devices:/
    4:memory:/process_api/62f058c4
    3:cpuset:/
    2:cpuacct:/
    1:cpu:/
    0::/
    """

  /// A classic Debian 10 / Ubuntu 18.04 systemd host: v1 with co-mounted cpu,cpuacct and no cgroup2.
  static let v1MountInfo = """
    25 18 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
    26 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,name=systemd
    29 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpu,cpuacct
    30 25 0:27 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory
    31 25 0:28 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,pids
    32 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,net_cls,net_prio
    33 25 0:30 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,devices
    34 25 0:31 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,freezer
    35 25 0:32 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:19 - cgroup cgroup rw,cpuset
    36 25 0:33 / /sys/fs/cgroup/blkio rw,nosuid,nodev,noexec,relatime shared:20 - cgroup cgroup rw,blkio
    """

  static let v1ProcCgroup = """
    11:blkio:/user.slice
    10:cpuset:/
    9:freezer:/
    8:devices:/user.slice
    7:net_cls,net_prio:/
    6:pids:/user.slice/user-1000.slice/session-2.scope
    5:memory:/user.slice/user-1000.slice/session-2.scope
    4:cpu,cpuacct:/user.slice
    1:name=systemd:/user.slice/user-1000.slice/session-2.scope
    """

  /// Debian 12 / Fedora: pure cgroup2 at /sys/fs/cgroup.
  static let v2MountInfo = """
    24 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
    26 24 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
    27 24 0:24 / /sys/fs/bpf rw,nosuid,nodev,noexec,relatime shared:8 - bpf bpf rw,mode=700
    """

  static let v2ProcCgroup = "0::/user.slice/user-1000.slice/session-3.scope\n"

  /// Inside a container with a cgroup namespace: the mount's root is the container's cgroup.
  static let v2NamespacedMountInfo = """
    700 690 0:23 /docker/abc /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw
    """
}
