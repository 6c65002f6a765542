// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// The non-portable configuration (`HostConfig` in create and inspect).
public struct HostConfig: Codable, Sendable, Equatable {
  public var cpuShares: Int64?
  public var memory: Int64?
  public var cgroupParent: String?
  public var blkioWeight: Int?
  public var blkioWeightDevice: [WeightDevice]?
  public var blkioDeviceReadBps: [ThrottleDevice]?
  public var blkioDeviceWriteBps: [ThrottleDevice]?
  public var blkioDeviceReadIOps: [ThrottleDevice]?
  public var blkioDeviceWriteIOps: [ThrottleDevice]?
  public var cpuPeriod: Int64?
  public var cpuQuota: Int64?
  public var cpuRealtimePeriod: Int64?
  public var cpuRealtimeRuntime: Int64?
  public var cpusetCpus: String?
  public var cpusetMems: String?
  public var devices: [DeviceMapping]?
  public var deviceCgroupRules: [String]?
  public var deviceRequests: [DeviceRequest]?
  public var kernelMemoryTCP: Int64?
  public var memoryReservation: Int64?
  public var memorySwap: Int64?
  public var memorySwappiness: Int64?
  public var nanoCpus: Int64?
  public var oomKillDisable: Bool?
  /// `--init`
  public var initProcess: Bool?
  public var pidsLimit: Int64?
  public var ulimits: [Ulimit]?
  public var cpuCount: Int64?
  public var cpuPercent: Int64?
  public var ioMaximumIOps: Int64?
  public var ioMaximumBandwidth: Int64?
  /// "/host:/ctr[:ro]", "volume:/ctr"
  public var binds: [String]?
  public var containerIDFile: String?
  public var logConfig: LogConfig?
  public var networkMode: String?
  /// "80/tcp": [{"HostIp": "", "HostPort": "8080"}]
  public var portBindings: [String: [PortBinding]?]?
  public var restartPolicy: RestartPolicy?
  public var autoRemove: Bool?
  public var volumeDriver: String?
  public var volumesFrom: [String]?
  public var mounts: [Mount]?
  public var consoleSize: [Int]?
  public var annotations: [String: String]?
  public var capAdd: [String]?
  public var capDrop: [String]?
  public var cgroupnsMode: String?
  public var dns: [String]?
  public var dnsOptions: [String]?
  public var dnsSearch: [String]?
  public var extraHosts: [String]?
  public var groupAdd: [String]?
  public var ipcMode: String?
  public var cgroup: String?
  public var links: [String]?
  public var oomScoreAdj: Int?
  public var pidMode: String?
  public var privileged: Bool?
  public var publishAllPorts: Bool?
  public var readonlyRootfs: Bool?
  public var securityOpt: [String]?
  public var storageOpt: [String: String]?
  /// "/run": "rw,size=64m"
  public var tmpfs: [String: String]?
  public var utsMode: String?
  public var usernsMode: String?
  public var shmSize: Int64?
  public var sysctls: [String: String]?
  public var runtime: String?
  public var isolation: String?
  public var maskedPaths: [String]?
  public var readonlyPaths: [String]?

  public init(
    cpuShares: Int64? = nil,
    memory: Int64? = nil,
    cgroupParent: String? = nil,
    blkioWeight: Int? = nil,
    blkioWeightDevice: [WeightDevice]? = nil,
    blkioDeviceReadBps: [ThrottleDevice]? = nil,
    blkioDeviceWriteBps: [ThrottleDevice]? = nil,
    blkioDeviceReadIOps: [ThrottleDevice]? = nil,
    blkioDeviceWriteIOps: [ThrottleDevice]? = nil,
    cpuPeriod: Int64? = nil,
    cpuQuota: Int64? = nil,
    cpuRealtimePeriod: Int64? = nil,
    cpuRealtimeRuntime: Int64? = nil,
    cpusetCpus: String? = nil,
    cpusetMems: String? = nil,
    devices: [DeviceMapping]? = nil,
    deviceCgroupRules: [String]? = nil,
    deviceRequests: [DeviceRequest]? = nil,
    kernelMemoryTCP: Int64? = nil,
    memoryReservation: Int64? = nil,
    memorySwap: Int64? = nil,
    memorySwappiness: Int64? = nil,
    nanoCpus: Int64? = nil,
    oomKillDisable: Bool? = nil,
    initProcess: Bool? = nil,
    pidsLimit: Int64? = nil,
    ulimits: [Ulimit]? = nil,
    cpuCount: Int64? = nil,
    cpuPercent: Int64? = nil,
    ioMaximumIOps: Int64? = nil,
    ioMaximumBandwidth: Int64? = nil,
    binds: [String]? = nil,
    containerIDFile: String? = nil,
    logConfig: LogConfig? = nil,
    networkMode: String? = nil,
    portBindings: [String: [PortBinding]?]? = nil,
    restartPolicy: RestartPolicy? = nil,
    autoRemove: Bool? = nil,
    volumeDriver: String? = nil,
    volumesFrom: [String]? = nil,
    mounts: [Mount]? = nil,
    consoleSize: [Int]? = nil,
    annotations: [String: String]? = nil,
    capAdd: [String]? = nil,
    capDrop: [String]? = nil,
    cgroupnsMode: String? = nil,
    dns: [String]? = nil,
    dnsOptions: [String]? = nil,
    dnsSearch: [String]? = nil,
    extraHosts: [String]? = nil,
    groupAdd: [String]? = nil,
    ipcMode: String? = nil,
    cgroup: String? = nil,
    links: [String]? = nil,
    oomScoreAdj: Int? = nil,
    pidMode: String? = nil,
    privileged: Bool? = nil,
    publishAllPorts: Bool? = nil,
    readonlyRootfs: Bool? = nil,
    securityOpt: [String]? = nil,
    storageOpt: [String: String]? = nil,
    tmpfs: [String: String]? = nil,
    utsMode: String? = nil,
    usernsMode: String? = nil,
    shmSize: Int64? = nil,
    sysctls: [String: String]? = nil,
    runtime: String? = nil,
    isolation: String? = nil,
    maskedPaths: [String]? = nil,
    readonlyPaths: [String]? = nil
  ) {
    self.cpuShares = cpuShares
    self.memory = memory
    self.cgroupParent = cgroupParent
    self.blkioWeight = blkioWeight
    self.blkioWeightDevice = blkioWeightDevice
    self.blkioDeviceReadBps = blkioDeviceReadBps
    self.blkioDeviceWriteBps = blkioDeviceWriteBps
    self.blkioDeviceReadIOps = blkioDeviceReadIOps
    self.blkioDeviceWriteIOps = blkioDeviceWriteIOps
    self.cpuPeriod = cpuPeriod
    self.cpuQuota = cpuQuota
    self.cpuRealtimePeriod = cpuRealtimePeriod
    self.cpuRealtimeRuntime = cpuRealtimeRuntime
    self.cpusetCpus = cpusetCpus
    self.cpusetMems = cpusetMems
    self.devices = devices
    self.deviceCgroupRules = deviceCgroupRules
    self.deviceRequests = deviceRequests
    self.kernelMemoryTCP = kernelMemoryTCP
    self.memoryReservation = memoryReservation
    self.memorySwap = memorySwap
    self.memorySwappiness = memorySwappiness
    self.nanoCpus = nanoCpus
    self.oomKillDisable = oomKillDisable
    self.initProcess = initProcess
    self.pidsLimit = pidsLimit
    self.ulimits = ulimits
    self.cpuCount = cpuCount
    self.cpuPercent = cpuPercent
    self.ioMaximumIOps = ioMaximumIOps
    self.ioMaximumBandwidth = ioMaximumBandwidth
    self.binds = binds
    self.containerIDFile = containerIDFile
    self.logConfig = logConfig
    self.networkMode = networkMode
    self.portBindings = portBindings
    self.restartPolicy = restartPolicy
    self.autoRemove = autoRemove
    self.volumeDriver = volumeDriver
    self.volumesFrom = volumesFrom
    self.mounts = mounts
    self.consoleSize = consoleSize
    self.annotations = annotations
    self.capAdd = capAdd
    self.capDrop = capDrop
    self.cgroupnsMode = cgroupnsMode
    self.dns = dns
    self.dnsOptions = dnsOptions
    self.dnsSearch = dnsSearch
    self.extraHosts = extraHosts
    self.groupAdd = groupAdd
    self.ipcMode = ipcMode
    self.cgroup = cgroup
    self.links = links
    self.oomScoreAdj = oomScoreAdj
    self.pidMode = pidMode
    self.privileged = privileged
    self.publishAllPorts = publishAllPorts
    self.readonlyRootfs = readonlyRootfs
    self.securityOpt = securityOpt
    self.storageOpt = storageOpt
    self.tmpfs = tmpfs
    self.utsMode = utsMode
    self.usernsMode = usernsMode
    self.shmSize = shmSize
    self.sysctls = sysctls
    self.runtime = runtime
    self.isolation = isolation
    self.maskedPaths = maskedPaths
    self.readonlyPaths = readonlyPaths
  }

  enum CodingKeys: String, CodingKey {
    case cpuShares = "CpuShares"
    case memory = "Memory"
    case cgroupParent = "CgroupParent"
    case blkioWeight = "BlkioWeight"
    case blkioWeightDevice = "BlkioWeightDevice"
    case blkioDeviceReadBps = "BlkioDeviceReadBps"
    case blkioDeviceWriteBps = "BlkioDeviceWriteBps"
    case blkioDeviceReadIOps = "BlkioDeviceReadIOps"
    case blkioDeviceWriteIOps = "BlkioDeviceWriteIOps"
    case cpuPeriod = "CpuPeriod"
    case cpuQuota = "CpuQuota"
    case cpuRealtimePeriod = "CpuRealtimePeriod"
    case cpuRealtimeRuntime = "CpuRealtimeRuntime"
    case cpusetCpus = "CpusetCpus"
    case cpusetMems = "CpusetMems"
    case devices = "Devices"
    case deviceCgroupRules = "DeviceCgroupRules"
    case deviceRequests = "DeviceRequests"
    case kernelMemoryTCP = "KernelMemoryTCP"
    case memoryReservation = "MemoryReservation"
    case memorySwap = "MemorySwap"
    case memorySwappiness = "MemorySwappiness"
    case nanoCpus = "NanoCpus"
    case oomKillDisable = "OomKillDisable"
    case initProcess = "Init"
    case pidsLimit = "PidsLimit"
    case ulimits = "Ulimits"
    case cpuCount = "CpuCount"
    case cpuPercent = "CpuPercent"
    case ioMaximumIOps = "IOMaximumIOps"
    case ioMaximumBandwidth = "IOMaximumBandwidth"
    case binds = "Binds"
    case containerIDFile = "ContainerIDFile"
    case logConfig = "LogConfig"
    case networkMode = "NetworkMode"
    case portBindings = "PortBindings"
    case restartPolicy = "RestartPolicy"
    case autoRemove = "AutoRemove"
    case volumeDriver = "VolumeDriver"
    case volumesFrom = "VolumesFrom"
    case mounts = "Mounts"
    case consoleSize = "ConsoleSize"
    case annotations = "Annotations"
    case capAdd = "CapAdd"
    case capDrop = "CapDrop"
    case cgroupnsMode = "CgroupnsMode"
    case dns = "Dns"
    case dnsOptions = "DnsOptions"
    case dnsSearch = "DnsSearch"
    case extraHosts = "ExtraHosts"
    case groupAdd = "GroupAdd"
    case ipcMode = "IpcMode"
    case cgroup = "Cgroup"
    case links = "Links"
    case oomScoreAdj = "OomScoreAdj"
    case pidMode = "PidMode"
    case privileged = "Privileged"
    case publishAllPorts = "PublishAllPorts"
    case readonlyRootfs = "ReadonlyRootfs"
    case securityOpt = "SecurityOpt"
    case storageOpt = "StorageOpt"
    case tmpfs = "Tmpfs"
    case utsMode = "UTSMode"
    case usernsMode = "UsernsMode"
    case shmSize = "ShmSize"
    case sysctls = "Sysctls"
    case runtime = "Runtime"
    case isolation = "Isolation"
    case maskedPaths = "MaskedPaths"
    case readonlyPaths = "ReadonlyPaths"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.cpuShares = try c.decodeIfPresent(Int64.self, forKey: .cpuShares)
    self.memory = try c.decodeIfPresent(Int64.self, forKey: .memory)
    self.cgroupParent = try c.decodeIfPresent(String.self, forKey: .cgroupParent)
    self.blkioWeight = try c.decodeIfPresent(Int.self, forKey: .blkioWeight)
    self.blkioWeightDevice = try c.decodeIfPresent([WeightDevice].self, forKey: .blkioWeightDevice)
    self.blkioDeviceReadBps = try c.decodeIfPresent([ThrottleDevice].self, forKey: .blkioDeviceReadBps)
    self.blkioDeviceWriteBps = try c.decodeIfPresent([ThrottleDevice].self, forKey: .blkioDeviceWriteBps)
    self.blkioDeviceReadIOps = try c.decodeIfPresent([ThrottleDevice].self, forKey: .blkioDeviceReadIOps)
    self.blkioDeviceWriteIOps = try c.decodeIfPresent([ThrottleDevice].self, forKey: .blkioDeviceWriteIOps)
    self.cpuPeriod = try c.decodeIfPresent(Int64.self, forKey: .cpuPeriod)
    self.cpuQuota = try c.decodeIfPresent(Int64.self, forKey: .cpuQuota)
    self.cpuRealtimePeriod = try c.decodeIfPresent(Int64.self, forKey: .cpuRealtimePeriod)
    self.cpuRealtimeRuntime = try c.decodeIfPresent(Int64.self, forKey: .cpuRealtimeRuntime)
    self.cpusetCpus = try c.decodeIfPresent(String.self, forKey: .cpusetCpus)
    self.cpusetMems = try c.decodeIfPresent(String.self, forKey: .cpusetMems)
    self.devices = try c.decodeIfPresent([DeviceMapping].self, forKey: .devices)
    self.deviceCgroupRules = try c.decodeIfPresent([String].self, forKey: .deviceCgroupRules)
    self.deviceRequests = try c.decodeIfPresent([DeviceRequest].self, forKey: .deviceRequests)
    self.kernelMemoryTCP = try c.decodeIfPresent(Int64.self, forKey: .kernelMemoryTCP)
    self.memoryReservation = try c.decodeIfPresent(Int64.self, forKey: .memoryReservation)
    self.memorySwap = try c.decodeIfPresent(Int64.self, forKey: .memorySwap)
    self.memorySwappiness = try c.decodeIfPresent(Int64.self, forKey: .memorySwappiness)
    self.nanoCpus = try c.decodeIfPresent(Int64.self, forKey: .nanoCpus)
    self.oomKillDisable = try c.decodeIfPresent(Bool.self, forKey: .oomKillDisable)
    self.initProcess = try c.decodeIfPresent(Bool.self, forKey: .initProcess)
    self.pidsLimit = try c.decodeIfPresent(Int64.self, forKey: .pidsLimit)
    self.ulimits = try c.decodeIfPresent([Ulimit].self, forKey: .ulimits)
    self.cpuCount = try c.decodeIfPresent(Int64.self, forKey: .cpuCount)
    self.cpuPercent = try c.decodeIfPresent(Int64.self, forKey: .cpuPercent)
    self.ioMaximumIOps = try c.decodeIfPresent(Int64.self, forKey: .ioMaximumIOps)
    self.ioMaximumBandwidth = try c.decodeIfPresent(Int64.self, forKey: .ioMaximumBandwidth)
    self.binds = try c.decodeIfPresent([String].self, forKey: .binds)
    self.containerIDFile = try c.decodeIfPresent(String.self, forKey: .containerIDFile)
    self.logConfig = try c.decodeIfPresent(LogConfig.self, forKey: .logConfig)
    self.networkMode = try c.decodeIfPresent(String.self, forKey: .networkMode)
    self.portBindings = try c.decodeIfPresent([String: [PortBinding]?].self, forKey: .portBindings)
    self.restartPolicy = try c.decodeIfPresent(RestartPolicy.self, forKey: .restartPolicy)
    self.autoRemove = try c.decodeIfPresent(Bool.self, forKey: .autoRemove)
    self.volumeDriver = try c.decodeIfPresent(String.self, forKey: .volumeDriver)
    self.volumesFrom = try c.decodeIfPresent([String].self, forKey: .volumesFrom)
    self.mounts = try c.decodeIfPresent([Mount].self, forKey: .mounts)
    self.consoleSize = try c.decodeIfPresent([Int].self, forKey: .consoleSize)
    self.annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
    self.capAdd = try c.decodeIfPresent([String].self, forKey: .capAdd)
    self.capDrop = try c.decodeIfPresent([String].self, forKey: .capDrop)
    self.cgroupnsMode = try c.decodeIfPresent(String.self, forKey: .cgroupnsMode)
    self.dns = try c.decodeIfPresent([String].self, forKey: .dns)
    self.dnsOptions = try c.decodeIfPresent([String].self, forKey: .dnsOptions)
    self.dnsSearch = try c.decodeIfPresent([String].self, forKey: .dnsSearch)
    self.extraHosts = try c.decodeIfPresent([String].self, forKey: .extraHosts)
    self.groupAdd = try c.decodeIfPresent([String].self, forKey: .groupAdd)
    self.ipcMode = try c.decodeIfPresent(String.self, forKey: .ipcMode)
    self.cgroup = try c.decodeIfPresent(String.self, forKey: .cgroup)
    self.links = try c.decodeIfPresent([String].self, forKey: .links)
    self.oomScoreAdj = try c.decodeIfPresent(Int.self, forKey: .oomScoreAdj)
    self.pidMode = try c.decodeIfPresent(String.self, forKey: .pidMode)
    self.privileged = try c.decodeIfPresent(Bool.self, forKey: .privileged)
    self.publishAllPorts = try c.decodeIfPresent(Bool.self, forKey: .publishAllPorts)
    self.readonlyRootfs = try c.decodeIfPresent(Bool.self, forKey: .readonlyRootfs)
    self.securityOpt = try c.decodeIfPresent([String].self, forKey: .securityOpt)
    self.storageOpt = try c.decodeIfPresent([String: String].self, forKey: .storageOpt)
    self.tmpfs = try c.decodeIfPresent([String: String].self, forKey: .tmpfs)
    self.utsMode = try c.decodeIfPresent(String.self, forKey: .utsMode)
    self.usernsMode = try c.decodeIfPresent(String.self, forKey: .usernsMode)
    self.shmSize = try c.decodeIfPresent(Int64.self, forKey: .shmSize)
    self.sysctls = try c.decodeIfPresent([String: String].self, forKey: .sysctls)
    self.runtime = try c.decodeIfPresent(String.self, forKey: .runtime)
    self.isolation = try c.decodeIfPresent(String.self, forKey: .isolation)
    self.maskedPaths = try c.decodeIfPresent([String].self, forKey: .maskedPaths)
    self.readonlyPaths = try c.decodeIfPresent([String].self, forKey: .readonlyPaths)
  }
}

public struct LogConfig: Codable, Sendable, Equatable {
  public var type: String
  public var config: [String: String]?

  public init(type: String = "", config: [String: String]? = nil) {
    self.type = type
    self.config = config
  }

  enum CodingKeys: String, CodingKey {
    case type = "Type"
    case config = "Config"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
    self.config = try c.decodeIfPresent([String: String].self, forKey: .config)
  }
}

/// Name: "", "no", "always", "unless-stopped" or "on-failure".
public struct RestartPolicy: Codable, Sendable, Equatable {
  public var name: String
  public var maximumRetryCount: Int?

  public init(name: String = "", maximumRetryCount: Int? = nil) {
    self.name = name
    self.maximumRetryCount = maximumRetryCount
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case maximumRetryCount = "MaximumRetryCount"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    self.maximumRetryCount = try c.decodeIfPresent(Int.self, forKey: .maximumRetryCount)
  }
}

public struct PortBinding: Codable, Sendable, Equatable {
  public var hostIp: String?
  public var hostPort: String?

  public init(hostIp: String? = nil, hostPort: String? = nil) {
    self.hostIp = hostIp
    self.hostPort = hostPort
  }

  enum CodingKeys: String, CodingKey {
    case hostIp = "HostIp"
    case hostPort = "HostPort"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.hostIp = try c.decodeIfPresent(String.self, forKey: .hostIp)
    self.hostPort = try c.decodeIfPresent(String.self, forKey: .hostPort)
  }
}

public struct DeviceMapping: Codable, Sendable, Equatable {
  public var pathOnHost: String
  public var pathInContainer: String
  public var cgroupPermissions: String

  public init(pathOnHost: String = "", pathInContainer: String = "", cgroupPermissions: String = "") {
    self.pathOnHost = pathOnHost
    self.pathInContainer = pathInContainer
    self.cgroupPermissions = cgroupPermissions
  }

  enum CodingKeys: String, CodingKey {
    case pathOnHost = "PathOnHost"
    case pathInContainer = "PathInContainer"
    case cgroupPermissions = "CgroupPermissions"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.pathOnHost = try c.decodeIfPresent(String.self, forKey: .pathOnHost) ?? ""
    self.pathInContainer = try c.decodeIfPresent(String.self, forKey: .pathInContainer) ?? ""
    self.cgroupPermissions = try c.decodeIfPresent(String.self, forKey: .cgroupPermissions) ?? ""
  }
}

public struct DeviceRequest: Codable, Sendable, Equatable {
  public var driver: String?
  public var count: Int?
  public var deviceIDs: [String]?
  public var capabilities: [[String]]?
  public var options: [String: String]?

  public init(
    driver: String? = nil,
    count: Int? = nil,
    deviceIDs: [String]? = nil,
    capabilities: [[String]]? = nil,
    options: [String: String]? = nil
  ) {
    self.driver = driver
    self.count = count
    self.deviceIDs = deviceIDs
    self.capabilities = capabilities
    self.options = options
  }

  enum CodingKeys: String, CodingKey {
    case driver = "Driver"
    case count = "Count"
    case deviceIDs = "DeviceIDs"
    case capabilities = "Capabilities"
    case options = "Options"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.driver = try c.decodeIfPresent(String.self, forKey: .driver)
    self.count = try c.decodeIfPresent(Int.self, forKey: .count)
    self.deviceIDs = try c.decodeIfPresent([String].self, forKey: .deviceIDs)
    self.capabilities = try c.decodeIfPresent([[String]].self, forKey: .capabilities)
    self.options = try c.decodeIfPresent([String: String].self, forKey: .options)
  }
}

public struct ThrottleDevice: Codable, Sendable, Equatable {
  public var path: String
  public var rate: Int64

  public init(path: String = "", rate: Int64 = 0) {
    self.path = path
    self.rate = rate
  }

  enum CodingKeys: String, CodingKey {
    case path = "Path"
    case rate = "Rate"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
    self.rate = try c.decodeIfPresent(Int64.self, forKey: .rate) ?? 0
  }
}

public struct WeightDevice: Codable, Sendable, Equatable {
  public var path: String
  public var weight: Int

  public init(path: String = "", weight: Int = 0) {
    self.path = path
    self.weight = weight
  }

  enum CodingKeys: String, CodingKey {
    case path = "Path"
    case weight = "Weight"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
    self.weight = try c.decodeIfPresent(Int.self, forKey: .weight) ?? 0
  }
}

public struct Ulimit: Codable, Sendable, Equatable {
  public var name: String
  public var soft: Int64
  public var hard: Int64

  public init(name: String = "", soft: Int64 = 0, hard: Int64 = 0) {
    self.name = name
    self.soft = soft
    self.hard = hard
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case soft = "Soft"
    case hard = "Hard"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    self.soft = try c.decodeIfPresent(Int64.self, forKey: .soft) ?? 0
    self.hard = try c.decodeIfPresent(Int64.self, forKey: .hard) ?? 0
  }
}
