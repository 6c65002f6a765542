/// Builds a JSONValue from Codable values. Containers are reference boxes so nested
/// containers handed out by the Encoder protocol write into their parent.
final class EncodedNode {
  enum Content {
    case empty
    case value(JSONValue)
    case object([(key: String, node: EncodedNode)], [String: Int])
    case array([EncodedNode])
  }
  var content: Content = .empty

  var json: JSONValue {
    switch content {
    case .empty: .object([])
    case .value(let v): v
    case .object(let members, _): .object(members.map { ($0.key, $0.node.json) })
    case .array(let items): .array(items.map(\.json))
    }
  }

  func set(_ key: String, _ node: EncodedNode) {
    guard case .object(var members, var index) = content else { return }
    if let existing = index[key] {
      members[existing].node = node
    } else {
      index[key] = members.count
      members.append((key, node))
    }
    content = .object(members, index)
  }

  func append(_ node: EncodedNode) {
    guard case .array(var items) = content else { return }
    items.append(node)
    content = .array(items)
  }

  func becomeObject() {
    if case .object = content { return }
    content = .object([], [:])
  }

  func becomeArray() {
    if case .array = content { return }
    content = .array([])
  }
}

struct ValueEncoder: Encoder {
  let node: EncodedNode
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    node.becomeObject()
    return KeyedEncodingContainer(KeyedEncoder<Key>(node: node, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    node.becomeArray()
    return UnkeyedEncoder(node: node, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleValueEncoder(node: node, codingPath: codingPath)
  }
}

enum Encode {
  static func node<T: Encodable>(_ value: T, _ path: [any CodingKey]) throws -> EncodedNode {
    let node = EncodedNode()
    if let scalar = scalar(value) {
      node.content = .value(scalar)
    } else {
      try value.encode(to: ValueEncoder(node: node, codingPath: path))
    }
    return node
  }

  /// The common primitives without a trip through the Encoder protocol.
  static func scalar<T: Encodable>(_ value: T) -> JSONValue? {
    switch value {
    case let v as String: .string(v)
    case let v as Bool: .bool(v)
    case let v as Int: .number(String(v))
    case let v as Int32: .number(String(v))
    case let v as Int64: .number(String(v))
    case let v as UInt32: .number(String(v))
    case let v as UInt64: .number(String(v))
    default: nil
    }
  }

  static func number(_ value: Double) throws -> JSONValue {
    guard value.isFinite else {
      throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is not valid JSON"))
    }
    if value.rounded() == value, abs(value) < 1e15 { return .number(String(Int64(value))) }
    return .number(String(value))
  }
}

struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: EncodedNode
  let codingPath: [any CodingKey]

  func encodeNil(forKey key: Key) { node.set(key.stringValue, leaf(.null)) }
  func encode(_ value: Double, forKey key: Key) throws { node.set(key.stringValue, leaf(try Encode.number(value))) }
  func encode(_ value: Float, forKey key: Key) throws {
    node.set(key.stringValue, leaf(try Encode.number(Double(value))))
  }
  func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    node.set(key.stringValue, try Encode.node(value, codingPath + [key]))
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    let child = EncodedNode()
    node.set(key.stringValue, child)
    return ValueEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
  }

  func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let child = EncodedNode()
    node.set(key.stringValue, child)
    return ValueEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
  }

  func superEncoder() -> any Encoder {
    let child = EncodedNode()
    node.set("super", child)
    return ValueEncoder(node: child, codingPath: codingPath)
  }

  func superEncoder(forKey key: Key) -> any Encoder {
    let child = EncodedNode()
    node.set(key.stringValue, child)
    return ValueEncoder(node: child, codingPath: codingPath + [key])
  }
}

func leaf(_ value: JSONValue) -> EncodedNode {
  let node = EncodedNode()
  node.content = .value(value)
  return node
}

struct UnkeyedEncoder: UnkeyedEncodingContainer {
  let node: EncodedNode
  let codingPath: [any CodingKey]
  var count: Int {
    if case .array(let items) = node.content { return items.count }
    return 0
  }

  func encodeNil() { node.append(leaf(.null)) }
  func encode(_ value: Double) throws { node.append(leaf(try Encode.number(value))) }
  func encode(_ value: Float) throws { node.append(leaf(try Encode.number(Double(value)))) }
  func encode<T: Encodable>(_ value: T) throws {
    node.append(try Encode.node(value, codingPath + [IndexKey(intValue: count)]))
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
    let child = EncodedNode()
    node.append(child)
    return ValueEncoder(node: child, codingPath: codingPath).container(keyedBy: keyType)
  }

  func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let child = EncodedNode()
    node.append(child)
    return ValueEncoder(node: child, codingPath: codingPath).unkeyedContainer()
  }

  func superEncoder() -> any Encoder {
    let child = EncodedNode()
    node.append(child)
    return ValueEncoder(node: child, codingPath: codingPath)
  }
}

struct SingleValueEncoder: SingleValueEncodingContainer {
  let node: EncodedNode
  let codingPath: [any CodingKey]

  func encodeNil() { node.content = .value(.null) }
  func encode(_ value: Bool) { node.content = .value(.bool(value)) }
  func encode(_ value: String) { node.content = .value(.string(value)) }
  func encode(_ value: Double) throws { node.content = .value(try Encode.number(value)) }
  func encode(_ value: Float) throws { node.content = .value(try Encode.number(Double(value))) }
  func encode(_ value: Int) { node.content = .value(.number(String(value))) }
  func encode(_ value: Int8) { node.content = .value(.number(String(value))) }
  func encode(_ value: Int16) { node.content = .value(.number(String(value))) }
  func encode(_ value: Int32) { node.content = .value(.number(String(value))) }
  func encode(_ value: Int64) { node.content = .value(.number(String(value))) }
  func encode(_ value: UInt) { node.content = .value(.number(String(value))) }
  func encode(_ value: UInt8) { node.content = .value(.number(String(value))) }
  func encode(_ value: UInt16) { node.content = .value(.number(String(value))) }
  func encode(_ value: UInt32) { node.content = .value(.number(String(value))) }
  func encode(_ value: UInt64) { node.content = .value(.number(String(value))) }
  func encode<T: Encodable>(_ value: T) throws { node.content = try Encode.node(value, codingPath).content }
}
