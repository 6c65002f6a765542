/// `{}`: the value type of Docker's set-like maps (`ExposedPorts`, `Volumes`).
public struct EmptyObject: Codable, Sendable, Equatable, Hashable {
  public init() {}
  public init(from decoder: any Decoder) throws {}
  public func encode(to encoder: any Encoder) throws {
    _ = encoder.container(keyedBy: AnyCodingKey.self)
  }
}

/// A coding key for any string.
public struct AnyCodingKey: CodingKey, Sendable {
  public var stringValue: String
  public var intValue: Int?
  public init(stringValue: String) { self.stringValue = stringValue }
  public init?(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}

/// Any JSON value, for free-form fields (volume `Status`, progress `aux`).
public enum JSONValue: Codable, Sendable, Equatable, Hashable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .number(let n):
      if n.rounded() == n, abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }
}

extension KeyedDecodingContainer {
  /// Docker's `StrSlice`: a JSON array of strings, a single string (→ one element), or null.
  public func decodeStrSlice(forKey key: Key) throws -> [String]? {
    guard contains(key), try !decodeNil(forKey: key) else { return nil }
    if let single = try? decode(String.self, forKey: key) { return [single] }
    return try decode([String].self, forKey: key)
  }
}
