// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// POST /containers/{id}/exec.
public struct ExecCreateRequest: Codable, Sendable, Equatable {
  public var attachStdin: Bool?
  public var attachStdout: Bool?
  public var attachStderr: Bool?
  public var consoleSize: [Int]?
  public var detachKeys: String?
  public var tty: Bool?
  public var env: [String]?
  public var cmd: [String]?
  public var privileged: Bool?
  public var user: String?
  public var workingDir: String?

  public init(
    attachStdin: Bool? = nil,
    attachStdout: Bool? = nil,
    attachStderr: Bool? = nil,
    consoleSize: [Int]? = nil,
    detachKeys: String? = nil,
    tty: Bool? = nil,
    env: [String]? = nil,
    cmd: [String]? = nil,
    privileged: Bool? = nil,
    user: String? = nil,
    workingDir: String? = nil
  ) {
    self.attachStdin = attachStdin
    self.attachStdout = attachStdout
    self.attachStderr = attachStderr
    self.consoleSize = consoleSize
    self.detachKeys = detachKeys
    self.tty = tty
    self.env = env
    self.cmd = cmd
    self.privileged = privileged
    self.user = user
    self.workingDir = workingDir
  }

  enum CodingKeys: String, CodingKey {
    case attachStdin = "AttachStdin"
    case attachStdout = "AttachStdout"
    case attachStderr = "AttachStderr"
    case consoleSize = "ConsoleSize"
    case detachKeys = "DetachKeys"
    case tty = "Tty"
    case env = "Env"
    case cmd = "Cmd"
    case privileged = "Privileged"
    case user = "User"
    case workingDir = "WorkingDir"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.attachStdin = try c.decodeIfPresent(Bool.self, forKey: .attachStdin)
    self.attachStdout = try c.decodeIfPresent(Bool.self, forKey: .attachStdout)
    self.attachStderr = try c.decodeIfPresent(Bool.self, forKey: .attachStderr)
    self.consoleSize = try c.decodeIfPresent([Int].self, forKey: .consoleSize)
    self.detachKeys = try c.decodeIfPresent(String.self, forKey: .detachKeys)
    self.tty = try c.decodeIfPresent(Bool.self, forKey: .tty)
    self.env = try c.decodeIfPresent([String].self, forKey: .env)
    self.cmd = try c.decodeStrSlice(forKey: .cmd)
    self.privileged = try c.decodeIfPresent(Bool.self, forKey: .privileged)
    self.user = try c.decodeIfPresent(String.self, forKey: .user)
    self.workingDir = try c.decodeIfPresent(String.self, forKey: .workingDir)
  }
}

/// POST /exec/{id}/start.
public struct ExecStartRequest: Codable, Sendable, Equatable {
  public var detach: Bool
  public var tty: Bool
  public var consoleSize: [Int]?

  public init(detach: Bool = false, tty: Bool = false, consoleSize: [Int]? = nil) {
    self.detach = detach
    self.tty = tty
    self.consoleSize = consoleSize
  }

  enum CodingKeys: String, CodingKey {
    case detach = "Detach"
    case tty = "Tty"
    case consoleSize = "ConsoleSize"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.detach = try c.decodeIfPresent(Bool.self, forKey: .detach) ?? false
    self.tty = try c.decodeIfPresent(Bool.self, forKey: .tty) ?? false
    self.consoleSize = try c.decodeIfPresent([Int].self, forKey: .consoleSize)
  }
}

/// GET /exec/{id}/json.
public struct ExecInspect: Codable, Sendable, Equatable {
  public var canRemove: Bool
  public var detachKeys: String
  public var id: String
  public var running: Bool
  /// null until the process exited
  public var exitCode: Int?
  public var processConfig: ProcessConfig
  public var openStdin: Bool
  public var openStderr: Bool
  public var openStdout: Bool
  public var containerID: String
  public var pid: Int

  public init(
    canRemove: Bool = false,
    detachKeys: String = "",
    id: String = "",
    running: Bool = false,
    exitCode: Int? = nil,
    processConfig: ProcessConfig = ProcessConfig(),
    openStdin: Bool = false,
    openStderr: Bool = false,
    openStdout: Bool = false,
    containerID: String = "",
    pid: Int = 0
  ) {
    self.canRemove = canRemove
    self.detachKeys = detachKeys
    self.id = id
    self.running = running
    self.exitCode = exitCode
    self.processConfig = processConfig
    self.openStdin = openStdin
    self.openStderr = openStderr
    self.openStdout = openStdout
    self.containerID = containerID
    self.pid = pid
  }

  enum CodingKeys: String, CodingKey {
    case canRemove = "CanRemove"
    case detachKeys = "DetachKeys"
    case id = "ID"
    case running = "Running"
    case exitCode = "ExitCode"
    case processConfig = "ProcessConfig"
    case openStdin = "OpenStdin"
    case openStderr = "OpenStderr"
    case openStdout = "OpenStdout"
    case containerID = "ContainerID"
    case pid = "Pid"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.canRemove = try c.decodeIfPresent(Bool.self, forKey: .canRemove) ?? false
    self.detachKeys = try c.decodeIfPresent(String.self, forKey: .detachKeys) ?? ""
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.running = try c.decodeIfPresent(Bool.self, forKey: .running) ?? false
    self.exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode)
    self.processConfig = try c.decodeIfPresent(ProcessConfig.self, forKey: .processConfig) ?? ProcessConfig()
    self.openStdin = try c.decodeIfPresent(Bool.self, forKey: .openStdin) ?? false
    self.openStderr = try c.decodeIfPresent(Bool.self, forKey: .openStderr) ?? false
    self.openStdout = try c.decodeIfPresent(Bool.self, forKey: .openStdout) ?? false
    self.containerID = try c.decodeIfPresent(String.self, forKey: .containerID) ?? ""
    self.pid = try c.decodeIfPresent(Int.self, forKey: .pid) ?? 0
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(self.canRemove, forKey: .canRemove)
    try c.encode(self.detachKeys, forKey: .detachKeys)
    try c.encode(self.id, forKey: .id)
    try c.encode(self.running, forKey: .running)
    try c.encode(self.exitCode, forKey: .exitCode)
    try c.encode(self.processConfig, forKey: .processConfig)
    try c.encode(self.openStdin, forKey: .openStdin)
    try c.encode(self.openStderr, forKey: .openStderr)
    try c.encode(self.openStdout, forKey: .openStdout)
    try c.encode(self.containerID, forKey: .containerID)
    try c.encode(self.pid, forKey: .pid)
  }
}

public struct ProcessConfig: Codable, Sendable, Equatable {
  public var privileged: Bool
  public var user: String
  public var tty: Bool
  public var entrypoint: String
  public var arguments: [String]

  public init(
    privileged: Bool = false,
    user: String = "",
    tty: Bool = false,
    entrypoint: String = "",
    arguments: [String] = []
  ) {
    self.privileged = privileged
    self.user = user
    self.tty = tty
    self.entrypoint = entrypoint
    self.arguments = arguments
  }

  enum CodingKeys: String, CodingKey {
    case privileged
    case user
    case tty
    case entrypoint
    case arguments
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.privileged = try c.decodeIfPresent(Bool.self, forKey: .privileged) ?? false
    self.user = try c.decodeIfPresent(String.self, forKey: .user) ?? ""
    self.tty = try c.decodeIfPresent(Bool.self, forKey: .tty) ?? false
    self.entrypoint = try c.decodeIfPresent(String.self, forKey: .entrypoint) ?? ""
    self.arguments = try c.decodeIfPresent([String].self, forKey: .arguments) ?? []
  }
}
