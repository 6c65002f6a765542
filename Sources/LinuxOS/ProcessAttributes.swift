import CBerth
import Glibc

/// Credentials, limits and other per-process attributes.
public enum ProcessAttributes {
  public static func setNoNewPrivileges() throws {
    try sys("prctl(PR_SET_NO_NEW_PRIVS)") { berth_prctl(PrctlOption.setNoNewPrivileges, 1, 0, 0, 0) }
  }

  /// Keeps permitted capabilities across setuid away from 0.
  public static func setKeepCapabilities(_ on: Bool) throws {
    try sys("prctl(PR_SET_KEEPCAPS)") { berth_prctl(PrctlOption.setKeepCapabilities, on ? 1 : 0, 0, 0, 0) }
  }

  public static func setChildSubreaper() throws {
    try sys("prctl(PR_SET_CHILD_SUBREAPER)") { berth_prctl(PrctlOption.setChildSubreaper, 1, 0, 0, 0) }
  }

  public static func setParentDeathSignal(_ signal: Int32) throws {
    try sys("prctl(PR_SET_PDEATHSIG)") { berth_prctl(PrctlOption.setParentDeathSignal, UInt(signal), 0, 0, 0) }
  }

  public static func setDumpable(_ on: Bool) throws {
    try sys("prctl(PR_SET_DUMPABLE)") { berth_prctl(PrctlOption.setDumpable, on ? 1 : 0, 0, 0, 0) }
  }

  public static func setHostname(_ name: String) throws {
    try sys("sethostname", name) { berth_sethostname(name, name.utf8.count) }
  }

  public static func setDomainname(_ name: String) throws {
    try sys("setdomainname", name) { berth_setdomainname(name, name.utf8.count) }
  }

  /// Sets uid/gid/groups, in the order that keeps the privilege to do the next step.
  public static func setCredentials(uid: uid_t, gid: gid_t, groups: [gid_t]?) throws {
    if let groups {
      try sys("setgroups") { berth_setgroups(groups.count, groups) }
    }
    try sys("setresgid", "\(gid)") { berth_setresgid(gid, gid, gid) }
    try sys("setresuid", "\(uid)") { berth_setresuid(uid, uid, uid) }
  }

  /// RLIMIT_* by its OCI name, e.g. "RLIMIT_NOFILE".
  public static func rlimitResource(named name: String) -> Int32? {
    let table: [String: Int32] = [
      "RLIMIT_CPU": 0, "RLIMIT_FSIZE": 1, "RLIMIT_DATA": 2, "RLIMIT_STACK": 3,
      "RLIMIT_CORE": 4, "RLIMIT_RSS": 5, "RLIMIT_NPROC": 6, "RLIMIT_NOFILE": 7,
      "RLIMIT_MEMLOCK": 8, "RLIMIT_AS": 9, "RLIMIT_LOCKS": 10, "RLIMIT_SIGPENDING": 11,
      "RLIMIT_MSGQUEUE": 12, "RLIMIT_NICE": 13, "RLIMIT_RTPRIO": 14, "RLIMIT_RTTIME": 15,
    ]
    return table[name]
  }

  public static func setRlimit(pid: pid_t = 0, resource: Int32, soft: UInt64, hard: UInt64) throws {
    try sys("prlimit", "resource \(resource)") { berth_prlimit(pid, resource, soft, hard) }
  }

  public static func setOOMScoreAdj(pid: pid_t = 0, _ value: Int) throws {
    let path = pid == 0 ? "/proc/self/oom_score_adj" : "/proc/\(pid)/oom_score_adj"
    do {
      try Files.writeKernelFile(path, String(value))
    } catch let error as SystemError {
      throw SystemError("write", errno: error.errno, "\(path) (\(value))")
    }
  }
}
