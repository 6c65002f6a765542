// Validation of the spec's repository names and tags, and of upload ids.

enum RegistryNames {
  /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`, at most 255 bytes.
  static func isValidRepository(_ name: String) -> Bool {
    guard !name.isEmpty, name.utf8.count <= 255 else { return false }
    return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(isValidComponent)
  }

  /// One path component: alphanumeric runs joined by `.`, `_`, `__` or one or more `-`.
  static func isValidComponent(_ component: Substring) -> Bool {
    let bytes = Array(component.utf8)
    func isAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) }
    var i = 0
    guard let first = bytes.first, isAlnum(first) else { return false }
    while i < bytes.count {
      // An alphanumeric run.
      guard isAlnum(bytes[i]) else { return false }
      while i < bytes.count && isAlnum(bytes[i]) { i += 1 }
      if i == bytes.count { return true }
      // A separator, then another run must follow.
      switch bytes[i] {
      case UInt8(ascii: "."): i += 1
      case UInt8(ascii: "_"):
        i += 1
        if i < bytes.count && bytes[i] == UInt8(ascii: "_") { i += 1 }
      case UInt8(ascii: "-"):
        while i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
      default: return false
      }
      if i == bytes.count { return false }
    }
    return true
  }

  /// `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
  static func isValidTag(_ tag: String) -> Bool {
    let bytes = Array(tag.utf8)
    guard let first = bytes.first, bytes.count <= 128 else { return false }
    func isWord(_ b: UInt8) -> Bool {
      (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "_")
    }
    guard isWord(first) else { return false }
    return bytes.dropFirst().allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
  }

  /// Upload ids are made here (lowercase hex and dashes); anything else never names a file.
  static func isValidUploadID(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= 64
      && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || $0 == UInt8(ascii: "-") }
  }

  static func makeUploadID() -> String {
    let table = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for i in 0..<16 {
      if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
      let b = UInt8.random(in: 0...255)
      out.append(table[Int(b >> 4)])
      out.append(table[Int(b & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// A URL query: `a=1&b=2&a=3`, percent-decoded, order kept.
struct QueryParameters: Sendable {
  var pairs: [(String, String)] = []

  init(_ query: Substring?) {
    guard let query else { return }
    for item in query.split(separator: "&") where !item.isEmpty {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = Self.decode(parts[0])
      let value = parts.count > 1 ? Self.decode(parts[1]) : ""
      pairs.append((key, value))
    }
  }

  subscript(_ key: String) -> String? { pairs.first { $0.0 == key }?.1 }
  func all(_ key: String) -> [String] { pairs.filter { $0.0 == key }.map(\.1) }

  static func decode(_ s: Substring) -> String {
    var out: [UInt8] = []
    var bytes = Array(s.utf8)[...]
    while let b = bytes.popFirst() {
      // `+` stays itself: media types (artifactType) hold it and never hold a space.
      if b == UInt8(ascii: "%"), bytes.count >= 2,
        let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)
      {
        out.append(v)
        bytes = bytes.dropFirst(2)
      } else {
        out.append(b)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Percent-encodes a value for a query string (Link headers).
  static func encode(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
      let c = Character(UnicodeScalar(b))
      if c.isLetter && b < 0x80 || c.isNumber && b < 0x80 || "-._~".utf8.contains(b) {
        out.append(c)
      } else {
        let hex = String(b, radix: 16, uppercase: true)
        out += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return out
  }
}
