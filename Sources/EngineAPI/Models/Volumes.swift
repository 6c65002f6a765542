// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// GET /volumes/{name}, and an element of GET /volumes.
public struct Volume: Codable, Sendable, Equatable {
  public var name: String
  public var driver: String
  public var mountpoint: String
  public var createdAt: String?
  public var status: [String: JSONValue]?
  public var labels: [String: String]
  public var scope: String
  public var options: [String: String]
  public var usageData: VolumeUsageData?

  public init(
    name: String = "",
    driver: String = "local",
    mountpoint: String = "",
    createdAt: String? = nil,
    status: [String: JSONValue]? = nil,
    labels: [String: String] = [:],
    scope: String = "local",
    options: [String: String] = [:],
    usageData: VolumeUsageData? = nil
  ) {
    self.name = name
    self.driver = driver
    self.mountpoint = mountpoint
    self.createdAt = createdAt
    self.status = status
    self.labels = labels
    self.scope = scope
    self.options = options
    self.usageData = usageData
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case driver = "Driver"
    case mountpoint = "Mountpoint"
    case createdAt = "CreatedAt"
    case status = "Status"
    case labels = "Labels"
    case scope = "Scope"
    case options = "Options"
    case usageData = "UsageData"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    self.driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? "local"
    self.mountpoint = try c.decodeIfPresent(String.self, forKey: .mountpoint) ?? ""
    self.createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
    self.status = try c.decodeIfPresent([String: JSONValue].self, forKey: .status)
    self.labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    self.scope = try c.decodeIfPresent(String.self, forKey: .scope) ?? "local"
    self.options = try c.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
    self.usageData = try c.decodeIfPresent(VolumeUsageData.self, forKey: .usageData)
  }
}

public struct VolumeUsageData: Codable, Sendable, Equatable {
  public var size: Int64
  public var refCount: Int64

  public init(size: Int64 = -1, refCount: Int64 = -1) {
    self.size = size
    self.refCount = refCount
  }

  enum CodingKeys: String, CodingKey {
    case size = "Size"
    case refCount = "RefCount"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.size = try c.decodeIfPresent(Int64.self, forKey: .size) ?? -1
    self.refCount = try c.decodeIfPresent(Int64.self, forKey: .refCount) ?? -1
  }
}

/// POST /volumes/create.
public struct VolumeCreateRequest: Codable, Sendable, Equatable {
  public var name: String?
  public var driver: String?
  public var driverOpts: [String: String]?
  public var labels: [String: String]?

  public init(
    name: String? = nil,
    driver: String? = nil,
    driverOpts: [String: String]? = nil,
    labels: [String: String]? = nil
  ) {
    self.name = name
    self.driver = driver
    self.driverOpts = driverOpts
    self.labels = labels
  }

  enum CodingKeys: String, CodingKey {
    case name = "Name"
    case driver = "Driver"
    case driverOpts = "DriverOpts"
    case labels = "Labels"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.name = try c.decodeIfPresent(String.self, forKey: .name)
    self.driver = try c.decodeIfPresent(String.self, forKey: .driver)
    self.driverOpts = try c.decodeIfPresent([String: String].self, forKey: .driverOpts)
    self.labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
  }
}

/// GET /volumes.
public struct VolumeListResponse: Codable, Sendable, Equatable {
  public var volumes: [Volume]
  public var warnings: [String]

  public init(volumes: [Volume] = [], warnings: [String] = []) {
    self.volumes = volumes
    self.warnings = warnings
  }

  enum CodingKeys: String, CodingKey {
    case volumes = "Volumes"
    case warnings = "Warnings"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.volumes = try c.decodeIfPresent([Volume].self, forKey: .volumes) ?? []
    self.warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
  }
}

/// POST /volumes/prune.
public struct VolumePruneResponse: Codable, Sendable, Equatable {
  public var volumesDeleted: [String]?
  public var spaceReclaimed: Int64

  public init(volumesDeleted: [String]? = nil, spaceReclaimed: Int64 = 0) {
    self.volumesDeleted = volumesDeleted
    self.spaceReclaimed = spaceReclaimed
  }

  enum CodingKeys: String, CodingKey {
    case volumesDeleted = "VolumesDeleted"
    case spaceReclaimed = "SpaceReclaimed"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.volumesDeleted = try c.decodeIfPresent([String].self, forKey: .volumesDeleted)
    self.spaceReclaimed = try c.decodeIfPresent(Int64.self, forKey: .spaceReclaimed) ?? 0
  }
}
