// Cgroup resources from HostConfig, with Docker's conversions and conflict errors, and the
// device cgroup rules (runc's allowed defaults; everything with --privileged).
import OCI

extension SpecBuilder {
  /// runc's specconv.AllowedDevices, which Docker grants every container.
  static let defaultDeviceRules: [DeviceCgroupRule] = [
    DeviceCgroupRule(allow: false, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", access: "m"),
    DeviceCgroupRule(allow: true, type: "b", access: "m"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 8, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 7, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 5, minor: 0, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 5, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 1, minor: 9, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 5, minor: 1, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 136, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 5, minor: 2, access: "rwm"),
    DeviceCgroupRule(allow: true, type: "c", major: 10, minor: 200, access: "rwm"),
  ]

  static let cpuPeriodForNanoCPUs: Int64 = 100_000

  static func resources(_ r: ResourceSettings, privileged: Bool) throws -> Resources {
    var out = Resources(
      devices: privileged ? [DeviceCgroupRule(allow: true, access: "rwm")] : defaultDeviceRules)

    if let m = r.memory, m != 0 {
      guard m >= 6 * 1024 * 1024 else {
        throw DaemonError.invalid("Minimum memory limit allowed is 6MB")
      }
    }
    var memory = MemoryResources()
    if let m = r.memory, m > 0 { memory.limit = m }
    if let swap = r.memorySwap, swap != 0 {
      if swap > 0 {
        guard let m = memory.limit else {
          throw DaemonError.invalid(
            "You should always set the Memory limit when using Memoryswap limit, see usage")
        }
        guard swap >= m else {
          throw DaemonError.invalid(
            "Minimum memoryswap limit should be larger than memory limit, see usage")
        }
      }
      memory.swap = swap < 0 ? -1 : swap
    } else if let m = memory.limit {
      memory.swap = 2 * m
    }
    if let res = r.memoryReservation, res > 0 {
      if let m = memory.limit, res > m {
        throw DaemonError.invalid(
          "Minimum memory limit can not be less than memory reservation limit, see usage")
      }
      memory.reservation = res
    }
    if let sw = r.memorySwappiness, sw >= 0 {
      guard sw <= 100 else {
        throw DaemonError.invalid("Invalid value: \(sw), valid memory swappiness range is 0-100")
      }
      memory.swappiness = UInt64(sw)
    }
    if r.oomKillDisable == true { memory.disableOOMKiller = true }
    if memory != MemoryResources() { out.memory = memory }

    var cpu = CPUResources()
    if let n = r.nanoCpus, n != 0 {
      if (r.cpuPeriod ?? 0) != 0 {
        throw DaemonError.invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set")
      }
      if (r.cpuQuota ?? 0) != 0 {
        throw DaemonError.invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set")
      }
      guard n > 0 else { throw DaemonError.invalid("Range of CPUs is from 0.01 to the number of CPUs available") }
      cpu.period = UInt64(cpuPeriodForNanoCPUs)
      cpu.quota = n * cpuPeriodForNanoCPUs / 1_000_000_000
    }
    if let p = r.cpuPeriod, p != 0 {
      guard (1000...1_000_000).contains(p) else {
        throw DaemonError.invalid(
          "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)")
      }
      cpu.period = UInt64(p)
    }
    if let q = r.cpuQuota, q != 0 {
      guard q >= 1000 || q == -1 else {
        throw DaemonError.invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)")
      }
      cpu.quota = q
    }
    if let shares = r.cpuShares, shares > 0 { cpu.shares = UInt64(shares) }
    if let set = r.cpusetCpus, !set.isEmpty {
      guard isCPUList(set) else { throw DaemonError.invalid("Invalid value \(set) for cpuset cpus") }
      cpu.cpus = set
    }
    if let set = r.cpusetMems, !set.isEmpty {
      guard isCPUList(set) else { throw DaemonError.invalid("Invalid value \(set) for cpuset mems") }
      cpu.mems = set
    }
    if cpu != CPUResources() { out.cpu = cpu }

    if let p = r.pidsLimit, p > 0 { out.pids = PidsResources(limit: p) }
    if let w = r.blkioWeight, w != 0 {
      guard (10...1000).contains(w) else { throw DaemonError.invalid("Range of blkio weight is from 10 to 1000") }
      out.blockIO = BlockIOResources(weight: w)
    }
    return out
  }

  /// "0-3,5" style lists.
  static func isCPUList(_ s: String) -> Bool {
    s.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
      let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
      guard (1...2).contains(bounds.count), bounds.allSatisfy({ UInt32($0) != nil }) else { return false }
      return bounds.count == 1 || (UInt32(bounds[0]) ?? 1) <= (UInt32(bounds[1]) ?? 0)
    }
  }

  /// `--device /dev/x[:/dev/y[:rwm]]`: the nodes to create in the container.
  static func devices(_ mappings: [DeviceMapping], context: SpecContext) throws -> [Device] {
    try mappings.map { m in
      var d = try context.hostDevice(m.pathOnHost)
      d.path = m.pathInContainer.isEmpty ? m.pathOnHost : m.pathInContainer
      return d
    }
  }

  /// `--device-cgroup-rule "c 1:3 mr"`: type (a, b or c), major:minor (`*` for any), access.
  static func deviceCgroupRule(_ text: String) throws -> DeviceCgroupRule {
    let invalid = DaemonError.invalid("invalid device cgroup format '\(text)'")
    let parts = text.split(separator: " ").map(String.init)
    guard let type = parts.first, ["a", "b", "c"].contains(type) else { throw invalid }
    if type == "a" && parts.count == 1 { return DeviceCgroupRule(allow: true, type: "a", access: "rwm") }
    guard parts.count == 3 else { throw invalid }
    let numbers = parts[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard numbers.count == 2 else { throw invalid }
    func number(_ s: String) throws -> Int64? {
      if s == "*" { return nil }
      guard let n = Int64(s), n >= 0 else { throw invalid }
      return n
    }
    let access = parts[2]
    guard !access.isEmpty, access.allSatisfy({ "rwm".contains($0) }) else { throw invalid }
    return DeviceCgroupRule(
      allow: true, type: type, major: try number(numbers[0]), minor: try number(numbers[1]), access: access)
  }

  static func deviceRules(_ devices: [Device], _ mappings: [DeviceMapping]) -> [DeviceCgroupRule] {
    zip(devices, mappings).map { d, m in
      DeviceCgroupRule(
        allow: true, type: d.type, major: d.major, minor: d.minor,
        access: m.cgroupPermissions.isEmpty ? "rwm" : m.cgroupPermissions)
    }
  }
}
