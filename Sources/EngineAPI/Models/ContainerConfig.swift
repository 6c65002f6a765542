// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// The container's portable configuration (`Config` in create and inspect).
public struct ContainerConfig: Codable, Sendable, Equatable {
  public var hostname: String?
  public var domainname: String?
  public var user: String?
  public var attachStdin: Bool?
  public var attachStdout: Bool?
  public var attachStderr: Bool?
  /// "80/tcp": {}
  public var exposedPorts: [String: EmptyObject]?
  public var tty: Bool?
  public var openStdin: Bool?
  public var stdinOnce: Bool?
  public var env: [String]?
  public var cmd: [String]?
  public var healthcheck: HealthConfig?
  public var argsEscaped: Bool?
  public var image: String?
  /// "/data": {}
  public var volumes: [String: EmptyObject]?
  public var workingDir: String?
  public var entrypoint: [String]?
  public var networkDisabled: Bool?
  public var macAddress: String?
  public var onBuild: [String]?
  public var labels: [String: String]?
  public var stopSignal: String?
  public var stopTimeout: Int?
  public var shell: [String]?

  public init(
    hostname: String? = nil,
    domainname: String? = nil,
    user: String? = nil,
    attachStdin: Bool? = nil,
    attachStdout: Bool? = nil,
    attachStderr: Bool? = nil,
    exposedPorts: [String: EmptyObject]? = nil,
    tty: Bool? = nil,
    openStdin: Bool? = nil,
    stdinOnce: Bool? = nil,
    env: [String]? = nil,
    cmd: [String]? = nil,
    healthcheck: HealthConfig? = nil,
    argsEscaped: Bool? = nil,
    image: String? = nil,
    volumes: [String: EmptyObject]? = nil,
    workingDir: String? = nil,
    entrypoint: [String]? = nil,
    networkDisabled: Bool? = nil,
    macAddress: String? = nil,
    onBuild: [String]? = nil,
    labels: [String: String]? = nil,
    stopSignal: String? = nil,
    stopTimeout: Int? = nil,
    shell: [String]? = nil
  ) {
    self.hostname = hostname
    self.domainname = domainname
    self.user = user
    self.attachStdin = attachStdin
    self.attachStdout = attachStdout
    self.attachStderr = attachStderr
    self.exposedPorts = exposedPorts
    self.tty = tty
    self.openStdin = openStdin
    self.stdinOnce = stdinOnce
    self.env = env
    self.cmd = cmd
    self.healthcheck = healthcheck
    self.argsEscaped = argsEscaped
    self.image = image
    self.volumes = volumes
    self.workingDir = workingDir
    self.entrypoint = entrypoint
    self.networkDisabled = networkDisabled
    self.macAddress = macAddress
    self.onBuild = onBuild
    self.labels = labels
    self.stopSignal = stopSignal
    self.stopTimeout = stopTimeout
    self.shell = shell
  }

  enum CodingKeys: String, CodingKey {
    case hostname = "Hostname"
    case domainname = "Domainname"
    case user = "User"
    case attachStdin = "AttachStdin"
    case attachStdout = "AttachStdout"
    case attachStderr = "AttachStderr"
    case exposedPorts = "ExposedPorts"
    case tty = "Tty"
    case openStdin = "OpenStdin"
    case stdinOnce = "StdinOnce"
    case env = "Env"
    case cmd = "Cmd"
    case healthcheck = "Healthcheck"
    case argsEscaped = "ArgsEscaped"
    case image = "Image"
    case volumes = "Volumes"
    case workingDir = "WorkingDir"
    case entrypoint = "Entrypoint"
    case networkDisabled = "NetworkDisabled"
    case macAddress = "MacAddress"
    case onBuild = "OnBuild"
    case labels = "Labels"
    case stopSignal = "StopSignal"
    case stopTimeout = "StopTimeout"
    case shell = "Shell"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
    self.domainname = try c.decodeIfPresent(String.self, forKey: .domainname)
    self.user = try c.decodeIfPresent(String.self, forKey: .user)
    self.attachStdin = try c.decodeIfPresent(Bool.self, forKey: .attachStdin)
    self.attachStdout = try c.decodeIfPresent(Bool.self, forKey: .attachStdout)
    self.attachStderr = try c.decodeIfPresent(Bool.self, forKey: .attachStderr)
    self.exposedPorts = try c.decodeIfPresent([String: EmptyObject].self, forKey: .exposedPorts)
    self.tty = try c.decodeIfPresent(Bool.self, forKey: .tty)
    self.openStdin = try c.decodeIfPresent(Bool.self, forKey: .openStdin)
    self.stdinOnce = try c.decodeIfPresent(Bool.self, forKey: .stdinOnce)
    self.env = try c.decodeIfPresent([String].self, forKey: .env)
    self.cmd = try c.decodeStrSlice(forKey: .cmd)
    self.healthcheck = try c.decodeIfPresent(HealthConfig.self, forKey: .healthcheck)
    self.argsEscaped = try c.decodeIfPresent(Bool.self, forKey: .argsEscaped)
    self.image = try c.decodeIfPresent(String.self, forKey: .image)
    self.volumes = try c.decodeIfPresent([String: EmptyObject].self, forKey: .volumes)
    self.workingDir = try c.decodeIfPresent(String.self, forKey: .workingDir)
    self.entrypoint = try c.decodeStrSlice(forKey: .entrypoint)
    self.networkDisabled = try c.decodeIfPresent(Bool.self, forKey: .networkDisabled)
    self.macAddress = try c.decodeIfPresent(String.self, forKey: .macAddress)
    self.onBuild = try c.decodeIfPresent([String].self, forKey: .onBuild)
    self.labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
    self.stopSignal = try c.decodeIfPresent(String.self, forKey: .stopSignal)
    self.stopTimeout = try c.decodeIfPresent(Int.self, forKey: .stopTimeout)
    self.shell = try c.decodeStrSlice(forKey: .shell)
  }
}

/// Healthcheck; durations in nanoseconds.
public struct HealthConfig: Codable, Sendable, Equatable {
  /// ["NONE"], ["CMD", args...] or ["CMD-SHELL", command]
  public var test: [String]?
  public var interval: Int64?
  public var timeout: Int64?
  public var retries: Int?
  public var startPeriod: Int64?
  public var startInterval: Int64?

  public init(
    test: [String]? = nil,
    interval: Int64? = nil,
    timeout: Int64? = nil,
    retries: Int? = nil,
    startPeriod: Int64? = nil,
    startInterval: Int64? = nil
  ) {
    self.test = test
    self.interval = interval
    self.timeout = timeout
    self.retries = retries
    self.startPeriod = startPeriod
    self.startInterval = startInterval
  }

  enum CodingKeys: String, CodingKey {
    case test = "Test"
    case interval = "Interval"
    case timeout = "Timeout"
    case retries = "Retries"
    case startPeriod = "StartPeriod"
    case startInterval = "StartInterval"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.test = try c.decodeIfPresent([String].self, forKey: .test)
    self.interval = try c.decodeIfPresent(Int64.self, forKey: .interval)
    self.timeout = try c.decodeIfPresent(Int64.self, forKey: .timeout)
    self.retries = try c.decodeIfPresent(Int.self, forKey: .retries)
    self.startPeriod = try c.decodeIfPresent(Int64.self, forKey: .startPeriod)
    self.startInterval = try c.decodeIfPresent(Int64.self, forKey: .startInterval)
  }
}
