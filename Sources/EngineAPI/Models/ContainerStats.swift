// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// GET /containers/{id}/stats: one sample (`docker stats` reads these keys).
public struct ContainerStats: Codable, Sendable, Equatable {
  public var id: String?
  public var name: String?
  public var read: String
  public var preread: String
  public var pidsStats: PidsStats
  public var blkioStats: BlkioStats
  public var numProcs: Int
  public var cpuStats: CPUStats
  public var precpuStats: CPUStats
  public var memoryStats: MemoryStats
  public var networks: [String: NetworkStats]?

  public init(
    id: String? = nil,
    name: String? = nil,
    read: String = "0001-01-01T00:00:00Z",
    preread: String = "0001-01-01T00:00:00Z",
    pidsStats: PidsStats = PidsStats(),
    blkioStats: BlkioStats = BlkioStats(),
    numProcs: Int = 0,
    cpuStats: CPUStats = CPUStats(),
    precpuStats: CPUStats = CPUStats(),
    memoryStats: MemoryStats = MemoryStats(),
    networks: [String: NetworkStats]? = nil
  ) {
    self.id = id
    self.name = name
    self.read = read
    self.preread = preread
    self.pidsStats = pidsStats
    self.blkioStats = blkioStats
    self.numProcs = numProcs
    self.cpuStats = cpuStats
    self.precpuStats = precpuStats
    self.memoryStats = memoryStats
    self.networks = networks
  }

  enum CodingKeys: String, CodingKey {
    case id
    case name
    case read
    case preread
    case pidsStats = "pids_stats"
    case blkioStats = "blkio_stats"
    case numProcs = "num_procs"
    case cpuStats = "cpu_stats"
    case precpuStats = "precpu_stats"
    case memoryStats = "memory_stats"
    case networks
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id)
    self.name = try c.decodeIfPresent(String.self, forKey: .name)
    self.read = try c.decodeIfPresent(String.self, forKey: .read) ?? "0001-01-01T00:00:00Z"
    self.preread = try c.decodeIfPresent(String.self, forKey: .preread) ?? "0001-01-01T00:00:00Z"
    self.pidsStats = try c.decodeIfPresent(PidsStats.self, forKey: .pidsStats) ?? PidsStats()
    self.blkioStats = try c.decodeIfPresent(BlkioStats.self, forKey: .blkioStats) ?? BlkioStats()
    self.numProcs = try c.decodeIfPresent(Int.self, forKey: .numProcs) ?? 0
    self.cpuStats = try c.decodeIfPresent(CPUStats.self, forKey: .cpuStats) ?? CPUStats()
    self.precpuStats = try c.decodeIfPresent(CPUStats.self, forKey: .precpuStats) ?? CPUStats()
    self.memoryStats = try c.decodeIfPresent(MemoryStats.self, forKey: .memoryStats) ?? MemoryStats()
    self.networks = try c.decodeIfPresent([String: NetworkStats].self, forKey: .networks)
  }
}

public struct PidsStats: Codable, Sendable, Equatable {
  public var current: UInt64?
  public var limit: UInt64?

  public init(current: UInt64? = nil, limit: UInt64? = nil) {
    self.current = current
    self.limit = limit
  }

  enum CodingKeys: String, CodingKey {
    case current
    case limit
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.current = try c.decodeIfPresent(UInt64.self, forKey: .current)
    self.limit = try c.decodeIfPresent(UInt64.self, forKey: .limit)
  }
}

public struct BlkioStats: Codable, Sendable, Equatable {
  public var ioServiceBytesRecursive: [BlkioStatEntry]?
  public var ioServicedRecursive: [BlkioStatEntry]?
  public var ioQueueRecursive: [BlkioStatEntry]?
  public var ioServiceTimeRecursive: [BlkioStatEntry]?
  public var ioWaitTimeRecursive: [BlkioStatEntry]?
  public var ioMergedRecursive: [BlkioStatEntry]?
  public var ioTimeRecursive: [BlkioStatEntry]?
  public var sectorsRecursive: [BlkioStatEntry]?

  public init(
    ioServiceBytesRecursive: [BlkioStatEntry]? = nil,
    ioServicedRecursive: [BlkioStatEntry]? = nil,
    ioQueueRecursive: [BlkioStatEntry]? = nil,
    ioServiceTimeRecursive: [BlkioStatEntry]? = nil,
    ioWaitTimeRecursive: [BlkioStatEntry]? = nil,
    ioMergedRecursive: [BlkioStatEntry]? = nil,
    ioTimeRecursive: [BlkioStatEntry]? = nil,
    sectorsRecursive: [BlkioStatEntry]? = nil
  ) {
    self.ioServiceBytesRecursive = ioServiceBytesRecursive
    self.ioServicedRecursive = ioServicedRecursive
    self.ioQueueRecursive = ioQueueRecursive
    self.ioServiceTimeRecursive = ioServiceTimeRecursive
    self.ioWaitTimeRecursive = ioWaitTimeRecursive
    self.ioMergedRecursive = ioMergedRecursive
    self.ioTimeRecursive = ioTimeRecursive
    self.sectorsRecursive = sectorsRecursive
  }

  enum CodingKeys: String, CodingKey {
    case ioServiceBytesRecursive = "io_service_bytes_recursive"
    case ioServicedRecursive = "io_serviced_recursive"
    case ioQueueRecursive = "io_queue_recursive"
    case ioServiceTimeRecursive = "io_service_time_recursive"
    case ioWaitTimeRecursive = "io_wait_time_recursive"
    case ioMergedRecursive = "io_merged_recursive"
    case ioTimeRecursive = "io_time_recursive"
    case sectorsRecursive = "sectors_recursive"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.ioServiceBytesRecursive = try c.decodeIfPresent([BlkioStatEntry].self, forKey: .ioServiceBytesRecursive)
    self.ioServicedRecursive = try c.decodeIfPresent([BlkioStatEntry].self, forKey: .ioServicedRecursive)
    self.ioQueueRecursive = try c.decodeIfPresent([BlkioStatEntry].self, forKey: .ioQueueRecursive)
    self.ioServiceTimeRecursive = try c.decodeIfPresent([BlkioStatEntry].self, forKey: .ioServiceTimeRecursive)
    self.ioWaitTimeRecursive = try c.decodeIfPresent([BlkioStatEntry].self, forKey: .ioWaitTimeRecursive)
    self.ioMergedRecursive = try c.decodeIfPresent([BlkioStatEntry].self, forKey: .ioMergedRecursive)
    self.ioTimeRecursive = try c.decodeIfPresent([BlkioStatEntry].self, forKey: .ioTimeRecursive)
    self.sectorsRecursive = try c.decodeIfPresent([BlkioStatEntry].self, forKey: .sectorsRecursive)
  }
}

public struct BlkioStatEntry: Codable, Sendable, Equatable {
  public var major: UInt64
  public var minor: UInt64
  /// "read", "write"
  public var op: String
  public var value: UInt64

  public init(major: UInt64 = 0, minor: UInt64 = 0, op: String = "", value: UInt64 = 0) {
    self.major = major
    self.minor = minor
    self.op = op
    self.value = value
  }

  enum CodingKeys: String, CodingKey {
    case major
    case minor
    case op
    case value
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.major = try c.decodeIfPresent(UInt64.self, forKey: .major) ?? 0
    self.minor = try c.decodeIfPresent(UInt64.self, forKey: .minor) ?? 0
    self.op = try c.decodeIfPresent(String.self, forKey: .op) ?? ""
    self.value = try c.decodeIfPresent(UInt64.self, forKey: .value) ?? 0
  }
}

public struct CPUStats: Codable, Sendable, Equatable {
  public var cpuUsage: CPUUsage
  /// host CPU time in nanoseconds
  public var systemCpuUsage: UInt64?
  public var onlineCpus: UInt32?
  public var throttlingData: ThrottlingData

  public init(
    cpuUsage: CPUUsage = CPUUsage(),
    systemCpuUsage: UInt64? = nil,
    onlineCpus: UInt32? = nil,
    throttlingData: ThrottlingData = ThrottlingData()
  ) {
    self.cpuUsage = cpuUsage
    self.systemCpuUsage = systemCpuUsage
    self.onlineCpus = onlineCpus
    self.throttlingData = throttlingData
  }

  enum CodingKeys: String, CodingKey {
    case cpuUsage = "cpu_usage"
    case systemCpuUsage = "system_cpu_usage"
    case onlineCpus = "online_cpus"
    case throttlingData = "throttling_data"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.cpuUsage = try c.decodeIfPresent(CPUUsage.self, forKey: .cpuUsage) ?? CPUUsage()
    self.systemCpuUsage = try c.decodeIfPresent(UInt64.self, forKey: .systemCpuUsage)
    self.onlineCpus = try c.decodeIfPresent(UInt32.self, forKey: .onlineCpus)
    self.throttlingData = try c.decodeIfPresent(ThrottlingData.self, forKey: .throttlingData) ?? ThrottlingData()
  }
}

public struct CPUUsage: Codable, Sendable, Equatable {
  /// nanoseconds
  public var totalUsage: UInt64
  public var percpuUsage: [UInt64]?
  public var usageInKernelmode: UInt64
  public var usageInUsermode: UInt64

  public init(
    totalUsage: UInt64 = 0,
    percpuUsage: [UInt64]? = nil,
    usageInKernelmode: UInt64 = 0,
    usageInUsermode: UInt64 = 0
  ) {
    self.totalUsage = totalUsage
    self.percpuUsage = percpuUsage
    self.usageInKernelmode = usageInKernelmode
    self.usageInUsermode = usageInUsermode
  }

  enum CodingKeys: String, CodingKey {
    case totalUsage = "total_usage"
    case percpuUsage = "percpu_usage"
    case usageInKernelmode = "usage_in_kernelmode"
    case usageInUsermode = "usage_in_usermode"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.totalUsage = try c.decodeIfPresent(UInt64.self, forKey: .totalUsage) ?? 0
    self.percpuUsage = try c.decodeIfPresent([UInt64].self, forKey: .percpuUsage)
    self.usageInKernelmode = try c.decodeIfPresent(UInt64.self, forKey: .usageInKernelmode) ?? 0
    self.usageInUsermode = try c.decodeIfPresent(UInt64.self, forKey: .usageInUsermode) ?? 0
  }
}

public struct ThrottlingData: Codable, Sendable, Equatable {
  public var periods: UInt64
  public var throttledPeriods: UInt64
  public var throttledTime: UInt64

  public init(periods: UInt64 = 0, throttledPeriods: UInt64 = 0, throttledTime: UInt64 = 0) {
    self.periods = periods
    self.throttledPeriods = throttledPeriods
    self.throttledTime = throttledTime
  }

  enum CodingKeys: String, CodingKey {
    case periods
    case throttledPeriods = "throttled_periods"
    case throttledTime = "throttled_time"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.periods = try c.decodeIfPresent(UInt64.self, forKey: .periods) ?? 0
    self.throttledPeriods = try c.decodeIfPresent(UInt64.self, forKey: .throttledPeriods) ?? 0
    self.throttledTime = try c.decodeIfPresent(UInt64.self, forKey: .throttledTime) ?? 0
  }
}

/// `stats` holds the cgroup's memory.stat (v1: total_inactive_file; v2: inactive_file).
public struct MemoryStats: Codable, Sendable, Equatable {
  public var usage: UInt64?
  public var maxUsage: UInt64?
  public var stats: [String: UInt64]?
  public var failcnt: UInt64?
  public var limit: UInt64?

  public init(
    usage: UInt64? = nil,
    maxUsage: UInt64? = nil,
    stats: [String: UInt64]? = nil,
    failcnt: UInt64? = nil,
    limit: UInt64? = nil
  ) {
    self.usage = usage
    self.maxUsage = maxUsage
    self.stats = stats
    self.failcnt = failcnt
    self.limit = limit
  }

  enum CodingKeys: String, CodingKey {
    case usage
    case maxUsage = "max_usage"
    case stats
    case failcnt
    case limit
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.usage = try c.decodeIfPresent(UInt64.self, forKey: .usage)
    self.maxUsage = try c.decodeIfPresent(UInt64.self, forKey: .maxUsage)
    self.stats = try c.decodeIfPresent([String: UInt64].self, forKey: .stats)
    self.failcnt = try c.decodeIfPresent(UInt64.self, forKey: .failcnt)
    self.limit = try c.decodeIfPresent(UInt64.self, forKey: .limit)
  }
}

public struct NetworkStats: Codable, Sendable, Equatable {
  public var rxBytes: UInt64
  public var rxPackets: UInt64
  public var rxErrors: UInt64
  public var rxDropped: UInt64
  public var txBytes: UInt64
  public var txPackets: UInt64
  public var txErrors: UInt64
  public var txDropped: UInt64

  public init(
    rxBytes: UInt64 = 0,
    rxPackets: UInt64 = 0,
    rxErrors: UInt64 = 0,
    rxDropped: UInt64 = 0,
    txBytes: UInt64 = 0,
    txPackets: UInt64 = 0,
    txErrors: UInt64 = 0,
    txDropped: UInt64 = 0
  ) {
    self.rxBytes = rxBytes
    self.rxPackets = rxPackets
    self.rxErrors = rxErrors
    self.rxDropped = rxDropped
    self.txBytes = txBytes
    self.txPackets = txPackets
    self.txErrors = txErrors
    self.txDropped = txDropped
  }

  enum CodingKeys: String, CodingKey {
    case rxBytes = "rx_bytes"
    case rxPackets = "rx_packets"
    case rxErrors = "rx_errors"
    case rxDropped = "rx_dropped"
    case txBytes = "tx_bytes"
    case txPackets = "tx_packets"
    case txErrors = "tx_errors"
    case txDropped = "tx_dropped"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.rxBytes = try c.decodeIfPresent(UInt64.self, forKey: .rxBytes) ?? 0
    self.rxPackets = try c.decodeIfPresent(UInt64.self, forKey: .rxPackets) ?? 0
    self.rxErrors = try c.decodeIfPresent(UInt64.self, forKey: .rxErrors) ?? 0
    self.rxDropped = try c.decodeIfPresent(UInt64.self, forKey: .rxDropped) ?? 0
    self.txBytes = try c.decodeIfPresent(UInt64.self, forKey: .txBytes) ?? 0
    self.txPackets = try c.decodeIfPresent(UInt64.self, forKey: .txPackets) ?? 0
    self.txErrors = try c.decodeIfPresent(UInt64.self, forKey: .txErrors) ?? 0
    self.txDropped = try c.decodeIfPresent(UInt64.self, forKey: .txDropped) ?? 0
  }
}
