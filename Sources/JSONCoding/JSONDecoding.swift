/// Decodes Codable values from a parsed JSONValue. Unknown members are ignored and a
/// missing optional is nil, as Foundation's JSONDecoder does.
struct ValueDecoder: Decoder {
  let value: JSONValue
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let members) = value else { throw mismatch(expected: "an object", value, codingPath) }
    var table: [String: JSONValue] = [:]
    table.reserveCapacity(members.count)
    for member in members { table[member.key] = member.value }
    return KeyedDecodingContainer(KeyedContainer<Key>(members: table, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let items) = value else { throw mismatch(expected: "an array", value, codingPath) }
    return UnkeyedContainer(items: items, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    SingleValue(value: value, codingPath: codingPath)
  }
}

func mismatch(expected: String, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
  DecodingError.typeMismatch(
    Any.self, .init(codingPath: path, debugDescription: "expected \(expected) but found \(value.kindName)"))
}

/// Turns a JSON scalar into a Swift scalar; integers must be exact and in range.
enum Scalars {
  static func string(_ value: JSONValue, _ path: [any CodingKey]) throws -> String {
    guard case .string(let s) = value else { throw mismatch(expected: "a string", value, path) }
    return s
  }

  static func bool(_ value: JSONValue, _ path: [any CodingKey]) throws -> Bool {
    guard case .bool(let b) = value else { throw mismatch(expected: "a boolean", value, path) }
    return b
  }

  static func integer<T: FixedWidthInteger>(_ value: JSONValue, _ path: [any CodingKey]) throws -> T {
    guard case .number(let text) = value else { throw mismatch(expected: "a number", value, path) }
    if let exact = T(text) { return exact }
    if let d = Double(text), d.rounded() == d, let exact = T(exactly: d) { return exact }
    throw DecodingError.dataCorrupted(
      .init(codingPath: path, debugDescription: "number \(text) does not fit in \(T.self)"))
  }

  static func floating(_ value: JSONValue, _ path: [any CodingKey]) throws -> Double {
    guard case .number(let text) = value, let d = Double(text) else {
      throw mismatch(expected: "a number", value, path)
    }
    return d
  }

  /// Decodes the common primitives directly; anything else through its own `init(from:)`.
  static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> T {
    if T.self == String.self, let v = try string(value, path) as? T { return v }
    if T.self == Bool.self, let v = try bool(value, path) as? T { return v }
    if T.self == Int.self, let v = try integer(value, path) as Int as? T { return v }
    if T.self == UInt32.self, let v = try integer(value, path) as UInt32 as? T { return v }
    if T.self == Int64.self, let v = try integer(value, path) as Int64 as? T { return v }
    if T.self == UInt64.self, let v = try integer(value, path) as UInt64 as? T { return v }
    return try T(from: ValueDecoder(value: value, codingPath: path))
  }
}

struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let members: [String: JSONValue]
  let codingPath: [any CodingKey]
  var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

  func value(_ key: Key) throws -> JSONValue {
    guard let value = members[key.stringValue] else {
      throw DecodingError.keyNotFound(
        key, .init(codingPath: codingPath, debugDescription: "required member \"\(key.stringValue)\" is missing"))
    }
    return value
  }

  func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try Scalars.decode(type, try value(key), codingPath + [key])
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try ValueDecoder(value: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try ValueDecoder(value: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder {
    ValueDecoder(value: members["super"] ?? .null, codingPath: codingPath)
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    ValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
  }
}

struct IndexKey: CodingKey {
  let intValue: Int?
  let stringValue: String
  init(intValue: Int) {
    self.intValue = intValue
    stringValue = String(intValue)
  }
  init?(stringValue: String) { nil }
}

struct UnkeyedContainer: UnkeyedDecodingContainer {
  let items: [JSONValue]
  let codingPath: [any CodingKey]
  var currentIndex = 0
  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  init(items: [JSONValue], codingPath: [any CodingKey]) {
    self.items = items
    self.codingPath = codingPath
  }

  mutating func next() throws -> (JSONValue, [any CodingKey]) {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Any.self, .init(codingPath: codingPath, debugDescription: "array has only \(items.count) elements"))
    }
    defer { currentIndex += 1 }
    return (items[currentIndex], codingPath + [IndexKey(intValue: currentIndex)])
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, items[currentIndex] == .null else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (value, path) = try next()
    return try Scalars.decode(type, value, path)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    let (value, path) = try next()
    return try ValueDecoder(value: value, codingPath: path).container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let (value, path) = try next()
    return try ValueDecoder(value: value, codingPath: path).unkeyedContainer()
  }

  mutating func superDecoder() throws -> any Decoder {
    let (value, path) = try next()
    return ValueDecoder(value: value, codingPath: path)
  }
}

struct SingleValue: SingleValueDecodingContainer {
  let value: JSONValue
  let codingPath: [any CodingKey]

  func decodeNil() -> Bool { value == .null }
  func decode(_ type: Bool.Type) throws -> Bool { try Scalars.bool(value, codingPath) }
  func decode(_ type: String.Type) throws -> String { try Scalars.string(value, codingPath) }
  func decode(_ type: Double.Type) throws -> Double { try Scalars.floating(value, codingPath) }
  func decode(_ type: Float.Type) throws -> Float { Float(try Scalars.floating(value, codingPath)) }
  func decode(_ type: Int.Type) throws -> Int { try Scalars.integer(value, codingPath) }
  func decode(_ type: Int8.Type) throws -> Int8 { try Scalars.integer(value, codingPath) }
  func decode(_ type: Int16.Type) throws -> Int16 { try Scalars.integer(value, codingPath) }
  func decode(_ type: Int32.Type) throws -> Int32 { try Scalars.integer(value, codingPath) }
  func decode(_ type: Int64.Type) throws -> Int64 { try Scalars.integer(value, codingPath) }
  func decode(_ type: UInt.Type) throws -> UInt { try Scalars.integer(value, codingPath) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try Scalars.integer(value, codingPath) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try Scalars.integer(value, codingPath) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try Scalars.integer(value, codingPath) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try Scalars.integer(value, codingPath) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try Scalars.decode(type, value, codingPath) }
}
