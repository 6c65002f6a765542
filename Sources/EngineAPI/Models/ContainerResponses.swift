// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// POST /containers/create.
public struct ContainerCreateResponse: Codable, Sendable, Equatable {
  public var id: String
  public var warnings: [String]

  public init(id: String = "", warnings: [String] = []) {
    self.id = id
    self.warnings = warnings
  }

  enum CodingKeys: String, CodingKey {
    case id = "Id"
    case warnings = "Warnings"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
  }
}

/// POST /containers/{id}/wait.
public struct ContainerWaitResponse: Codable, Sendable, Equatable {
  public var statusCode: Int
  public var error: ContainerWaitExitError?

  public init(statusCode: Int = 0, error: ContainerWaitExitError? = nil) {
    self.statusCode = statusCode
    self.error = error
  }

  enum CodingKeys: String, CodingKey {
    case statusCode = "StatusCode"
    case error = "Error"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.statusCode = try c.decodeIfPresent(Int.self, forKey: .statusCode) ?? 0
    self.error = try c.decodeIfPresent(ContainerWaitExitError.self, forKey: .error)
  }
}

public struct ContainerWaitExitError: Codable, Sendable, Equatable {
  public var message: String?

  public init(message: String? = nil) {
    self.message = message
  }

  enum CodingKeys: String, CodingKey {
    case message = "Message"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.message = try c.decodeIfPresent(String.self, forKey: .message)
  }
}

/// GET /containers/{id}/top.
public struct ContainerTopResponse: Codable, Sendable, Equatable {
  public var titles: [String]
  public var processes: [[String]]

  public init(titles: [String] = [], processes: [[String]] = []) {
    self.titles = titles
    self.processes = processes
  }

  enum CodingKeys: String, CodingKey {
    case titles = "Titles"
    case processes = "Processes"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.titles = try c.decodeIfPresent([String].self, forKey: .titles) ?? []
    self.processes = try c.decodeIfPresent([[String]].self, forKey: .processes) ?? []
  }
}

/// POST /containers/{id}/update.
public struct ContainerUpdateResponse: Codable, Sendable, Equatable {
  public var warnings: [String]

  public init(warnings: [String] = []) {
    self.warnings = warnings
  }

  enum CodingKeys: String, CodingKey {
    case warnings = "Warnings"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
  }
}

/// POST /containers/prune.
public struct ContainerPruneResponse: Codable, Sendable, Equatable {
  public var containersDeleted: [String]?
  public var spaceReclaimed: Int64

  public init(containersDeleted: [String]? = nil, spaceReclaimed: Int64 = 0) {
    self.containersDeleted = containersDeleted
    self.spaceReclaimed = spaceReclaimed
  }

  enum CodingKeys: String, CodingKey {
    case containersDeleted = "ContainersDeleted"
    case spaceReclaimed = "SpaceReclaimed"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.containersDeleted = try c.decodeIfPresent([String].self, forKey: .containersDeleted)
    self.spaceReclaimed = try c.decodeIfPresent(Int64.self, forKey: .spaceReclaimed) ?? 0
  }
}

/// GET /containers/{id}/changes; Kind 0 modified, 1 added, 2 deleted.
public struct FilesystemChange: Codable, Sendable, Equatable {
  public var path: String
  public var kind: Int

  public init(path: String = "", kind: Int = 0) {
    self.path = path
    self.kind = kind
  }

  enum CodingKeys: String, CodingKey {
    case path = "Path"
    case kind = "Kind"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
    self.kind = try c.decodeIfPresent(Int.self, forKey: .kind) ?? 0
  }
}
