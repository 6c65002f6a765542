/// Base64 (RFC 4648) with padding: standard for config.json's `auth`, URL-safe for the
/// `X-Registry-Auth` header (Go's base64.URLEncoding, as the docker CLI sends it).
enum Base64 {
  static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  static let url = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  static func encode(_ bytes: [UInt8], urlSafe: Bool = false) -> String {
    let table = urlSafe ? url : standard
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      let n = min(3, bytes.count - i)
      let b0 = UInt32(bytes[i])
      let b1 = n > 1 ? UInt32(bytes[i + 1]) : 0
      let b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
      let v = b0 << 16 | b1 << 8 | b2
      out.append(table[Int(v >> 18 & 63)])
      out.append(table[Int(v >> 12 & 63)])
      out.append(n > 1 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "="))
      out.append(n > 2 ? table[Int(v & 63)] : UInt8(ascii: "="))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes either alphabet, padding optional; nil on other characters.
  static func decode(_ text: String) -> [UInt8]? {
    var values: [UInt32] = []
    for c in text.utf8 where c != UInt8(ascii: "=") && c != UInt8(ascii: "\n") {
      if let i = standard.firstIndex(of: c) ?? url.firstIndex(of: c) {
        values.append(UInt32(i))
      } else {
        return nil
      }
    }
    var out: [UInt8] = []
    var i = 0
    while i + 1 < values.count {
      let chunk = values[i..<min(i + 4, values.count)]
      var v: UInt32 = 0
      for (k, x) in chunk.enumerated() { v |= x << UInt32(18 - 6 * k) }
      out.append(UInt8(v >> 16 & 0xFF))
      if chunk.count > 2 { out.append(UInt8(v >> 8 & 0xFF)) }
      if chunk.count > 3 { out.append(UInt8(v & 0xFF)) }
      i += 4
    }
    return out
  }
}
