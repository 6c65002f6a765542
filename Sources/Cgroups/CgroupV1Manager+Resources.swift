import Glibc
import OCI

extension CgroupV1Manager {
  public func apply(_ resources: OCI.Resources) throws {
    if let memory = resources.memory { try applyMemory(memory) }
    if let cpu = resources.cpu { try applyCPU(cpu) }
    if let pids = resources.pids, let limit = pids.limit {
      let dir = try requirePath("pids", for: "pids.limit")
      try CgroupFS.write(dir, "pids.max", CgroupConversions.pidsMax(limit))
    }
    if let blockIO = resources.blockIO { try applyBlockIO(blockIO) }
    if let rules = resources.devices { try applyDevices(rules) }
    if let hugepages = resources.hugepageLimits, !hugepages.isEmpty {
      let dir = try requirePath("hugetlb", for: "hugepageLimits")
      for limit in hugepages {
        try CgroupFS.write(dir, "hugetlb.\(limit.pageSize).limit_in_bytes", String(limit.limit))
      }
    }
    if let network = resources.network { try applyNetwork(network) }
    if let unified = resources.unified, !unified.isEmpty {
      // On hybrid hosts the cgroup2 hierarchy holds no controllers; only its cgroup.* files
      // (and any controller the host moved there) can be written.
      guard placement.mode == .hybrid, let dir = path(CgroupPlacement.unifiedKey) else {
        throw CgroupError.unsupported(
          "linux.resources.unified needs cgroup v2; this host has cgroup v1 only")
      }
      try CgroupV2Manager.writeUnified(unified, in: dir)
    }
  }

  // MARK: memory

  func applyMemory(_ memory: MemoryResources) throws {
    let wantsAnything =
      memory.limit != nil || memory.swap != nil || memory.reservation != nil
      || memory.swappiness != nil
      || memory.disableOOMKiller == true
    guard wantsAnything else { return }
    let dir = try requirePath("memory", for: "memory limits")
    let limit = memory.limit ?? 0
    var swap = memory.swap ?? 0
    let hasMemsw = CgroupFS.exists(dir, "memory.memsw.limit_in_bytes")
    // Memory unlimited and swap unset means both unlimited.
    if limit == -1 && swap == 0 && hasMemsw { swap = -1 }

    if limit != 0 && swap != 0 {
      // memsw must stay >= limit at every step, so the order depends on the direction.
      let current = try CgroupFS.readUInt(dir, "memory.limit_in_bytes") ?? UInt64.max
      if swap == -1 || current < UInt64(max(swap, 0)) {
        try setSwap(dir, swap, hasMemsw: hasMemsw)
        try setMemoryLimit(dir, limit)
      } else {
        try setMemoryLimit(dir, limit)
        try setSwap(dir, swap, hasMemsw: hasMemsw)
      }
    } else {
      if limit != 0 { try setMemoryLimit(dir, limit) }
      if swap != 0 { try setSwap(dir, swap, hasMemsw: hasMemsw) }
    }
    if let reservation = memory.reservation, reservation != 0 {
      try CgroupFS.write(dir, "memory.soft_limit_in_bytes", String(reservation))
    }
    if let swappiness = memory.swappiness {
      guard swappiness <= 100 else {
        throw CgroupError.invalidValue("memory.swappiness \(swappiness) (want 0 to 100)")
      }
      try CgroupFS.write(dir, "memory.swappiness", String(swappiness))
    }
    if memory.disableOOMKiller == true {
      try CgroupFS.write(dir, "memory.oom_control", "1")
    }
    // kernel / kernelTCP (kmem) are deprecated and refused by Linux ≥ 5.16; useHierarchy is
    // always on in current kernels. They are ignored, as runc does.
  }

  private func setMemoryLimit(_ dir: String, _ limit: Int64) throws {
    do {
      try CgroupFS.write(dir, "memory.limit_in_bytes", String(limit))
    } catch let error as CgroupError where error.errno == EBUSY {
      let usage = (try? CgroupFS.readUInt(dir, "memory.usage_in_bytes")).flatMap { $0 }
      let peak = (try? CgroupFS.readUInt(dir, "memory.max_usage_in_bytes")).flatMap { $0 }
      throw CgroupError.invalidValue(
        "memory limit \(limit) is below the current usage (\(usage.map(String.init) ?? "?") bytes, peak \(peak.map(String.init) ?? "?")) of \(dir)"
      )
    }
  }

  private func setSwap(_ dir: String, _ swap: Int64, hasMemsw: Bool) throws {
    guard hasMemsw else {
      if swap == -1 { return }
      throw CgroupError.unsupported(
        "memory.swap: \(dir)/memory.memsw.limit_in_bytes does not exist (swap accounting is off; boot the kernel with swapaccount=1)"
      )
    }
    try CgroupFS.write(dir, "memory.memsw.limit_in_bytes", String(swap))
  }

  // MARK: cpu

  func applyCPU(_ cpu: CPUResources) throws {
    let needsCPU =
      (cpu.shares ?? 0) != 0 || (cpu.quota ?? 0) != 0 || (cpu.period ?? 0) != 0 || cpu.burst != nil
      || (cpu.realtimeRuntime ?? 0) != 0 || (cpu.realtimePeriod ?? 0) != 0 || cpu.idle != nil
    if needsCPU {
      let dir = try requirePath("cpu", for: "cpu limits")
      if let shares = cpu.shares, shares != 0 {
        try CgroupFS.write(dir, "cpu.shares", String(shares))
        // The kernel clamps silently; say so instead of pretending it applied.
        if let set = try CgroupFS.readUInt(dir, "cpu.shares"), set != shares {
          throw CgroupError.invalidValue(
            "cpu.shares \(shares) is out of the kernel's range (it set \(set))")
        }
      }
      var pendingPeriod: UInt64?
      if let period = cpu.period, period != 0 {
        do {
          try CgroupFS.write(dir, "cpu.cfs_period_us", String(period))
        } catch let error as CgroupError where error.errno == EINVAL && (cpu.quota ?? 0) != 0 {
          // A shorter period can exceed the parent's quota ratio until the quota is set.
          pendingPeriod = period
        }
      }
      if let quota = cpu.quota, quota != 0 {
        try CgroupFS.write(dir, "cpu.cfs_quota_us", String(quota))
        if let period = pendingPeriod {
          try CgroupFS.write(dir, "cpu.cfs_period_us", String(period))
        }
      }
      if let burst = cpu.burst { try CgroupFS.write(dir, "cpu.cfs_burst_us", String(burst)) }
      if let period = cpu.realtimePeriod, period != 0 {
        try CgroupFS.write(dir, "cpu.rt_period_us", String(period))
      }
      if let runtime = cpu.realtimeRuntime, runtime != 0 {
        try CgroupFS.write(dir, "cpu.rt_runtime_us", String(runtime))
      }
      if let idle = cpu.idle { try CgroupFS.write(dir, "cpu.idle", String(idle)) }
    }
    if let cpus = cpu.cpus, !cpus.isEmpty {
      try CgroupFS.write(try requirePath("cpuset", for: "cpu.cpus"), "cpuset.cpus", cpus)
    }
    if let mems = cpu.mems, !mems.isEmpty {
      try CgroupFS.write(try requirePath("cpuset", for: "cpu.mems"), "cpuset.mems", mems)
    }
  }

  // MARK: blkio

  func applyBlockIO(_ blockIO: BlockIOResources) throws {
    let hasThrottle = [
      blockIO.throttleReadBpsDevice, blockIO.throttleWriteBpsDevice, blockIO.throttleReadIOPSDevice,
      blockIO.throttleWriteIOPSDevice,
    ].contains { !($0 ?? []).isEmpty }
    let wantsAnything =
      (blockIO.weight ?? 0) != 0 || (blockIO.leafWeight ?? 0) != 0
      || !(blockIO.weightDevice ?? []).isEmpty
      || hasThrottle
    guard wantsAnything else { return }
    let dir = try requirePath("blkio", for: "blockIO")
    // CFQ (removed in Linux 5.0) had blkio.weight; BFQ has blkio.bfq.weight.
    let weightFile: String? =
      CgroupFS.exists(dir, "blkio.weight")
      ? "blkio.weight" : (CgroupFS.exists(dir, "blkio.bfq.weight") ? "blkio.bfq.weight" : nil)
    if let weight = blockIO.weight, weight != 0 {
      guard let weightFile else {
        throw CgroupError.unsupported(
          "blockIO.weight: \(dir) has neither blkio.weight nor blkio.bfq.weight (the disk's IO scheduler is not BFQ)"
        )
      }
      try CgroupFS.write(dir, weightFile, String(weight))
    }
    if let leafWeight = blockIO.leafWeight, leafWeight != 0 {
      try CgroupFS.write(dir, "blkio.leaf_weight", String(leafWeight))
    }
    for device in blockIO.weightDevice ?? [] {
      if let weight = device.weight, weight != 0 {
        guard let weightFile else {
          throw CgroupError.unsupported(
            "blockIO.weightDevice: no blkio.weight_device or blkio.bfq.weight_device in \(dir)")
        }
        try CgroupFS.write(dir, weightFile + "_device", "\(device.major):\(device.minor) \(weight)")
      }
      if let leaf = device.leafWeight, leaf != 0 {
        try CgroupFS.write(
          dir, "blkio.leaf_weight_device", "\(device.major):\(device.minor) \(leaf)")
      }
    }
    let throttles: [(String, [ThrottleDevice]?)] = [
      ("blkio.throttle.read_bps_device", blockIO.throttleReadBpsDevice),
      ("blkio.throttle.write_bps_device", blockIO.throttleWriteBpsDevice),
      ("blkio.throttle.read_iops_device", blockIO.throttleReadIOPSDevice),
      ("blkio.throttle.write_iops_device", blockIO.throttleWriteIOPSDevice),
    ]
    for (file, devices) in throttles {
      for device in devices ?? [] {
        try CgroupFS.write(dir, file, "\(device.major):\(device.minor) \(device.rate)")
      }
    }
  }

  // MARK: devices

  /// Writes the allow-list in the order given, after resetting it: "a" to devices.deny
  /// (or, when the rules start from allow-all, "a" to devices.allow). Note an allow for a
  /// device the parent cgroup denies fails with EPERM: a child can never widen its parent.
  func applyDevices(_ rules: [DeviceCgroupRule]) throws {
    try DeviceRules.validate(rules)
    let dir = try requirePath("devices", for: "device rules")
    let (defaultAllow, rest) = DeviceRules.normalize(rules)
    if defaultAllow {
      // Writing "a" to devices.allow fails once the cgroup has children; skip when unchanged.
      if try CgroupFS.read(dir, "devices.list").trimmingSpaces() != "a *:* rwm" {
        try CgroupFS.write(dir, "devices.allow", "a")
      }
    } else {
      try CgroupFS.write(dir, "devices.deny", "a")
    }
    for rule in rest {
      let entry = DeviceRules.v1Entry(rule)
      do {
        try CgroupFS.write(dir, rule.allow ? "devices.allow" : "devices.deny", entry)
      } catch let error as CgroupError where error.errno == EPERM && rule.allow {
        throw CgroupError.invalidValue(
          "device rule \"\(entry)\" is not allowed by the parent cgroup of \(dir) (EPERM); a child cgroup cannot widen its parent's device list"
        )
      }
    }
  }

  // MARK: network

  func applyNetwork(_ network: NetworkResources) throws {
    if let classID = network.classID {
      try CgroupFS.write(
        try requirePath("net_cls", for: "network.classID"), "net_cls.classid", String(classID))
    }
    for priority in network.priorities ?? [] {
      try CgroupFS.write(
        try requirePath("net_prio", for: "network.priorities"), "net_prio.ifpriomap",
        "\(priority.name) \(priority.priority)")
    }
  }
}
