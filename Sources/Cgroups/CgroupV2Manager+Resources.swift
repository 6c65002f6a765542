import OCI

extension CgroupV2Manager {
  public func apply(_ resources: OCI.Resources) throws {
    let dir = try dir()
    if let memory = resources.memory { try Self.applyMemory(memory, in: dir) }
    if let cpu = resources.cpu { try Self.applyCPU(cpu, in: dir) }
    if let pids = resources.pids, let limit = pids.limit {
      try Self.write(
        dir, "pids.max", CgroupConversions.pidsMax(limit), controller: "pids", needed: "pids.limit")
    }
    if let blockIO = resources.blockIO { try Self.applyIO(blockIO, in: dir) }
    for limit in resources.hugepageLimits ?? [] {
      try Self.write(
        dir, "hugetlb.\(limit.pageSize).max", String(limit.limit), controller: "hugetlb",
        needed: "hugepageLimits")
    }
    if let network = resources.network,
      network.classID != nil || !(network.priorities ?? []).isEmpty
    {
      throw CgroupError.unsupported(
        "linux.resources.network (net_cls/net_prio) does not exist in cgroup v2")
    }
    if let rules = resources.devices {
      try DeviceRules.validate(rules)
      try CgroupDeviceFilter.apply(rules, toCgroup: dir)
    }
    if let unified = resources.unified { try Self.writeUnified(unified, in: dir) }
  }

  /// Writes a controller file, turning "file missing" into "controller missing".
  static func write(
    _ dir: String, _ file: String, _ value: String, controller: String, needed: String
  ) throws {
    guard CgroupFS.exists(dir, file) else {
      throw CgroupError.controllerMissing(
        controller: controller, needed: "\(needed) (no \(dir)/\(file))")
    }
    try CgroupFS.write(dir, file, value)
  }

  /// `linux.resources.unified`: each key is a file name in the cgroup, written verbatim.
  static func writeUnified(_ unified: [String: String], in dir: String) throws {
    for (file, value) in unified.sorted(by: { $0.key < $1.key }) {
      guard !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
        throw CgroupError.invalidValue(
          "linux.resources.unified key \"\(file)\" is not a cgroup file name")
      }
      try CgroupFS.write(dir, file, value)
    }
  }

  static func applyMemory(_ memory: MemoryResources, in dir: String) throws {
    let limit = memory.limit ?? 0
    if let swapMax = try CgroupConversions.v2SwapMax(swap: memory.swap, limit: memory.limit) {
      if CgroupFS.exists(dir, "memory.swap.max") {
        try CgroupFS.write(dir, "memory.swap.max", swapMax)
      } else if swapMax != "max" && swapMax != "0" {
        // Without swap accounting the file is absent; only "no limit"/"no swap" can be ignored.
        throw CgroupError.unsupported(
          "memory.swap: \(dir)/memory.swap.max does not exist (swap accounting is off)")
      }
    }
    if limit != 0 {
      try write(
        dir, "memory.max", CgroupConversions.v2Limit(limit), controller: "memory",
        needed: "memory.limit")
    }
    if let reservation = memory.reservation, reservation != 0 {
      try write(
        dir, "memory.low", CgroupConversions.v2Limit(reservation), controller: "memory",
        needed: "memory.reservation")
    }
    // swappiness and disableOOMKiller have no cgroup v2 equivalent; runc ignores them there too.
  }

  static func applyCPU(_ cpu: CPUResources, in dir: String) throws {
    if let shares = cpu.shares, shares != 0 {
      try write(
        dir, "cpu.weight", String(CgroupConversions.cpuWeight(fromShares: shares)),
        controller: "cpu",
        needed: "cpu.shares")
    }
    let quota = cpu.quota ?? 0
    let period = cpu.period ?? 0
    if quota != 0 || period != 0 {
      var value = quota > 0 ? String(quota) : "max"
      if period != 0 { value += " \(period)" }
      try write(dir, "cpu.max", value, controller: "cpu", needed: "cpu.quota/period")
    }
    if let burst = cpu.burst {
      try write(dir, "cpu.max.burst", String(burst), controller: "cpu", needed: "cpu.burst")
    }
    if let idle = cpu.idle {
      try write(dir, "cpu.idle", String(idle), controller: "cpu", needed: "cpu.idle")
    }
    if (cpu.realtimeRuntime ?? 0) != 0 || (cpu.realtimePeriod ?? 0) != 0 {
      throw CgroupError.unsupported("cpu.realtimeRuntime/realtimePeriod do not exist in cgroup v2")
    }
    if let cpus = cpu.cpus, !cpus.isEmpty {
      try write(dir, "cpuset.cpus", cpus, controller: "cpuset", needed: "cpu.cpus")
    }
    if let mems = cpu.mems, !mems.isEmpty {
      try write(dir, "cpuset.mems", mems, controller: "cpuset", needed: "cpu.mems")
    }
  }

  /// io.bfq.weight (BFQ scheduler, same 1–1000 scale as blkio) when present, else io.weight
  /// (converted to 1–10000); throttles go to io.max.
  static func applyIO(_ blockIO: BlockIOResources, in dir: String) throws {
    let bfq = CgroupFS.exists(dir, "io.bfq.weight")
    if let weight = blockIO.weight, weight != 0 {
      if bfq {
        try CgroupFS.write(dir, "io.bfq.weight", String(weight))
      } else {
        let converted = CgroupConversions.ioWeight(fromBlkioWeight: UInt64(weight))
        try write(
          dir, "io.weight", "default \(converted)", controller: "io", needed: "blockIO.weight")
      }
    }
    if (blockIO.leafWeight ?? 0) != 0 {
      throw CgroupError.unsupported("blockIO.leafWeight does not exist in cgroup v2")
    }
    for device in blockIO.weightDevice ?? [] {
      guard let weight = device.weight, weight != 0 else { continue }
      if bfq {
        try CgroupFS.write(dir, "io.bfq.weight", "\(device.major):\(device.minor) \(weight)")
      } else {
        let converted = CgroupConversions.ioWeight(fromBlkioWeight: UInt64(weight))
        try write(
          dir, "io.weight", "\(device.major):\(device.minor) \(converted)", controller: "io",
          needed: "blockIO.weightDevice")
      }
    }
    let throttles: [(String, [ThrottleDevice]?)] = [
      ("rbps", blockIO.throttleReadBpsDevice), ("wbps", blockIO.throttleWriteBpsDevice),
      ("riops", blockIO.throttleReadIOPSDevice), ("wiops", blockIO.throttleWriteIOPSDevice),
    ]
    for (key, devices) in throttles {
      for device in devices ?? [] {
        let rate = device.rate == 0 ? "max" : String(device.rate)
        try write(
          dir, "io.max", "\(device.major):\(device.minor) \(key)=\(rate)", controller: "io",
          needed: "blockIO throttling")
      }
    }
  }
}
