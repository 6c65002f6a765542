// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// One JSON line of GET /events.
public struct EventMessage: Codable, Sendable, Equatable {
  /// container, image, volume, network, daemon
  public var type: String?
  /// create, start, die, destroy, pull, tag, ...
  public var action: String?
  public var actor: EventActor?
  /// "local"
  public var scope: String?
  public var time: Int64?
  public var timeNano: Int64?
  /// legacy: = Action
  public var status: String?
  /// legacy: = Actor.ID
  public var id: String?
  /// legacy: the image of a container event
  public var from: String?

  public init(
    type: String? = nil,
    action: String? = nil,
    actor: EventActor? = nil,
    scope: String? = nil,
    time: Int64? = nil,
    timeNano: Int64? = nil,
    status: String? = nil,
    id: String? = nil,
    from: String? = nil
  ) {
    self.type = type
    self.action = action
    self.actor = actor
    self.scope = scope
    self.time = time
    self.timeNano = timeNano
    self.status = status
    self.id = id
    self.from = from
  }

  enum CodingKeys: String, CodingKey {
    case type = "Type"
    case action = "Action"
    case actor = "Actor"
    case scope
    case time
    case timeNano
    case status
    case id
    case from
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.type = try c.decodeIfPresent(String.self, forKey: .type)
    self.action = try c.decodeIfPresent(String.self, forKey: .action)
    self.actor = try c.decodeIfPresent(EventActor.self, forKey: .actor)
    self.scope = try c.decodeIfPresent(String.self, forKey: .scope)
    self.time = try c.decodeIfPresent(Int64.self, forKey: .time)
    self.timeNano = try c.decodeIfPresent(Int64.self, forKey: .timeNano)
    self.status = try c.decodeIfPresent(String.self, forKey: .status)
    self.id = try c.decodeIfPresent(String.self, forKey: .id)
    self.from = try c.decodeIfPresent(String.self, forKey: .from)
  }
}

public struct EventActor: Codable, Sendable, Equatable {
  public var id: String
  public var attributes: [String: String]

  public init(id: String = "", attributes: [String: String] = [:]) {
    self.id = id
    self.attributes = attributes
  }

  enum CodingKeys: String, CodingKey {
    case id = "ID"
    case attributes = "Attributes"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
    self.attributes = try c.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
  }
}
