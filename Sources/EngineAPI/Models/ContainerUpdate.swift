// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// POST /containers/{id}/update: resources and restart policy.
public struct ContainerUpdateRequest: Codable, Sendable, Equatable {
  public var cpuShares: Int64?
  public var memory: Int64?
  public var cgroupParent: String?
  public var blkioWeight: Int?
  public var cpuPeriod: Int64?
  public var cpuQuota: Int64?
  public var cpuRealtimePeriod: Int64?
  public var cpuRealtimeRuntime: Int64?
  public var cpusetCpus: String?
  public var cpusetMems: String?
  public var devices: [DeviceMapping]?
  public var memoryReservation: Int64?
  public var memorySwap: Int64?
  public var memorySwappiness: Int64?
  public var nanoCpus: Int64?
  public var oomKillDisable: Bool?
  public var pidsLimit: Int64?
  public var ulimits: [Ulimit]?
  public var restartPolicy: RestartPolicy?

  public init(
    cpuShares: Int64? = nil,
    memory: Int64? = nil,
    cgroupParent: String? = nil,
    blkioWeight: Int? = nil,
    cpuPeriod: Int64? = nil,
    cpuQuota: Int64? = nil,
    cpuRealtimePeriod: Int64? = nil,
    cpuRealtimeRuntime: Int64? = nil,
    cpusetCpus: String? = nil,
    cpusetMems: String? = nil,
    devices: [DeviceMapping]? = nil,
    memoryReservation: Int64? = nil,
    memorySwap: Int64? = nil,
    memorySwappiness: Int64? = nil,
    nanoCpus: Int64? = nil,
    oomKillDisable: Bool? = nil,
    pidsLimit: Int64? = nil,
    ulimits: [Ulimit]? = nil,
    restartPolicy: RestartPolicy? = nil
  ) {
    self.cpuShares = cpuShares
    self.memory = memory
    self.cgroupParent = cgroupParent
    self.blkioWeight = blkioWeight
    self.cpuPeriod = cpuPeriod
    self.cpuQuota = cpuQuota
    self.cpuRealtimePeriod = cpuRealtimePeriod
    self.cpuRealtimeRuntime = cpuRealtimeRuntime
    self.cpusetCpus = cpusetCpus
    self.cpusetMems = cpusetMems
    self.devices = devices
    self.memoryReservation = memoryReservation
    self.memorySwap = memorySwap
    self.memorySwappiness = memorySwappiness
    self.nanoCpus = nanoCpus
    self.oomKillDisable = oomKillDisable
    self.pidsLimit = pidsLimit
    self.ulimits = ulimits
    self.restartPolicy = restartPolicy
  }

  enum CodingKeys: String, CodingKey {
    case cpuShares = "CpuShares"
    case memory = "Memory"
    case cgroupParent = "CgroupParent"
    case blkioWeight = "BlkioWeight"
    case cpuPeriod = "CpuPeriod"
    case cpuQuota = "CpuQuota"
    case cpuRealtimePeriod = "CpuRealtimePeriod"
    case cpuRealtimeRuntime = "CpuRealtimeRuntime"
    case cpusetCpus = "CpusetCpus"
    case cpusetMems = "CpusetMems"
    case devices = "Devices"
    case memoryReservation = "MemoryReservation"
    case memorySwap = "MemorySwap"
    case memorySwappiness = "MemorySwappiness"
    case nanoCpus = "NanoCpus"
    case oomKillDisable = "OomKillDisable"
    case pidsLimit = "PidsLimit"
    case ulimits = "Ulimits"
    case restartPolicy = "RestartPolicy"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.cpuShares = try c.decodeIfPresent(Int64.self, forKey: .cpuShares)
    self.memory = try c.decodeIfPresent(Int64.self, forKey: .memory)
    self.cgroupParent = try c.decodeIfPresent(String.self, forKey: .cgroupParent)
    self.blkioWeight = try c.decodeIfPresent(Int.self, forKey: .blkioWeight)
    self.cpuPeriod = try c.decodeIfPresent(Int64.self, forKey: .cpuPeriod)
    self.cpuQuota = try c.decodeIfPresent(Int64.self, forKey: .cpuQuota)
    self.cpuRealtimePeriod = try c.decodeIfPresent(Int64.self, forKey: .cpuRealtimePeriod)
    self.cpuRealtimeRuntime = try c.decodeIfPresent(Int64.self, forKey: .cpuRealtimeRuntime)
    self.cpusetCpus = try c.decodeIfPresent(String.self, forKey: .cpusetCpus)
    self.cpusetMems = try c.decodeIfPresent(String.self, forKey: .cpusetMems)
    self.devices = try c.decodeIfPresent([DeviceMapping].self, forKey: .devices)
    self.memoryReservation = try c.decodeIfPresent(Int64.self, forKey: .memoryReservation)
    self.memorySwap = try c.decodeIfPresent(Int64.self, forKey: .memorySwap)
    self.memorySwappiness = try c.decodeIfPresent(Int64.self, forKey: .memorySwappiness)
    self.nanoCpus = try c.decodeIfPresent(Int64.self, forKey: .nanoCpus)
    self.oomKillDisable = try c.decodeIfPresent(Bool.self, forKey: .oomKillDisable)
    self.pidsLimit = try c.decodeIfPresent(Int64.self, forKey: .pidsLimit)
    self.ulimits = try c.decodeIfPresent([Ulimit].self, forKey: .ulimits)
    self.restartPolicy = try c.decodeIfPresent(RestartPolicy.self, forKey: .restartPolicy)
  }
}
