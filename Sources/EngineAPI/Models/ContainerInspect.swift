// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// GET /containers/{id}/json.
public struct ContainerInspect: Codable, Sendable, Equatable {
  public var id: String
  /// RFC3339Nano
  public var created: String
  public var path: String
  public var args: [String]
  public var state: ContainerState
  public var image: String
  public var resolvConfPath: String
  public var hostnamePath: String
  public var hostsPath: String
  public var logPath: String
  /// "/name"
  public var name: String
  public var restartCount: Int
  public var driver: String
  public var platform: String
  public var mountLabel: String
  public var processLabel: String
  public var appArmorProfile: String
  public var execIDs: [String]?
  public var hostConfig: HostConfig
  public var graphDriver: DriverData
  public var sizeRw: Int64?
  public var sizeRootFs: Int64?
  public var mounts: [MountPoint]
  public var config: ContainerConfig
  public var networkSettings: NetworkSettings

  public init(
    id: String = "",
    created: String = "",
    path: String = "",
    args: [String] = [],
    state: ContainerState = ContainerState(),
    image: String = "",
    resolvConfPath: String = "",
    hostnamePath: String = "",
    hostsPath: String = "",
    logPath: String = "",
    name: String = "",
    restartCount: Int = 0,
    driver: String = "overlay2",
    platform: String = "linux",
    mountLabel: String = "",
    processLabel: String = "",
    appArmorProfile: String = "",
    execIDs: [String]? = nil,
    hostConfig: HostConfig = HostConfig(),
    graphDriver: DriverData = DriverData(),
    sizeRw: Int64? = nil,
    sizeRootFs: Int64? = nil,
    mounts: [MountPoint] = [],
    config: ContainerConfig = ContainerConfig(),
    networkSettings: NetworkSettings = NetworkSettings()
  ) {
    self.id = id
    self.created = created
    self.path = path
    self.args = args
    self.state = state
    self.image = image
    self.resolvConfPath = resolvConfPath
    self.hostnamePath = hostnamePath
    self.hostsPath = hostsPath
    self.logPath = logPath
    self.name = name
    self.restartCount = restartCount
    self.driver = driver
    self.platform = platform
    self.mountLabel = mountLabel
    self.processLabel = processLabel
    self.appArmorProfile = appArmorProfile
    self.execIDs = execIDs
    self.hostConfig = hostConfig
    self.graphDriver = graphDriver
    self.sizeRw = sizeRw
    self.sizeRootFs = sizeRootFs
    self.mounts = mounts
    self.config = config
    self.networkSettings = networkSettings
  }

  enum CodingKeys: String, CodingKey {
    case id = "Id"
    case created = "Created"
    case path = "Path"
    case args = "Args"
    case state = "State"
    case image = "Image"
    case resolvConfPath = "ResolvConfPath"
    case hostnamePath = "HostnamePath"
    case hostsPath = "HostsPath"
    case logPath = "LogPath"
    case name = "Name"
    case restartCount = "RestartCount"
    case driver = "Driver"
    case platform = "Platform"
    case mountLabel = "MountLabel"
    case processLabel = "ProcessLabel"
    case appArmorProfile = "AppArmorProfile"
    case execIDs = "ExecIDs"
    case hostConfig = "HostConfig"
    case graphDriver = "GraphDriver"
    case sizeRw = "SizeRw"
    case sizeRootFs = "SizeRootFs"
    case mounts = "Mounts"
    case config = "Config"
    case networkSettings = "NetworkSettings"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.created = try c.decodeIfPresent(String.self, forKey: .created) ?? ""
    self.path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
    self.args = try c.decodeIfPresent([String].self, forKey: .args) ?? []
    self.state = try c.decodeIfPresent(ContainerState.self, forKey: .state) ?? ContainerState()
    self.image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
    self.resolvConfPath = try c.decodeIfPresent(String.self, forKey: .resolvConfPath) ?? ""
    self.hostnamePath = try c.decodeIfPresent(String.self, forKey: .hostnamePath) ?? ""
    self.hostsPath = try c.decodeIfPresent(String.self, forKey: .hostsPath) ?? ""
    self.logPath = try c.decodeIfPresent(String.self, forKey: .logPath) ?? ""
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    self.restartCount = try c.decodeIfPresent(Int.self, forKey: .restartCount) ?? 0
    self.driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? "overlay2"
    self.platform = try c.decodeIfPresent(String.self, forKey: .platform) ?? "linux"
    self.mountLabel = try c.decodeIfPresent(String.self, forKey: .mountLabel) ?? ""
    self.processLabel = try c.decodeIfPresent(String.self, forKey: .processLabel) ?? ""
    self.appArmorProfile = try c.decodeIfPresent(String.self, forKey: .appArmorProfile) ?? ""
    self.execIDs = try c.decodeIfPresent([String].self, forKey: .execIDs)
    self.hostConfig = try c.decodeIfPresent(HostConfig.self, forKey: .hostConfig) ?? HostConfig()
    self.graphDriver = try c.decodeIfPresent(DriverData.self, forKey: .graphDriver) ?? DriverData()
    self.sizeRw = try c.decodeIfPresent(Int64.self, forKey: .sizeRw)
    self.sizeRootFs = try c.decodeIfPresent(Int64.self, forKey: .sizeRootFs)
    self.mounts = try c.decodeIfPresent([MountPoint].self, forKey: .mounts) ?? []
    self.config = try c.decodeIfPresent(ContainerConfig.self, forKey: .config) ?? ContainerConfig()
    self.networkSettings = try c.decodeIfPresent(NetworkSettings.self, forKey: .networkSettings) ?? NetworkSettings()
  }
}

public struct ContainerState: Codable, Sendable, Equatable {
  /// created, running, paused, restarting, removing, exited, dead
  public var status: String
  public var running: Bool
  public var paused: Bool
  public var restarting: Bool
  public var oomKilled: Bool
  public var dead: Bool
  public var pid: Int
  public var exitCode: Int
  public var error: String
  public var startedAt: String
  public var finishedAt: String
  public var health: Health?

  public init(
    status: String = "created",
    running: Bool = false,
    paused: Bool = false,
    restarting: Bool = false,
    oomKilled: Bool = false,
    dead: Bool = false,
    pid: Int = 0,
    exitCode: Int = 0,
    error: String = "",
    startedAt: String = "0001-01-01T00:00:00Z",
    finishedAt: String = "0001-01-01T00:00:00Z",
    health: Health? = nil
  ) {
    self.status = status
    self.running = running
    self.paused = paused
    self.restarting = restarting
    self.oomKilled = oomKilled
    self.dead = dead
    self.pid = pid
    self.exitCode = exitCode
    self.error = error
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.health = health
  }

  enum CodingKeys: String, CodingKey {
    case status = "Status"
    case running = "Running"
    case paused = "Paused"
    case restarting = "Restarting"
    case oomKilled = "OOMKilled"
    case dead = "Dead"
    case pid = "Pid"
    case exitCode = "ExitCode"
    case error = "Error"
    case startedAt = "StartedAt"
    case finishedAt = "FinishedAt"
    case health = "Health"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.status = try c.decodeIfPresent(String.self, forKey: .status) ?? "created"
    self.running = try c.decodeIfPresent(Bool.self, forKey: .running) ?? false
    self.paused = try c.decodeIfPresent(Bool.self, forKey: .paused) ?? false
    self.restarting = try c.decodeIfPresent(Bool.self, forKey: .restarting) ?? false
    self.oomKilled = try c.decodeIfPresent(Bool.self, forKey: .oomKilled) ?? false
    self.dead = try c.decodeIfPresent(Bool.self, forKey: .dead) ?? false
    self.pid = try c.decodeIfPresent(Int.self, forKey: .pid) ?? 0
    self.exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
    self.error = try c.decodeIfPresent(String.self, forKey: .error) ?? ""
    self.startedAt = try c.decodeIfPresent(String.self, forKey: .startedAt) ?? "0001-01-01T00:00:00Z"
    self.finishedAt = try c.decodeIfPresent(String.self, forKey: .finishedAt) ?? "0001-01-01T00:00:00Z"
    self.health = try c.decodeIfPresent(Health.self, forKey: .health)
  }
}

public struct Health: Codable, Sendable, Equatable {
  /// none, starting, healthy, unhealthy
  public var status: String
  public var failingStreak: Int
  public var log: [HealthcheckResult]

  public init(status: String = "none", failingStreak: Int = 0, log: [HealthcheckResult] = []) {
    self.status = status
    self.failingStreak = failingStreak
    self.log = log
  }

  enum CodingKeys: String, CodingKey {
    case status = "Status"
    case failingStreak = "FailingStreak"
    case log = "Log"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.status = try c.decodeIfPresent(String.self, forKey: .status) ?? "none"
    self.failingStreak = try c.decodeIfPresent(Int.self, forKey: .failingStreak) ?? 0
    self.log = try c.decodeIfPresent([HealthcheckResult].self, forKey: .log) ?? []
  }
}

public struct HealthcheckResult: Codable, Sendable, Equatable {
  public var start: String
  public var end: String
  public var exitCode: Int
  public var output: String

  public init(start: String = "", end: String = "", exitCode: Int = 0, output: String = "") {
    self.start = start
    self.end = end
    self.exitCode = exitCode
    self.output = output
  }

  enum CodingKeys: String, CodingKey {
    case start = "Start"
    case end = "End"
    case exitCode = "ExitCode"
    case output = "Output"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.start = try c.decodeIfPresent(String.self, forKey: .start) ?? ""
    self.end = try c.decodeIfPresent(String.self, forKey: .end) ?? ""
    self.exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
    self.output = try c.decodeIfPresent(String.self, forKey: .output) ?? ""
  }
}

public struct DriverData: Codable, Sendable, Equatable {
  public var name: String
  public var data: [String: String]

  public init(name: String = "overlay2", data: [String: String] = [:]) {
    self.name = name
    self.data = data
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case data = "Data"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? "overlay2"
    self.data = try c.decodeIfPresent([String: String].self, forKey: .data) ?? [:]
  }
}
