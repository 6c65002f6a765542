// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// GET /system/df.
public struct SystemDfResponse: Codable, Sendable, Equatable {
  public var layersSize: Int64
  public var images: [ImageSummary]
  public var containers: [ContainerSummary]
  public var volumes: [Volume]
  public var buildCache: [BuildCacheRecord]

  public init(
    layersSize: Int64 = 0,
    images: [ImageSummary] = [],
    containers: [ContainerSummary] = [],
    volumes: [Volume] = [],
    buildCache: [BuildCacheRecord] = []
  ) {
    self.layersSize = layersSize
    self.images = images
    self.containers = containers
    self.volumes = volumes
    self.buildCache = buildCache
  }

  enum CodingKeys: String, CodingKey {
    case layersSize = "LayersSize"
    case images = "Images"
    case containers = "Containers"
    case volumes = "Volumes"
    case buildCache = "BuildCache"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.layersSize = try c.decodeIfPresent(Int64.self, forKey: .layersSize) ?? 0
    self.images = try c.decodeIfPresent([ImageSummary].self, forKey: .images) ?? []
    self.containers = try c.decodeIfPresent([ContainerSummary].self, forKey: .containers) ?? []
    self.volumes = try c.decodeIfPresent([Volume].self, forKey: .volumes) ?? []
    self.buildCache = try c.decodeIfPresent([BuildCacheRecord].self, forKey: .buildCache) ?? []
  }
}

public struct BuildCacheRecord: Codable, Sendable, Equatable {
  public var id: String
  public var parent: String?
  public var parents: [String]?
  public var type: String
  public var description: String
  public var inUse: Bool
  public var shared: Bool
  public var size: Int64
  public var createdAt: String
  public var lastUsedAt: String?
  public var usageCount: Int

  public init(
    id: String = "",
    parent: String? = nil,
    parents: [String]? = nil,
    type: String = "",
    description: String = "",
    inUse: Bool = false,
    shared: Bool = false,
    size: Int64 = 0,
    createdAt: String = "",
    lastUsedAt: String? = nil,
    usageCount: Int = 0
  ) {
    self.id = id
    self.parent = parent
    self.parents = parents
    self.type = type
    self.description = description
    self.inUse = inUse
    self.shared = shared
    self.size = size
    self.createdAt = createdAt
    self.lastUsedAt = lastUsedAt
    self.usageCount = usageCount
  }

  enum CodingKeys: String, CodingKey {
    case id = "ID"
    case parent = "Parent"
    case parents = "Parents"
    case type = "Type"
    case description = "Description"
    case inUse = "InUse"
    case shared = "Shared"
    case size = "Size"
    case createdAt = "CreatedAt"
    case lastUsedAt = "LastUsedAt"
    case usageCount = "UsageCount"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.parent = try c.decodeIfPresent(String.self, forKey: .parent)
    self.parents = try c.decodeIfPresent([String].self, forKey: .parents)
    self.type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
    self.description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
    self.inUse = try c.decodeIfPresent(Bool.self, forKey: .inUse) ?? false
    self.shared = try c.decodeIfPresent(Bool.self, forKey: .shared) ?? false
    self.size = try c.decodeIfPresent(Int64.self, forKey: .size) ?? 0
    self.createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
    self.lastUsedAt = try c.decodeIfPresent(String.self, forKey: .lastUsedAt)
    self.usageCount = try c.decodeIfPresent(Int.self, forKey: .usageCount) ?? 0
  }
}
