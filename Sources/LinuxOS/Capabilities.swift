import CBerth
import Glibc

/// Linux capabilities by name, and the five sets of the calling thread.
public enum CapabilityNames {
  public static let all: [String] = [
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
    "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
  ]

  /// The highest capability this kernel knows.
  public static func lastCapability() -> Int {
    if let text = try? Files.readString("/proc/sys/kernel/cap_last_cap"),
      let value = Int(text.trimmingWhitespace())
    {
      return value
    }
    return all.count - 1
  }

  public static func number(of name: String) -> Int? {
    let upper = name.uppercased()
    return all.firstIndex(of: upper.hasPrefix("CAP_") ? upper : "CAP_" + upper)
  }

  /// A bit mask of the named capabilities; unknown names are returned separately.
  public static func mask(_ names: [String]) -> (mask: UInt64, unknown: [String]) {
    var mask: UInt64 = 0
    var unknown: [String] = []
    for name in names {
      if let n = number(of: name) { mask |= 1 << UInt64(n) } else { unknown.append(name) }
    }
    return (mask, unknown)
  }
}

public enum CapabilitySets {
  public static func get(pid: pid_t = 0) throws -> (effective: UInt64, permitted: UInt64, inheritable: UInt64) {
    var e: UInt64 = 0
    var p: UInt64 = 0
    var i: UInt64 = 0
    try sys("capget") { berth_capget(pid, &e, &p, &i) }
    return (e, p, i)
  }

  public static func set(effective: UInt64, permitted: UInt64, inheritable: UInt64) throws {
    try sys("capset") { berth_capset(effective, permitted, inheritable) }
  }

  /// Drops `cap` from the bounding set (PrctlOption.capBoundingDrop).
  public static func dropBounding(_ cap: Int) throws {
    try sys("prctl(PrctlOption.capBoundingDrop)", "\(cap)") {
      berth_prctl(PrctlOption.capBoundingDrop, UInt(cap), 0, 0, 0)
    }
  }

  public static func clearAmbient() throws {
    try sys("prctl(PrctlOption.ambientClearAll)") {
      berth_prctl(PrctlOption.ambient, PrctlOption.ambientClearAll, 0, 0, 0)
    }
  }

  public static func raiseAmbient(_ cap: Int) throws {
    try sys("prctl(PrctlOption.ambientRaise)", "\(cap)") {
      berth_prctl(PrctlOption.ambient, PrctlOption.ambientRaise, UInt(cap), 0, 0)
    }
  }
}

extension String {
  public func trimmingWhitespace() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
