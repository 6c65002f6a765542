// Docker Engine API models. JSON keys are Docker's (CodingKeys); decoding is lenient like dockerd's:
// unknown keys are ignored, a missing or null value takes the default.

/// The body of every error answer: `{"message": "..."}`.
public struct ErrorResponse: Codable, Sendable, Equatable {
  public var message: String

  public init(message: String = "") {
    self.message = message
  }

  enum CodingKeys: String, CodingKey {
    case message
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.message = try c.decodeIfPresent(String.self, forKey: .message) ?? ""
  }
}

/// `{"Id": "..."}` (exec create and others).
public struct IDResponse: Codable, Sendable, Equatable {
  public var id: String

  public init(id: String = "") {
    self.id = id
  }

  enum CodingKeys: String, CodingKey {
    case id = "Id"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
  }
}
