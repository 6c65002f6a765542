extension CgroupV1Manager {
  public func stats() throws -> CgroupStats {
    var stats = CgroupStats()
    if let dir = path("memory") { stats.memory = try Self.memoryStats(dir) }
    if path("cpuacct") != nil || path("cpu") != nil {
      stats.cpu = try Self.cpuStats(cpuacct: path("cpuacct"), cpu: path("cpu"))
    }
    if let dir = path("pids") {
      var pids = CgroupStats.Pids()
      pids.current = try CgroupFS.readUInt(dir, "pids.current")
      pids.limit = try CgroupFS.readUInt(dir, "pids.max")
      stats.pids = pids
    }
    if let dir = path("blkio") { stats.blockIO = try Self.blkioStats(dir) }
    return stats
  }

  /// v1 reports "unlimited" as PAGE_COUNTER_MAX pages in bytes (about 2^63).
  static func v1Limit(_ value: UInt64?) -> UInt64? {
    guard let value, value < (UInt64(1) << 62) else { return nil }
    return value
  }

  static func memoryStats(_ dir: String) throws -> CgroupStats.Memory {
    var memory = CgroupStats.Memory()
    memory.usage = try CgroupFS.readUInt(dir, "memory.usage_in_bytes")
    memory.limit = v1Limit(try CgroupFS.readUInt(dir, "memory.limit_in_bytes"))
    memory.maxUsage = try CgroupFS.readUInt(dir, "memory.max_usage_in_bytes")
    memory.failcnt = try CgroupFS.readUInt(dir, "memory.failcnt")
    memory.oomKillCount = try CgroupFS.readKeyed(dir, "memory.oom_control")["oom_kill"]
    memory.stat = try CgroupFS.readKeyed(dir, "memory.stat")
    memory.cache = memory.stat["total_cache"] ?? memory.stat["cache"]
    return memory
  }

  static func cpuStats(cpuacct: String?, cpu: String?) throws -> CgroupStats.CPU {
    var stats = CgroupStats.CPU()
    if let dir = cpuacct {
      stats.totalUsageNanos = try CgroupFS.readUInt(dir, "cpuacct.usage")
      if CgroupFS.exists(dir, "cpuacct.usage_percpu") {
        stats.perCPUUsageNanos = try CgroupFS.read(dir, "cpuacct.usage_percpu")
          .split(separator: " ").compactMap { UInt64($0.trimmingSpaces()) }
      }
      // cpuacct.stat is in USER_HZ ticks, which is 100 on every Linux ABI.
      let ticks = try CgroupFS.readKeyed(dir, "cpuacct.stat")
      stats.userNanos = ticks["user"].map { $0 * 10_000_000 }
      stats.systemNanos = ticks["system"].map { $0 * 10_000_000 }
    }
    if let dir = cpu, CgroupFS.exists(dir, "cpu.stat") {
      let stat = try CgroupFS.readKeyed(dir, "cpu.stat")
      stats.throttlingPeriods = stat["nr_periods"]
      stats.throttledPeriods = stat["nr_throttled"]
      stats.throttledTimeNanos = stat["throttled_time"]
    }
    return stats
  }

  static func blkioStats(_ dir: String) throws -> CgroupStats.BlockIO {
    var io = CgroupStats.BlockIO()
    // The throttle files count every IO, whatever the scheduler; the others need CFQ/BFQ.
    func sum(_ candidates: [String]) throws -> (read: UInt64, write: UInt64) {
      for file in candidates where CgroupFS.exists(dir, file) {
        var read: UInt64 = 0
        var write: UInt64 = 0
        for line in try CgroupFS.read(dir, file).split(separator: "\n") {
          let parts = line.split(separator: " ")
          guard parts.count == 3, let value = UInt64(parts[2]) else { continue }
          if parts[1] == "Read" { read &+= value } else if parts[1] == "Write" { write &+= value }
        }
        return (read, write)
      }
      return (0, 0)
    }
    let bytes = try sum([
      "blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_service_bytes",
      "blkio.io_service_bytes_recursive",
    ])
    let ops = try sum([
      "blkio.throttle.io_serviced_recursive", "blkio.throttle.io_serviced",
      "blkio.io_serviced_recursive",
    ])
    io.bytesRead = bytes.read
    io.bytesWritten = bytes.write
    io.opsRead = ops.read
    io.opsWritten = ops.write
    return io
  }
}
