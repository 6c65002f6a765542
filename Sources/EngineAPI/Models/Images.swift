// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// An element of GET /images/json (`docker images`).
public struct ImageSummary: Codable, Sendable, Equatable {
  public var id: String
  public var parentId: String
  public var repoTags: [String]
  public var repoDigests: [String]
  /// unix seconds
  public var created: Int64
  public var size: Int64
  public var sharedSize: Int64
  public var virtualSize: Int64?
  public var labels: [String: String]
  public var containers: Int

  public init(
    id: String = "",
    parentId: String = "",
    repoTags: [String] = [],
    repoDigests: [String] = [],
    created: Int64 = 0,
    size: Int64 = 0,
    sharedSize: Int64 = -1,
    virtualSize: Int64? = nil,
    labels: [String: String] = [:],
    containers: Int = -1
  ) {
    self.id = id
    self.parentId = parentId
    self.repoTags = repoTags
    self.repoDigests = repoDigests
    self.created = created
    self.size = size
    self.sharedSize = sharedSize
    self.virtualSize = virtualSize
    self.labels = labels
    self.containers = containers
  }

  enum CodingKeys: String, CodingKey {
    case id = "Id"
    case parentId = "ParentId"
    case repoTags = "RepoTags"
    case repoDigests = "RepoDigests"
    case created = "Created"
    case size = "Size"
    case sharedSize = "SharedSize"
    case virtualSize = "VirtualSize"
    case labels = "Labels"
    case containers = "Containers"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.parentId = try c.decodeIfPresent(String.self, forKey: .parentId) ?? ""
    self.repoTags = try c.decodeIfPresent([String].self, forKey: .repoTags) ?? []
    self.repoDigests = try c.decodeIfPresent([String].self, forKey: .repoDigests) ?? []
    self.created = try c.decodeIfPresent(Int64.self, forKey: .created) ?? 0
    self.size = try c.decodeIfPresent(Int64.self, forKey: .size) ?? 0
    self.sharedSize = try c.decodeIfPresent(Int64.self, forKey: .sharedSize) ?? -1
    self.virtualSize = try c.decodeIfPresent(Int64.self, forKey: .virtualSize)
    self.labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    self.containers = try c.decodeIfPresent(Int.self, forKey: .containers) ?? -1
  }
}

/// GET /images/{name}/json.
public struct ImageInspect: Codable, Sendable, Equatable {
  public var id: String
  public var repoTags: [String]
  public var repoDigests: [String]
  public var parent: String
  public var comment: String
  /// RFC3339Nano
  public var created: String
  public var container: String?
  public var containerConfig: ContainerConfig?
  public var dockerVersion: String
  public var author: String
  public var config: ContainerConfig
  public var architecture: String
  public var variant: String?
  public var os: String
  public var osVersion: String?
  public var size: Int64
  public var virtualSize: Int64?
  public var graphDriver: DriverData
  public var rootFS: ImageRootFS
  public var metadata: ImageMetadata

  public init(
    id: String = "",
    repoTags: [String] = [],
    repoDigests: [String] = [],
    parent: String = "",
    comment: String = "",
    created: String = "",
    container: String? = nil,
    containerConfig: ContainerConfig? = nil,
    dockerVersion: String = "",
    author: String = "",
    config: ContainerConfig = ContainerConfig(),
    architecture: String = "amd64",
    variant: String? = nil,
    os: String = "linux",
    osVersion: String? = nil,
    size: Int64 = 0,
    virtualSize: Int64? = nil,
    graphDriver: DriverData = DriverData(),
    rootFS: ImageRootFS = ImageRootFS(),
    metadata: ImageMetadata = ImageMetadata()
  ) {
    self.id = id
    self.repoTags = repoTags
    self.repoDigests = repoDigests
    self.parent = parent
    self.comment = comment
    self.created = created
    self.container = container
    self.containerConfig = containerConfig
    self.dockerVersion = dockerVersion
    self.author = author
    self.config = config
    self.architecture = architecture
    self.variant = variant
    self.os = os
    self.osVersion = osVersion
    self.size = size
    self.virtualSize = virtualSize
    self.graphDriver = graphDriver
    self.rootFS = rootFS
    self.metadata = metadata
  }

  enum CodingKeys: String, CodingKey {
    case id = "Id"
    case repoTags = "RepoTags"
    case repoDigests = "RepoDigests"
    case parent = "Parent"
    case comment = "Comment"
    case created = "Created"
    case container = "Container"
    case containerConfig = "ContainerConfig"
    case dockerVersion = "DockerVersion"
    case author = "Author"
    case config = "Config"
    case architecture = "Architecture"
    case variant = "Variant"
    case os = "Os"
    case osVersion = "OsVersion"
    case size = "Size"
    case virtualSize = "VirtualSize"
    case graphDriver = "GraphDriver"
    case rootFS = "RootFS"
    case metadata = "Metadata"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.repoTags = try c.decodeIfPresent([String].self, forKey: .repoTags) ?? []
    self.repoDigests = try c.decodeIfPresent([String].self, forKey: .repoDigests) ?? []
    self.parent = try c.decodeIfPresent(String.self, forKey: .parent) ?? ""
    self.comment = try c.decodeIfPresent(String.self, forKey: .comment) ?? ""
    self.created = try c.decodeIfPresent(String.self, forKey: .created) ?? ""
    self.container = try c.decodeIfPresent(String.self, forKey: .container)
    self.containerConfig = try c.decodeIfPresent(ContainerConfig.self, forKey: .containerConfig)
    self.dockerVersion = try c.decodeIfPresent(String.self, forKey: .dockerVersion) ?? ""
    self.author = try c.decodeIfPresent(String.self, forKey: .author) ?? ""
    self.config = try c.decodeIfPresent(ContainerConfig.self, forKey: .config) ?? ContainerConfig()
    self.architecture = try c.decodeIfPresent(String.self, forKey: .architecture) ?? "amd64"
    self.variant = try c.decodeIfPresent(String.self, forKey: .variant)
    self.os = try c.decodeIfPresent(String.self, forKey: .os) ?? "linux"
    self.osVersion = try c.decodeIfPresent(String.self, forKey: .osVersion)
    self.size = try c.decodeIfPresent(Int64.self, forKey: .size) ?? 0
    self.virtualSize = try c.decodeIfPresent(Int64.self, forKey: .virtualSize)
    self.graphDriver = try c.decodeIfPresent(DriverData.self, forKey: .graphDriver) ?? DriverData()
    self.rootFS = try c.decodeIfPresent(ImageRootFS.self, forKey: .rootFS) ?? ImageRootFS()
    self.metadata = try c.decodeIfPresent(ImageMetadata.self, forKey: .metadata) ?? ImageMetadata()
  }
}

public struct ImageRootFS: Codable, Sendable, Equatable {
  public var type: String
  public var layers: [String]

  public init(type: String = "layers", layers: [String] = []) {
    self.type = type
    self.layers = layers
  }

  enum CodingKeys: String, CodingKey {
    case type = "Type"
    case layers = "Layers"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.type = try c.decodeIfPresent(String.self, forKey: .type) ?? "layers"
    self.layers = try c.decodeIfPresent([String].self, forKey: .layers) ?? []
  }
}

public struct ImageMetadata: Codable, Sendable, Equatable {
  public var lastTagTime: String?

  public init(lastTagTime: String? = nil) {
    self.lastTagTime = lastTagTime
  }

  enum CodingKeys: String, CodingKey {
    case lastTagTime = "LastTagTime"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.lastTagTime = try c.decodeIfPresent(String.self, forKey: .lastTagTime)
  }
}

/// An element of GET /images/{name}/history.
public struct ImageHistoryItem: Codable, Sendable, Equatable {
  public var id: String
  public var created: Int64
  public var createdBy: String
  public var tags: [String]?
  public var size: Int64
  public var comment: String

  public init(
    id: String = "<missing>",
    created: Int64 = 0,
    createdBy: String = "",
    tags: [String]? = nil,
    size: Int64 = 0,
    comment: String = ""
  ) {
    self.id = id
    self.created = created
    self.createdBy = createdBy
    self.tags = tags
    self.size = size
    self.comment = comment
  }

  enum CodingKeys: String, CodingKey {
    case id = "Id"
    case created = "Created"
    case createdBy = "CreatedBy"
    case tags = "Tags"
    case size = "Size"
    case comment = "Comment"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? "<missing>"
    self.created = try c.decodeIfPresent(Int64.self, forKey: .created) ?? 0
    self.createdBy = try c.decodeIfPresent(String.self, forKey: .createdBy) ?? ""
    self.tags = try c.decodeIfPresent([String].self, forKey: .tags)
    self.size = try c.decodeIfPresent(Int64.self, forKey: .size) ?? 0
    self.comment = try c.decodeIfPresent(String.self, forKey: .comment) ?? ""
  }
}

/// An element of DELETE /images/{name}: one of Untagged or Deleted.
public struct ImageDeleteResponseItem: Codable, Sendable, Equatable {
  public var untagged: String?
  public var deleted: String?

  public init(untagged: String? = nil, deleted: String? = nil) {
    self.untagged = untagged
    self.deleted = deleted
  }

  enum CodingKeys: String, CodingKey {
    case untagged = "Untagged"
    case deleted = "Deleted"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.untagged = try c.decodeIfPresent(String.self, forKey: .untagged)
    self.deleted = try c.decodeIfPresent(String.self, forKey: .deleted)
  }
}

/// POST /images/prune.
public struct ImagePruneResponse: Codable, Sendable, Equatable {
  public var imagesDeleted: [ImageDeleteResponseItem]?
  public var spaceReclaimed: Int64

  public init(imagesDeleted: [ImageDeleteResponseItem]? = nil, spaceReclaimed: Int64 = 0) {
    self.imagesDeleted = imagesDeleted
    self.spaceReclaimed = spaceReclaimed
  }

  enum CodingKeys: String, CodingKey {
    case imagesDeleted = "ImagesDeleted"
    case spaceReclaimed = "SpaceReclaimed"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.imagesDeleted = try c.decodeIfPresent([ImageDeleteResponseItem].self, forKey: .imagesDeleted)
    self.spaceReclaimed = try c.decodeIfPresent(Int64.self, forKey: .spaceReclaimed) ?? 0
  }
}
