// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// An element of GET /containers/json (`docker ps`).
public struct ContainerSummary: Codable, Sendable, Equatable {
  public var id: String
  /// ["/name"]
  public var names: [String]
  public var image: String
  public var imageID: String
  public var command: String
  /// unix seconds
  public var created: Int64
  public var ports: [Port]
  public var sizeRw: Int64?
  public var sizeRootFs: Int64?
  public var labels: [String: String]
  /// created, running, paused, restarting, exited, removing, dead
  public var state: String
  /// "Up 3 seconds", "Exited (0) 2 seconds ago"
  public var status: String
  public var hostConfig: SummaryHostConfig
  public var networkSettings: SummaryNetworkSettings
  public var mounts: [MountPoint]

  public init(
    id: String = "",
    names: [String] = [],
    image: String = "",
    imageID: String = "",
    command: String = "",
    created: Int64 = 0,
    ports: [Port] = [],
    sizeRw: Int64? = nil,
    sizeRootFs: Int64? = nil,
    labels: [String: String] = [:],
    state: String = "",
    status: String = "",
    hostConfig: SummaryHostConfig = SummaryHostConfig(),
    networkSettings: SummaryNetworkSettings = SummaryNetworkSettings(),
    mounts: [MountPoint] = []
  ) {
    self.id = id
    self.names = names
    self.image = image
    self.imageID = imageID
    self.command = command
    self.created = created
    self.ports = ports
    self.sizeRw = sizeRw
    self.sizeRootFs = sizeRootFs
    self.labels = labels
    self.state = state
    self.status = status
    self.hostConfig = hostConfig
    self.networkSettings = networkSettings
    self.mounts = mounts
  }

  enum CodingKeys: String, CodingKey {
    case id = "Id"
    case names = "Names"
    case image = "Image"
    case imageID = "ImageID"
    case command = "Command"
    case created = "Created"
    case ports = "Ports"
    case sizeRw = "SizeRw"
    case sizeRootFs = "SizeRootFs"
    case labels = "Labels"
    case state = "State"
    case status = "Status"
    case hostConfig = "HostConfig"
    case networkSettings = "NetworkSettings"
    case mounts = "Mounts"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.names = try c.decodeIfPresent([String].self, forKey: .names) ?? []
    self.image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
    self.imageID = try c.decodeIfPresent(String.self, forKey: .imageID) ?? ""
    self.command = try c.decodeIfPresent(String.self, forKey: .command) ?? ""
    self.created = try c.decodeIfPresent(Int64.self, forKey: .created) ?? 0
    self.ports = try c.decodeIfPresent([Port].self, forKey: .ports) ?? []
    self.sizeRw = try c.decodeIfPresent(Int64.self, forKey: .sizeRw)
    self.sizeRootFs = try c.decodeIfPresent(Int64.self, forKey: .sizeRootFs)
    self.labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    self.state = try c.decodeIfPresent(String.self, forKey: .state) ?? ""
    self.status = try c.decodeIfPresent(String.self, forKey: .status) ?? ""
    self.hostConfig = try c.decodeIfPresent(SummaryHostConfig.self, forKey: .hostConfig) ?? SummaryHostConfig()
    self.networkSettings =
      try c.decodeIfPresent(SummaryNetworkSettings.self, forKey: .networkSettings) ?? SummaryNetworkSettings()
    self.mounts = try c.decodeIfPresent([MountPoint].self, forKey: .mounts) ?? []
  }
}

public struct SummaryHostConfig: Codable, Sendable, Equatable {
  public var networkMode: String
  public var annotations: [String: String]?

  public init(networkMode: String = "default", annotations: [String: String]? = nil) {
    self.networkMode = networkMode
    self.annotations = annotations
  }

  enum CodingKeys: String, CodingKey {
    case networkMode = "NetworkMode"
    case annotations = "Annotations"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.networkMode = try c.decodeIfPresent(String.self, forKey: .networkMode) ?? "default"
    self.annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
  }
}

public struct SummaryNetworkSettings: Codable, Sendable, Equatable {
  public var networks: [String: EndpointSettings]

  public init(networks: [String: EndpointSettings] = [:]) {
    self.networks = networks
  }

  enum CodingKeys: String, CodingKey {
    case networks = "Networks"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.networks = try c.decodeIfPresent([String: EndpointSettings].self, forKey: .networks) ?? [:]
  }
}
