// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// GET /info (what `docker info` prints).
public struct SystemInfo: Codable, Sendable, Equatable {
  public var id: String
  public var containers: Int
  public var containersRunning: Int
  public var containersPaused: Int
  public var containersStopped: Int
  public var images: Int
  public var driver: String
  public var driverStatus: [[String]]
  public var dockerRootDir: String
  public var plugins: PluginsInfo
  public var memoryLimit: Bool
  public var swapLimit: Bool
  public var kernelMemoryTCP: Bool?
  public var cpuCfsPeriod: Bool
  public var cpuCfsQuota: Bool
  public var cpuShares: Bool
  public var cpuSet: Bool
  public var pidsLimit: Bool
  public var oomKillDisable: Bool
  public var ipv4Forwarding: Bool
  public var bridgeNfIptables: Bool
  public var bridgeNfIp6tables: Bool
  public var debug: Bool
  public var nFd: Int
  public var nGoroutines: Int
  public var systemTime: String
  public var loggingDriver: String
  public var cgroupDriver: String
  public var cgroupVersion: String
  public var nEventsListener: Int
  public var kernelVersion: String
  public var operatingSystem: String
  public var osVersion: String
  public var osType: String
  public var architecture: String
  public var ncpu: Int
  public var memTotal: Int64
  public var indexServerAddress: String
  public var registryConfig: RegistryServiceConfig?
  public var httpProxy: String
  public var httpsProxy: String
  public var noProxy: String
  public var name: String
  public var labels: [String]
  public var experimentalBuild: Bool
  public var serverVersion: String
  public var runtimes: [String: RuntimeInfo]
  public var defaultRuntime: String
  public var swarm: SwarmInfo
  public var liveRestoreEnabled: Bool
  public var isolation: String
  public var initBinary: String
  public var containerdCommit: CommitInfo
  public var runcCommit: CommitInfo
  public var initCommit: CommitInfo
  public var securityOptions: [String]
  public var productLicense: String?
  public var defaultAddressPools: [AddressPool]?
  public var warnings: [String]
  public var cdiSpecDirs: [String]?

  public init(
    id: String = "",
    containers: Int = 0,
    containersRunning: Int = 0,
    containersPaused: Int = 0,
    containersStopped: Int = 0,
    images: Int = 0,
    driver: String = "overlay2",
    driverStatus: [[String]] = [],
    dockerRootDir: String = "",
    plugins: PluginsInfo = PluginsInfo(),
    memoryLimit: Bool = true,
    swapLimit: Bool = true,
    kernelMemoryTCP: Bool? = nil,
    cpuCfsPeriod: Bool = true,
    cpuCfsQuota: Bool = true,
    cpuShares: Bool = true,
    cpuSet: Bool = true,
    pidsLimit: Bool = true,
    oomKillDisable: Bool = true,
    ipv4Forwarding: Bool = true,
    bridgeNfIptables: Bool = false,
    bridgeNfIp6tables: Bool = false,
    debug: Bool = false,
    nFd: Int = 0,
    nGoroutines: Int = 0,
    systemTime: String = "",
    loggingDriver: String = "json-file",
    cgroupDriver: String = "cgroupfs",
    cgroupVersion: String = "1",
    nEventsListener: Int = 0,
    kernelVersion: String = "",
    operatingSystem: String = "",
    osVersion: String = "",
    osType: String = "linux",
    architecture: String = "x86_64",
    ncpu: Int = 0,
    memTotal: Int64 = 0,
    indexServerAddress: String = "https://index.docker.io/v1/",
    registryConfig: RegistryServiceConfig? = nil,
    httpProxy: String = "",
    httpsProxy: String = "",
    noProxy: String = "",
    name: String = "",
    labels: [String] = [],
    experimentalBuild: Bool = false,
    serverVersion: String = "",
    runtimes: [String: RuntimeInfo] = [:],
    defaultRuntime: String = "runc",
    swarm: SwarmInfo = SwarmInfo(),
    liveRestoreEnabled: Bool = true,
    isolation: String = "",
    initBinary: String = "",
    containerdCommit: CommitInfo = CommitInfo(),
    runcCommit: CommitInfo = CommitInfo(),
    initCommit: CommitInfo = CommitInfo(),
    securityOptions: [String] = [],
    productLicense: String? = nil,
    defaultAddressPools: [AddressPool]? = nil,
    warnings: [String] = [],
    cdiSpecDirs: [String]? = nil
  ) {
    self.id = id
    self.containers = containers
    self.containersRunning = containersRunning
    self.containersPaused = containersPaused
    self.containersStopped = containersStopped
    self.images = images
    self.driver = driver
    self.driverStatus = driverStatus
    self.dockerRootDir = dockerRootDir
    self.plugins = plugins
    self.memoryLimit = memoryLimit
    self.swapLimit = swapLimit
    self.kernelMemoryTCP = kernelMemoryTCP
    self.cpuCfsPeriod = cpuCfsPeriod
    self.cpuCfsQuota = cpuCfsQuota
    self.cpuShares = cpuShares
    self.cpuSet = cpuSet
    self.pidsLimit = pidsLimit
    self.oomKillDisable = oomKillDisable
    self.ipv4Forwarding = ipv4Forwarding
    self.bridgeNfIptables = bridgeNfIptables
    self.bridgeNfIp6tables = bridgeNfIp6tables
    self.debug = debug
    self.nFd = nFd
    self.nGoroutines = nGoroutines
    self.systemTime = systemTime
    self.loggingDriver = loggingDriver
    self.cgroupDriver = cgroupDriver
    self.cgroupVersion = cgroupVersion
    self.nEventsListener = nEventsListener
    self.kernelVersion = kernelVersion
    self.operatingSystem = operatingSystem
    self.osVersion = osVersion
    self.osType = osType
    self.architecture = architecture
    self.ncpu = ncpu
    self.memTotal = memTotal
    self.indexServerAddress = indexServerAddress
    self.registryConfig = registryConfig
    self.httpProxy = httpProxy
    self.httpsProxy = httpsProxy
    self.noProxy = noProxy
    self.name = name
    self.labels = labels
    self.experimentalBuild = experimentalBuild
    self.serverVersion = serverVersion
    self.runtimes = runtimes
    self.defaultRuntime = defaultRuntime
    self.swarm = swarm
    self.liveRestoreEnabled = liveRestoreEnabled
    self.isolation = isolation
    self.initBinary = initBinary
    self.containerdCommit = containerdCommit
    self.runcCommit = runcCommit
    self.initCommit = initCommit
    self.securityOptions = securityOptions
    self.productLicense = productLicense
    self.defaultAddressPools = defaultAddressPools
    self.warnings = warnings
    self.cdiSpecDirs = cdiSpecDirs
  }

  enum CodingKeys: String, CodingKey {
    case id = "ID"
    case containers = "Containers"
    case containersRunning = "ContainersRunning"
    case containersPaused = "ContainersPaused"
    case containersStopped = "ContainersStopped"
    case images = "Images"
    case driver = "Driver"
    case driverStatus = "DriverStatus"
    case dockerRootDir = "DockerRootDir"
    case plugins = "Plugins"
    case memoryLimit = "MemoryLimit"
    case swapLimit = "SwapLimit"
    case kernelMemoryTCP = "KernelMemoryTCP"
    case cpuCfsPeriod = "CpuCfsPeriod"
    case cpuCfsQuota = "CpuCfsQuota"
    case cpuShares = "CPUShares"
    case cpuSet = "CPUSet"
    case pidsLimit = "PidsLimit"
    case oomKillDisable = "OomKillDisable"
    case ipv4Forwarding = "IPv4Forwarding"
    case bridgeNfIptables = "BridgeNfIptables"
    case bridgeNfIp6tables = "BridgeNfIp6tables"
    case debug = "Debug"
    case nFd = "NFd"
    case nGoroutines = "NGoroutines"
    case systemTime = "SystemTime"
    case loggingDriver = "LoggingDriver"
    case cgroupDriver = "CgroupDriver"
    case cgroupVersion = "CgroupVersion"
    case nEventsListener = "NEventsListener"
    case kernelVersion = "KernelVersion"
    case operatingSystem = "OperatingSystem"
    case osVersion = "OSVersion"
    case osType = "OSType"
    case architecture = "Architecture"
    case ncpu = "NCPU"
    case memTotal = "MemTotal"
    case indexServerAddress = "IndexServerAddress"
    case registryConfig = "RegistryConfig"
    case httpProxy = "HttpProxy"
    case httpsProxy = "HttpsProxy"
    case noProxy = "NoProxy"
    case name = "Name"
    case labels = "Labels"
    case experimentalBuild = "ExperimentalBuild"
    case serverVersion = "ServerVersion"
    case runtimes = "Runtimes"
    case defaultRuntime = "DefaultRuntime"
    case swarm = "Swarm"
    case liveRestoreEnabled = "LiveRestoreEnabled"
    case isolation = "Isolation"
    case initBinary = "InitBinary"
    case containerdCommit = "ContainerdCommit"
    case runcCommit = "RuncCommit"
    case initCommit = "InitCommit"
    case securityOptions = "SecurityOptions"
    case productLicense = "ProductLicense"
    case defaultAddressPools = "DefaultAddressPools"
    case warnings = "Warnings"
    case cdiSpecDirs = "CDISpecDirs"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.containers = try c.decodeIfPresent(Int.self, forKey: .containers) ?? 0
    self.containersRunning = try c.decodeIfPresent(Int.self, forKey: .containersRunning) ?? 0
    self.containersPaused = try c.decodeIfPresent(Int.self, forKey: .containersPaused) ?? 0
    self.containersStopped = try c.decodeIfPresent(Int.self, forKey: .containersStopped) ?? 0
    self.images = try c.decodeIfPresent(Int.self, forKey: .images) ?? 0
    self.driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? "overlay2"
    self.driverStatus = try c.decodeIfPresent([[String]].self, forKey: .driverStatus) ?? []
    self.dockerRootDir = try c.decodeIfPresent(String.self, forKey: .dockerRootDir) ?? ""
    self.plugins = try c.decodeIfPresent(PluginsInfo.self, forKey: .plugins) ?? PluginsInfo()
    self.memoryLimit = try c.decodeIfPresent(Bool.self, forKey: .memoryLimit) ?? true
    self.swapLimit = try c.decodeIfPresent(Bool.self, forKey: .swapLimit) ?? true
    self.kernelMemoryTCP = try c.decodeIfPresent(Bool.self, forKey: .kernelMemoryTCP)
    self.cpuCfsPeriod = try c.decodeIfPresent(Bool.self, forKey: .cpuCfsPeriod) ?? true
    self.cpuCfsQuota = try c.decodeIfPresent(Bool.self, forKey: .cpuCfsQuota) ?? true
    self.cpuShares = try c.decodeIfPresent(Bool.self, forKey: .cpuShares) ?? true
    self.cpuSet = try c.decodeIfPresent(Bool.self, forKey: .cpuSet) ?? true
    self.pidsLimit = try c.decodeIfPresent(Bool.self, forKey: .pidsLimit) ?? true
    self.oomKillDisable = try c.decodeIfPresent(Bool.self, forKey: .oomKillDisable) ?? true
    self.ipv4Forwarding = try c.decodeIfPresent(Bool.self, forKey: .ipv4Forwarding) ?? true
    self.bridgeNfIptables = try c.decodeIfPresent(Bool.self, forKey: .bridgeNfIptables) ?? false
    self.bridgeNfIp6tables = try c.decodeIfPresent(Bool.self, forKey: .bridgeNfIp6tables) ?? false
    self.debug = try c.decodeIfPresent(Bool.self, forKey: .debug) ?? false
    self.nFd = try c.decodeIfPresent(Int.self, forKey: .nFd) ?? 0
    self.nGoroutines = try c.decodeIfPresent(Int.self, forKey: .nGoroutines) ?? 0
    self.systemTime = try c.decodeIfPresent(String.self, forKey: .systemTime) ?? ""
    self.loggingDriver = try c.decodeIfPresent(String.self, forKey: .loggingDriver) ?? "json-file"
    self.cgroupDriver = try c.decodeIfPresent(String.self, forKey: .cgroupDriver) ?? "cgroupfs"
    self.cgroupVersion = try c.decodeIfPresent(String.self, forKey: .cgroupVersion) ?? "1"
    self.nEventsListener = try c.decodeIfPresent(Int.self, forKey: .nEventsListener) ?? 0
    self.kernelVersion = try c.decodeIfPresent(String.self, forKey: .kernelVersion) ?? ""
    self.operatingSystem = try c.decodeIfPresent(String.self, forKey: .operatingSystem) ?? ""
    self.osVersion = try c.decodeIfPresent(String.self, forKey: .osVersion) ?? ""
    self.osType = try c.decodeIfPresent(String.self, forKey: .osType) ?? "linux"
    self.architecture = try c.decodeIfPresent(String.self, forKey: .architecture) ?? "x86_64"
    self.ncpu = try c.decodeIfPresent(Int.self, forKey: .ncpu) ?? 0
    self.memTotal = try c.decodeIfPresent(Int64.self, forKey: .memTotal) ?? 0
    self.indexServerAddress =
      try c.decodeIfPresent(String.self, forKey: .indexServerAddress) ?? "https://index.docker.io/v1/"
    self.registryConfig = try c.decodeIfPresent(RegistryServiceConfig.self, forKey: .registryConfig)
    self.httpProxy = try c.decodeIfPresent(String.self, forKey: .httpProxy) ?? ""
    self.httpsProxy = try c.decodeIfPresent(String.self, forKey: .httpsProxy) ?? ""
    self.noProxy = try c.decodeIfPresent(String.self, forKey: .noProxy) ?? ""
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    self.labels = try c.decodeIfPresent([String].self, forKey: .labels) ?? []
    self.experimentalBuild = try c.decodeIfPresent(Bool.self, forKey: .experimentalBuild) ?? false
    self.serverVersion = try c.decodeIfPresent(String.self, forKey: .serverVersion) ?? ""
    self.runtimes = try c.decodeIfPresent([String: RuntimeInfo].self, forKey: .runtimes) ?? [:]
    self.defaultRuntime = try c.decodeIfPresent(String.self, forKey: .defaultRuntime) ?? "runc"
    self.swarm = try c.decodeIfPresent(SwarmInfo.self, forKey: .swarm) ?? SwarmInfo()
    self.liveRestoreEnabled = try c.decodeIfPresent(Bool.self, forKey: .liveRestoreEnabled) ?? true
    self.isolation = try c.decodeIfPresent(String.self, forKey: .isolation) ?? ""
    self.initBinary = try c.decodeIfPresent(String.self, forKey: .initBinary) ?? ""
    self.containerdCommit = try c.decodeIfPresent(CommitInfo.self, forKey: .containerdCommit) ?? CommitInfo()
    self.runcCommit = try c.decodeIfPresent(CommitInfo.self, forKey: .runcCommit) ?? CommitInfo()
    self.initCommit = try c.decodeIfPresent(CommitInfo.self, forKey: .initCommit) ?? CommitInfo()
    self.securityOptions = try c.decodeIfPresent([String].self, forKey: .securityOptions) ?? []
    self.productLicense = try c.decodeIfPresent(String.self, forKey: .productLicense)
    self.defaultAddressPools = try c.decodeIfPresent([AddressPool].self, forKey: .defaultAddressPools)
    self.warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
    self.cdiSpecDirs = try c.decodeIfPresent([String].self, forKey: .cdiSpecDirs)
  }
}

public struct PluginsInfo: Codable, Sendable, Equatable {
  public var volume: [String]
  public var network: [String]
  public var authorization: [String]?
  public var log: [String]

  public init(
    volume: [String] = ["local"],
    network: [String] = ["bridge", "host", "none"],
    authorization: [String]? = nil,
    log: [String] = ["json-file"]
  ) {
    self.volume = volume
    self.network = network
    self.authorization = authorization
    self.log = log
  }

  enum CodingKeys: String, CodingKey {
    case volume = "Volume"
    case network = "Network"
    case authorization = "Authorization"
    case log = "Log"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.volume = try c.decodeIfPresent([String].self, forKey: .volume) ?? ["local"]
    self.network = try c.decodeIfPresent([String].self, forKey: .network) ?? ["bridge", "host", "none"]
    self.authorization = try c.decodeIfPresent([String].self, forKey: .authorization)
    self.log = try c.decodeIfPresent([String].self, forKey: .log) ?? ["json-file"]
  }
}

public struct RegistryServiceConfig: Codable, Sendable, Equatable {
  public var insecureRegistryCIDRs: [String]
  public var indexConfigs: [String: IndexInfo]
  public var mirrors: [String]

  public init(insecureRegistryCIDRs: [String] = [], indexConfigs: [String: IndexInfo] = [:], mirrors: [String] = []) {
    self.insecureRegistryCIDRs = insecureRegistryCIDRs
    self.indexConfigs = indexConfigs
    self.mirrors = mirrors
  }

  enum CodingKeys: String, CodingKey {
    case insecureRegistryCIDRs = "InsecureRegistryCIDRs"
    case indexConfigs = "IndexConfigs"
    case mirrors = "Mirrors"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.insecureRegistryCIDRs = try c.decodeIfPresent([String].self, forKey: .insecureRegistryCIDRs) ?? []
    self.indexConfigs = try c.decodeIfPresent([String: IndexInfo].self, forKey: .indexConfigs) ?? [:]
    self.mirrors = try c.decodeIfPresent([String].self, forKey: .mirrors) ?? []
  }
}

public struct IndexInfo: Codable, Sendable, Equatable {
  public var name: String
  public var mirrors: [String]
  public var secure: Bool
  public var official: Bool

  public init(name: String = "", mirrors: [String] = [], secure: Bool = true, official: Bool = false) {
    self.name = name
    self.mirrors = mirrors
    self.secure = secure
    self.official = official
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case mirrors = "Mirrors"
    case secure = "Secure"
    case official = "Official"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    self.mirrors = try c.decodeIfPresent([String].self, forKey: .mirrors) ?? []
    self.secure = try c.decodeIfPresent(Bool.self, forKey: .secure) ?? true
    self.official = try c.decodeIfPresent(Bool.self, forKey: .official) ?? false
  }
}

/// A runtime in `Runtimes` (lowercase keys, as dockerd sends them).
public struct RuntimeInfo: Codable, Sendable, Equatable {
  public var path: String?
  public var runtimeArgs: [String]?

  public init(path: String? = nil, runtimeArgs: [String]? = nil) {
    self.path = path
    self.runtimeArgs = runtimeArgs
  }

  enum CodingKeys: String, CodingKey {
    case path
    case runtimeArgs
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.path = try c.decodeIfPresent(String.self, forKey: .path)
    self.runtimeArgs = try c.decodeIfPresent([String].self, forKey: .runtimeArgs)
  }
}

public struct SwarmInfo: Codable, Sendable, Equatable {
  public var nodeID: String
  public var nodeAddr: String
  public var localNodeState: String
  public var controlAvailable: Bool
  public var error: String
  public var remoteManagers: [String]?

  public init(
    nodeID: String = "",
    nodeAddr: String = "",
    localNodeState: String = "inactive",
    controlAvailable: Bool = false,
    error: String = "",
    remoteManagers: [String]? = nil
  ) {
    self.nodeID = nodeID
    self.nodeAddr = nodeAddr
    self.localNodeState = localNodeState
    self.controlAvailable = controlAvailable
    self.error = error
    self.remoteManagers = remoteManagers
  }

  enum CodingKeys: String, CodingKey {
    case nodeID = "NodeID"
    case nodeAddr = "NodeAddr"
    case localNodeState = "LocalNodeState"
    case controlAvailable = "ControlAvailable"
    case error = "Error"
    case remoteManagers = "RemoteManagers"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.nodeID = try c.decodeIfPresent(String.self, forKey: .nodeID) ?? ""
    self.nodeAddr = try c.decodeIfPresent(String.self, forKey: .nodeAddr) ?? ""
    self.localNodeState = try c.decodeIfPresent(String.self, forKey: .localNodeState) ?? "inactive"
    self.controlAvailable = try c.decodeIfPresent(Bool.self, forKey: .controlAvailable) ?? false
    self.error = try c.decodeIfPresent(String.self, forKey: .error) ?? ""
    self.remoteManagers = try c.decodeIfPresent([String].self, forKey: .remoteManagers)
  }
}

public struct CommitInfo: Codable, Sendable, Equatable {
  public var id: String
  public var expected: String?

  public init(id: String = "", expected: String? = nil) {
    self.id = id
    self.expected = expected
  }

  enum CodingKeys: String, CodingKey {
    case id = "ID"
    case expected = "Expected"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.expected = try c.decodeIfPresent(String.self, forKey: .expected)
  }
}

public struct AddressPool: Codable, Sendable, Equatable {
  public var base: String
  public var size: Int

  public init(base: String = "", size: Int = 0) {
    self.base = base
    self.size = size
  }

  enum CodingKeys: String, CodingKey {
    case base = "Base"
    case size = "Size"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.base = try c.decodeIfPresent(String.self, forKey: .base) ?? ""
    self.size = try c.decodeIfPresent(Int.self, forKey: .size) ?? 0
  }
}
