// Image configuration (image-spec config.md), with Docker's extra fields so that a
// config written by dockerd decodes and re-encodes with the same field names.

public struct ImageConfig: Codable, Sendable, Hashable {
  public var created: String?
  public var author: String?
  public var architecture: String
  public var os: String
  public var osVersion: String?
  public var osFeatures: [String]?
  public var variant: String?
  public var config: Config?
  public var rootfs: RootFS
  public var history: [History]?

  // Docker (moby) legacy fields, kept for round trips.
  public var id: String?
  public var parent: String?
  public var comment: String?
  public var container: String?
  public var containerConfig: Config?
  public var dockerVersion: String?

  enum CodingKeys: String, CodingKey {
    case created, author, architecture, os, variant, config, rootfs, history
    case osVersion = "os.version"
    case osFeatures = "os.features"
    case id, parent, comment, container
    case containerConfig = "container_config"
    case dockerVersion = "docker_version"
  }

  public init(
    created: String? = nil, author: String? = nil, architecture: String, os: String,
    variant: String? = nil, config: Config? = nil, rootfs: RootFS = RootFS(diffIDs: []),
    history: [History]? = nil
  ) {
    self.created = created
    self.author = author
    self.architecture = architecture
    self.os = os
    self.variant = variant
    self.config = config
    self.rootfs = rootfs
    self.history = history
  }

  public var platform: Platform {
    Platform(
      architecture: architecture, os: os, variant: variant, osVersion: osVersion,
      osFeatures: osFeatures)
  }

  /// An empty JSON object, as used by ExposedPorts and Volumes values.
  public struct Empty: Codable, Sendable, Hashable {
    public init() {}
  }

  /// The execution parameters ("config"), with Docker's container.Config field names.
  public struct Config: Codable, Sendable, Hashable {
    public var hostname: String?
    public var domainname: String?
    public var user: String?
    public var attachStdin: Bool?
    public var attachStdout: Bool?
    public var attachStderr: Bool?
    public var exposedPorts: [String: Empty]?
    public var tty: Bool?
    public var openStdin: Bool?
    public var stdinOnce: Bool?
    public var env: [String]?
    public var cmd: [String]?
    public var healthcheck: Healthcheck?
    public var argsEscaped: Bool?
    public var image: String?
    public var volumes: [String: Empty]?
    public var workingDir: String?
    public var entrypoint: [String]?
    public var networkDisabled: Bool?
    public var macAddress: String?
    public var onBuild: [String]?
    public var labels: [String: String]?
    public var stopSignal: String?
    public var stopTimeout: Int?
    public var shell: [String]?

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

    public init(
      user: String? = nil, exposedPorts: [String: Empty]? = nil, env: [String]? = nil,
      entrypoint: [String]? = nil, cmd: [String]? = nil, volumes: [String: Empty]? = nil,
      workingDir: String? = nil, labels: [String: String]? = nil, stopSignal: String? = nil,
      healthcheck: Healthcheck? = nil
    ) {
      self.user = user
      self.exposedPorts = exposedPorts
      self.env = env
      self.entrypoint = entrypoint
      self.cmd = cmd
      self.volumes = volumes
      self.workingDir = workingDir
      self.labels = labels
      self.stopSignal = stopSignal
      self.healthcheck = healthcheck
    }
  }

  /// Docker's HEALTHCHECK (durations in nanoseconds).
  public struct Healthcheck: Codable, Sendable, Hashable {
    public var test: [String]?
    public var interval: Int64?
    public var timeout: Int64?
    public var startPeriod: Int64?
    public var startInterval: Int64?
    public var retries: Int?

    enum CodingKeys: String, CodingKey {
      case test = "Test"
      case interval = "Interval"
      case timeout = "Timeout"
      case startPeriod = "StartPeriod"
      case startInterval = "StartInterval"
      case retries = "Retries"
    }

    public init(
      test: [String]? = nil, interval: Int64? = nil, timeout: Int64? = nil,
      startPeriod: Int64? = nil,
      startInterval: Int64? = nil, retries: Int? = nil
    ) {
      self.test = test
      self.interval = interval
      self.timeout = timeout
      self.startPeriod = startPeriod
      self.startInterval = startInterval
      self.retries = retries
    }
  }

  public struct RootFS: Codable, Sendable, Hashable {
    public var type: String
    public var diffIDs: [Digest]

    enum CodingKeys: String, CodingKey {
      case type
      case diffIDs = "diff_ids"
    }

    public init(type: String = "layers", diffIDs: [Digest]) {
      self.type = type
      self.diffIDs = diffIDs
    }
  }

  public struct History: Codable, Sendable, Hashable {
    public var created: String?
    public var createdBy: String?
    public var author: String?
    public var comment: String?
    public var emptyLayer: Bool?

    enum CodingKeys: String, CodingKey {
      case created, author, comment
      case createdBy = "created_by"
      case emptyLayer = "empty_layer"
    }

    public init(
      created: String? = nil, createdBy: String? = nil, author: String? = nil,
      comment: String? = nil,
      emptyLayer: Bool? = nil
    ) {
      self.created = created
      self.createdBy = createdBy
      self.author = author
      self.comment = comment
      self.emptyLayer = emptyLayer
    }
  }
}
