extension CgroupV2Manager {
  public func stats() throws -> CgroupStats {
    let dir = try dir()
    var stats = CgroupStats()
    if CgroupFS.exists(dir, "memory.current") {
      var memory = CgroupStats.Memory()
      memory.usage = try CgroupFS.readUInt(dir, "memory.current")
      memory.limit = try CgroupFS.readUInt(dir, "memory.max")
      if CgroupFS.exists(dir, "memory.peak") {
        memory.maxUsage = try CgroupFS.readUInt(dir, "memory.peak")
      }
      let events = try CgroupFS.readKeyed(dir, "memory.events")
      memory.failcnt = events["max"]
      memory.oomKillCount = events["oom_kill"]
      memory.stat = try CgroupFS.readKeyed(dir, "memory.stat")
      memory.cache = memory.stat["file"]
      stats.memory = memory
    }
    // cpu.stat exists in every cgroup2 cgroup (usage), the throttling keys only with the cpu controller.
    if CgroupFS.exists(dir, "cpu.stat") {
      let stat = try CgroupFS.readKeyed(dir, "cpu.stat")
      var cpu = CgroupStats.CPU()
      cpu.totalUsageNanos = stat["usage_usec"].map { $0 * 1000 }
      cpu.userNanos = stat["user_usec"].map { $0 * 1000 }
      cpu.systemNanos = stat["system_usec"].map { $0 * 1000 }
      cpu.throttlingPeriods = stat["nr_periods"]
      cpu.throttledPeriods = stat["nr_throttled"]
      cpu.throttledTimeNanos = stat["throttled_usec"].map { $0 * 1000 }
      stats.cpu = cpu
    }
    if CgroupFS.exists(dir, "pids.current") {
      var pids = CgroupStats.Pids()
      pids.current = try CgroupFS.readUInt(dir, "pids.current")
      pids.limit = try CgroupFS.readUInt(dir, "pids.max")
      stats.pids = pids
    }
    if CgroupFS.exists(dir, "io.stat") {
      // "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device.
      var io = CgroupStats.BlockIO()
      for line in try CgroupFS.read(dir, "io.stat").split(separator: "\n") {
        for field in line.split(separator: " ").dropFirst() {
          let pair = field.split(separator: "=", maxSplits: 1)
          guard pair.count == 2, let value = UInt64(pair[1]) else { continue }
          switch pair[0] {
          case "rbytes": io.bytesRead &+= value
          case "wbytes": io.bytesWritten &+= value
          case "rios": io.opsRead &+= value
          case "wios": io.opsWritten &+= value
          default: continue
          }
        }
      }
      stats.blockIO = io
    }
    return stats
  }
}
