/// A JSON value that keeps object keys in the order the daemon sent them and numbers as
/// their original text, so `inspect` and `--format '{{json .}}'` print what the daemon said.
public enum JSON: Sendable, Equatable {
  case null
  case bool(Bool)
  /// The number's text as received (no float round-trip for large integers).
  case number(String)
  case string(String)
  case array([JSON])
  case object([Member])

  public struct Member: Sendable, Equatable {
    public var key: String
    public var value: JSON
    public init(_ key: String, _ value: JSON) {
      self.key = key
      self.value = value
    }
  }

  public static func object(_ pairs: KeyValuePairs<String, JSON>) -> JSON {
    .object(pairs.map { Member($0.key, $0.value) })
  }

  public static func int(_ value: Int) -> JSON { .number(String(value)) }
  public static func int64(_ value: Int64) -> JSON { .number(String(value)) }

  /// Member lookup (first match); nil when missing or not an object.
  public subscript(key: String) -> JSON? {
    guard case .object(let members) = self else { return nil }
    return members.first(where: { $0.key == key })?.value
  }

  public subscript(index: Int) -> JSON? {
    guard case .array(let items) = self, index >= 0, index < items.count else { return nil }
    return items[index]
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var doubleValue: Double? {
    if case .number(let n) = self { return Double(n) }
    return nil
  }

  public var int64Value: Int64? {
    guard case .number(let n) = self else { return nil }
    if let i = Int64(n) { return i }
    if let d = Double(n), d.isFinite, abs(d) < 9.2e18 { return Int64(d) }
    return nil
  }

  public var intValue: Int? { int64Value.map { Int($0) } }

  public var arrayValue: [JSON]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [Member]? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// Strings of an array of strings (others skipped); empty when not an array.
  public var stringArray: [String] {
    (arrayValue ?? []).compactMap(\.stringValue)
  }

  /// Sets (or appends) a member of an object; does nothing on other values.
  public mutating func set(_ key: String, _ value: JSON) {
    guard case .object(var members) = self else { return }
    if let i = members.firstIndex(where: { $0.key == key }) {
      members[i].value = value
    } else {
      members.append(Member(key, value))
    }
    self = .object(members)
  }
}

// MARK: - Parsing

public struct JSONParseError: Error, CustomStringConvertible, Equatable {
  public let offset: Int
  public let reason: String
  public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSON {
  public static func parse(_ text: String) throws -> JSON {
    try parse(Array(text.utf8))
  }

  public static func parse(_ bytes: [UInt8]) throws -> JSON {
    var parser = JSONParser(bytes: bytes)
    parser.skipSpace()
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.index == bytes.count else { throw parser.error("trailing characters") }
    return value
  }
}

struct JSONParser {
  let bytes: [UInt8]
  var index = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

  mutating func skipSpace() {
    while index < bytes.count,
      bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09
    {
      index += 1
    }
  }

  mutating func value(depth: Int) throws -> JSON {
    guard depth < 512 else { throw error("nested too deeply") }
    guard index < bytes.count else { throw error("unexpected end") }
    switch bytes[index] {
    case UInt8(ascii: "{"):
      index += 1
      var members: [JSON.Member] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      while true {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
        let key = try string()
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
        index += 1
        skipSpace()
        members.append(JSON.Member(key, try value(depth: depth + 1)))
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end in object") }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        if bytes[index] == UInt8(ascii: "}") {
          index += 1
          return .object(members)
        }
        throw error("expected ',' or '}'")
      }
    case UInt8(ascii: "["):
      index += 1
      var items: [JSON] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      while true {
        skipSpace()
        items.append(try value(depth: depth + 1))
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end in array") }
        if bytes[index] == UInt8(ascii: ",") {
          index += 1
          continue
        }
        if bytes[index] == UInt8(ascii: "]") {
          index += 1
          return .array(items)
        }
        throw error("expected ',' or ']'")
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    default:
      return try number()
    }
  }

  mutating func literal(_ word: String) throws {
    let w = Array(word.utf8)
    guard index + w.count <= bytes.count, Array(bytes[index..<(index + w.count)]) == w else {
      throw error("invalid literal")
    }
    index += w.count
  }

  mutating func number() throws -> JSON {
    let start = index
    while index < bytes.count {
      let c = bytes[index]
      let isNumberByte =
        (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
        || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
      if !isNumberByte { break }
      index += 1
    }
    guard index > start else { throw error("unexpected character") }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard Double(text) != nil else { throw JSONParseError(offset: start, reason: "invalid number \(text)") }
    return .number(text)
  }

  mutating func hex4() throws -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("short \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[index]
      let d: UInt32
      switch c {
      case 0x30...0x39: d = UInt32(c - 0x30)
      case 0x41...0x46: d = UInt32(c - 0x41 + 10)
      case 0x61...0x66: d = UInt32(c - 0x61 + 10)
      default: throw error("bad hex digit")
      }
      v = v << 4 | d
      index += 1
    }
    return v
  }

  mutating func string() throws -> String {
    index += 1  // opening quote
    var out: [UInt8] = []
    while true {
      guard index < bytes.count else { throw error("unterminated string") }
      let c = bytes[index]
      if c == UInt8(ascii: "\"") {
        index += 1
        return String(decoding: out, as: UTF8.self)
      }
      if c != UInt8(ascii: "\\") {
        out.append(c)
        index += 1
        continue
      }
      index += 1
      guard index < bytes.count else { throw error("unterminated escape") }
      let e = bytes[index]
      index += 1
      switch e {
      case UInt8(ascii: "\""): out.append(0x22)
      case UInt8(ascii: "\\"): out.append(0x5C)
      case UInt8(ascii: "/"): out.append(0x2F)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var code = try hex4()
        if code >= 0xD800, code < 0xDC00, index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          index += 2
          let low = try hex4()
          if low >= 0xDC00, low < 0xE000 {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else {
            code = 0xFFFD
          }
        }
        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
      default:
        throw error("bad escape")
      }
    }
  }
}

// MARK: - Serialising

extension JSON {
  /// Compact JSON without HTML escaping (like the docker CLI's `json` template function).
  public func serialized(escapeHTML: Bool = false) -> String {
    var out = ""
    write(to: &out, indent: nil, level: 0, escapeHTML: escapeHTML)
    return out
  }

  /// Indented JSON (`docker inspect`: 4 spaces, `": "` separators).
  public func pretty(indent: String = "    ", escapeHTML: Bool = false) -> String {
    var out = ""
    write(to: &out, indent: indent, level: 0, escapeHTML: escapeHTML)
    return out
  }

  func write(to out: inout String, indent: String?, level: Int, escapeHTML: Bool) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n
    case .string(let s): JSON.quote(s, into: &out, escapeHTML: escapeHTML)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        if let indent {
          out += "\n" + String(repeating: indent, count: level + 1)
        }
        item.write(to: &out, indent: indent, level: level + 1, escapeHTML: escapeHTML)
      }
      if let indent { out += "\n" + String(repeating: indent, count: level) }
      out += "]"
    case .object(let members):
      if members.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (i, member) in members.enumerated() {
        if i > 0 { out += "," }
        if let indent {
          out += "\n" + String(repeating: indent, count: level + 1)
        }
        JSON.quote(member.key, into: &out, escapeHTML: escapeHTML)
        out += indent == nil ? ":" : ": "
        member.value.write(to: &out, indent: indent, level: level + 1, escapeHTML: escapeHTML)
      }
      if let indent { out += "\n" + String(repeating: indent, count: level) }
      out += "}"
    }
  }

  static func quote(_ s: String, into out: inout String, escapeHTML: Bool = false) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "<" where escapeHTML: out += "\\u003c"
      case ">" where escapeHTML: out += "\\u003e"
      case "&" where escapeHTML: out += "\\u0026"
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

// MARK: - Building request bodies

extension JSON {
  public init(_ string: String) { self = .string(string) }
  public init(_ strings: [String]) { self = .array(strings.map { .string($0) }) }
  public init(_ map: [String: String]) {
    self = .object(map.keys.sorted().map { Member($0, .string(map[$0] ?? "")) })
  }
}
