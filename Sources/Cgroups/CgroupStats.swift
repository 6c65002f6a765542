/// A snapshot of one container's cgroup counters. A group is nil when its controller is
/// absent; a field is nil when this kernel does not report it.
public struct CgroupStats: Codable, Sendable, Equatable {
  public struct Memory: Codable, Sendable, Equatable {
    /// Bytes in use (v1 memory.usage_in_bytes, v2 memory.current).
    public var usage: UInt64?
    /// nil means unlimited.
    public var limit: UInt64?
    /// Peak usage (v1 memory.max_usage_in_bytes, v2 memory.peak).
    public var maxUsage: UInt64?
    /// Times the limit was hit (v1 memory.failcnt, v2 memory.events "max").
    public var failcnt: UInt64?
    public var oomKillCount: UInt64?
    /// Page cache bytes (v1 memory.stat "cache", v2 "file").
    public var cache: UInt64?
    /// memory.stat as read.
    public var stat: [String: UInt64] = [:]
    public init() {}
  }

  public struct CPU: Codable, Sendable, Equatable {
    public var totalUsageNanos: UInt64?
    /// v1 only (cpuacct.usage_percpu).
    public var perCPUUsageNanos: [UInt64]?
    public var userNanos: UInt64?
    public var systemNanos: UInt64?
    public var throttlingPeriods: UInt64?
    public var throttledPeriods: UInt64?
    public var throttledTimeNanos: UInt64?
    public init() {}
  }

  public struct Pids: Codable, Sendable, Equatable {
    public var current: UInt64?
    /// nil means unlimited.
    public var limit: UInt64?
    public init() {}
  }

  public struct BlockIO: Codable, Sendable, Equatable {
    public var bytesRead: UInt64 = 0
    public var bytesWritten: UInt64 = 0
    public var opsRead: UInt64 = 0
    public var opsWritten: UInt64 = 0
    public init() {}
  }

  public var memory: Memory?
  public var cpu: CPU?
  public var pids: Pids?
  public var blockIO: BlockIO?
  public init() {}
}
