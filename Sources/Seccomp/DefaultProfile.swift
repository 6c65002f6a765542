import OCI

/// Docker's default seccomp profile (moby `profiles/seccomp/default.json`) as data:
/// an allow-list over an EPERM default, with the capability- and architecture-dependent
/// parts resolved for the container being created.
extension SeccompFilter {
  /// The capabilities `docker run` grants without `--cap-add`/`--cap-drop`.
  public static let dockerDefaultCapabilities: Set<String> = [
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
  ]

  /// The profile `docker run` applies without `--security-opt seccomp=…`, for Docker's
  /// default capability set.
  public static var dockerDefault: OCI.Seccomp {
    dockerDefault(capabilities: dockerDefaultCapabilities)
  }

  /// Docker's default profile for a container with `capabilities` (names as in the OCI
  /// spec, `CAP_SYS_ADMIN`): syscalls a capability unlocks are allowed only when it is
  /// granted, as dockerd does for `--cap-add`.
  public static func dockerDefault(capabilities: Set<String>) -> OCI.Seccomp {
    let profile = DockerDefaultProfile.self
    var allowed = profile.alwaysAllowed + profile.nativeArchitectureAllowed
    for (capability, names) in profile.allowedWithCapability where capabilities.contains(capability) {
      allowed += names
    }
    var seen = Set<String>()
    allowed = allowed.filter { seen.insert($0).inserted }

    var syscalls = [OCI.SeccompSyscall(names: allowed, action: "SCMP_ACT_ALLOW")]
    syscalls.append(profile.socketWithoutAFVsock)
    syscalls += profile.personalityQueries
    if !capabilities.contains("CAP_SYS_ADMIN") {
      syscalls += profile.cloneWithoutNamespaces
    }
    return OCI.Seccomp(
      defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: profile.eperm,
      architectures: profile.nativeArchitectures, syscalls: syscalls)
  }
}

/// The pieces of Docker's default profile, grouped by what the syscalls do.
enum DockerDefaultProfile {
  static let eperm: UInt32 = 1
  static let enosys: UInt32 = 38

  static let alwaysAllowed: [String] =
    files + extendedAttributes + waiting + asyncIO + memory + processes + scheduling
    + signals + clocks + identity + sockets + ipc

  static let files = [
    "access", "chdir", "chmod", "chown", "chown32", "close", "close_range", "copy_file_range",
    "creat", "dup", "dup2", "dup3", "faccessat", "faccessat2", "fadvise64", "fadvise64_64",
    "fallocate", "fchdir", "fchmod", "fchmodat", "fchown", "fchown32", "fchownat", "fcntl",
    "fcntl64", "fdatasync", "flock", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64",
    "fsync", "ftruncate", "ftruncate64", "futimesat", "getcwd", "getdents", "getdents64",
    "lchown", "lchown32", "link", "linkat", "_llseek", "lseek", "lstat", "lstat64", "mkdir",
    "mkdirat", "mknod", "mknodat", "name_to_handle_at", "newfstatat", "open", "openat",
    "openat2", "pipe", "pipe2", "pread64", "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2",
    "read",
    "readahead", "readlink", "readlinkat", "readv", "rename", "renameat", "renameat2", "rmdir",
    "sendfile", "sendfile64", "splice", "stat", "stat64", "statfs", "statfs64", "statx",
    "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "tee", "truncate",
    "truncate64", "umask", "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64",
    "utimes", "vmsplice", "write", "writev",
  ]

  static let extendedAttributes = [
    "fgetxattr", "flistxattr", "fremovexattr", "fsetxattr", "getxattr", "lgetxattr",
    "listxattr", "llistxattr", "lremovexattr", "lsetxattr", "removexattr", "setxattr",
  ]

  static let waiting = [
    "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
    "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "fanotify_mark",
    "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "poll", "ppoll",
    "ppoll_time64", "pselect6", "pselect6_time64", "select", "_newselect", "signalfd",
    "signalfd4", "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
    "timerfd_settime64", "futex", "futex_time64", "futex_waitv",
  ]

  static let asyncIO = [
    "io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
    "io_setup", "io_submit", "io_uring_enter", "io_uring_register", "io_uring_setup", "ioctl",
    "ioprio_get", "ioprio_set",
  ]

  static let memory = [
    "brk", "madvise", "membarrier", "memfd_create", "memfd_secret", "mincore", "mlock",
    "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mremap", "msync", "munlock",
    "munlockall", "munmap", "pkey_alloc", "pkey_free", "pkey_mprotect", "remap_file_pages",
  ]

  /// Includes ptrace and process_vm_*: Docker allows them on kernels ≥ 4.8, where
  /// seccomp can no longer be bypassed through ptrace (Berth needs newer kernels anyway).
  static let processes = [
    "capget", "capset", "execve", "execveat", "exit", "exit_group", "fork", "vfork",
    "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrlimit", "get_robust_list",
    "getrusage", "getsid", "get_thread_area", "gettid", "landlock_add_rule",
    "landlock_create_ruleset", "landlock_restrict_self", "pidfd_open", "pidfd_send_signal",
    "prctl", "prlimit64", "process_mrelease", "process_vm_readv", "process_vm_writev",
    "ptrace", "restart_syscall", "rseq", "seccomp", "setpgid", "setpriority", "setrlimit",
    "set_robust_list", "setsid", "set_thread_area", "set_tid_address", "sysinfo", "times",
    "ugetrlimit", "uname", "wait4", "waitid", "waitpid", "getrandom",
  ]

  static let scheduling = [
    "getcpu", "sched_getaffinity", "sched_getattr", "sched_getparam",
    "sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler",
    "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity",
    "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield",
  ]

  static let signals = [
    "alarm", "kill", "pause", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
    "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
    "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sigaltstack", "sigprocmask", "sigreturn",
    "tgkill", "tkill",
  ]

  /// Reading clocks and arming timers; setting the clock needs CAP_SYS_TIME (below).
  static let clocks = [
    "adjtimex", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
    "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64",
    "getitimer", "gettimeofday", "nanosleep", "setitimer", "time", "timer_create",
    "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
    "timer_settime64",
  ]

  static let identity = [
    "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
    "getgroups32", "getresgid", "getresgid32", "getresuid", "getresuid32", "getuid",
    "getuid32", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
    "setgroups", "setgroups32", "setregid", "setregid32", "setresgid", "setresgid32",
    "setresuid", "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32",
  ]

  /// `socket` itself is allowed separately, for every family but AF_VSOCK.
  static let sockets = [
    "accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
    "listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send",
    "sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socketcall", "socketpair",
  ]

  static let ipc = [
    "ipc", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
    "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "msgctl",
    "msgget", "msgrcv", "msgsnd", "semctl", "semget", "semop", "semtimedop",
    "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget",
  ]

  /// Syscalls each capability unlocks when it is granted.
  static let allowedWithCapability: [(capability: String, names: [String])] = [
    ("CAP_DAC_READ_SEARCH", ["open_by_handle_at"]),
    (
      "CAP_SYS_ADMIN",
      [
        "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
        "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree",
        "perf_event_open", "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns",
        "syslog", "umount", "umount2", "unshare",
      ]
    ),
    ("CAP_SYS_BOOT", ["reboot"]),
    ("CAP_SYS_CHROOT", ["chroot"]),
    ("CAP_SYS_MODULE", ["delete_module", "init_module", "finit_module"]),
    ("CAP_SYS_PACCT", ["acct"]),
    (
      "CAP_SYS_PTRACE",
      ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"]
    ),
    ("CAP_SYS_RAWIO", ["iopl", "ioperm"]),
    ("CAP_SYS_TIME", ["settimeofday", "stime", "clock_settime", "clock_settime64"]),
    ("CAP_SYS_TTY_CONFIG", ["vhangup"]),
    ("CAP_SYS_NICE", ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"]),
    ("CAP_SYSLOG", ["syslog"]),
    ("CAP_BPF", ["bpf"]),
    ("CAP_PERFMON", ["perf_event_open"]),
  ]

  /// socket(2) for any family except AF_VSOCK (40), which would reach the host.
  static let socketWithoutAFVsock = OCI.SeccompSyscall(
    names: ["socket"], action: "SCMP_ACT_ALLOW",
    args: [OCI.SeccompArg(index: 0, value: 40, op: "SCMP_CMP_NE")])

  /// personality(2) only for the harmless personas: PER_LINUX, PER_LINUX32, UNAME26,
  /// PER_LINUX32|UNAME26, and 0xffffffff, which only queries the current one.
  static let personalityQueries: [OCI.SeccompSyscall] = {
    let perLinux: UInt64 = 0x0000
    let perLinux32: UInt64 = 0x0008
    let uname26: UInt64 = 0x0002_0000
    let query: UInt64 = 0xffff_ffff
    return [perLinux, perLinux32, uname26, perLinux32 | uname26, query].map { persona in
      OCI.SeccompSyscall(
        names: ["personality"], action: "SCMP_ACT_ALLOW",
        args: [OCI.SeccompArg(index: 0, value: persona, op: "SCMP_CMP_EQ")])
    }
  }()

  /// Without CAP_SYS_ADMIN: clone(2) only when no namespace flag is set, and clone3(2)
  /// fails with ENOSYS so that libc falls back to clone (its flags live in memory,
  /// where seccomp cannot look).
  static var cloneWithoutNamespaces: [OCI.SeccompSyscall] {
    let newNS: UInt64 = 0x0002_0000
    let newCgroup: UInt64 = 0x0200_0000
    let newUTS: UInt64 = 0x0400_0000
    let newIPC: UInt64 = 0x0800_0000
    let newUser: UInt64 = 0x1000_0000
    let newPID: UInt64 = 0x2000_0000
    let newNet: UInt64 = 0x4000_0000
    let namespaceFlags = newNS | newCgroup | newUTS | newIPC | newUser | newPID | newNet
    return [
      OCI.SeccompSyscall(
        names: ["clone"], action: "SCMP_ACT_ALLOW",
        args: [
          OCI.SeccompArg(index: cloneFlagsArgument, value: namespaceFlags, op: "SCMP_CMP_MASKED_EQ")
        ]),
      OCI.SeccompSyscall(names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: enosys),
    ]
  }

  #if arch(x86_64)
    static let nativeArchitectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]
    static let nativeArchitectureAllowed = ["arch_prctl", "modify_ldt"]
  #elseif arch(i386)
    static let nativeArchitectures: [String] = []
    static let nativeArchitectureAllowed = ["modify_ldt"]
  #elseif arch(arm64)
    static let nativeArchitectures = ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]
    static let nativeArchitectureAllowed = [
      "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush",
      "set_tls",
    ]
  #elseif arch(arm)
    static let nativeArchitectures: [String] = []
    static let nativeArchitectureAllowed = [
      "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush",
      "set_tls",
    ]
  #elseif arch(s390x)
    static let nativeArchitectures = ["SCMP_ARCH_S390X", "SCMP_ARCH_S390"]
    static let nativeArchitectureAllowed = [
      "s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr",
    ]
  #elseif arch(powerpc64le)
    static let nativeArchitectures: [String] = []
    static let nativeArchitectureAllowed = ["sync_file_range2", "swapcontext"]
  #elseif arch(riscv64)
    static let nativeArchitectures = ["SCMP_ARCH_RISCV64"]
    static let nativeArchitectureAllowed = ["riscv_flush_icache"]
  #else
    static let nativeArchitectures: [String] = []
    static let nativeArchitectureAllowed: [String] = []
  #endif

  /// clone(2)'s flags are its first argument, except on s390, where the stack comes first.
  #if arch(s390x)
    static let cloneFlagsArgument: UInt32 = 1
  #else
    static let cloneFlagsArgument: UInt32 = 0
  #endif
}
