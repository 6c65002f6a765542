/// Serialises a JSONValue. Pretty output is Go's `MarshalIndent(v, "", "  ")` shape,
/// which is how runc prints state.
struct JSONWriter {
  var pretty = false
  var sortedKeys = false
  private(set) var out: [UInt8] = []

  init(pretty: Bool, sortedKeys: Bool) {
    self.pretty = pretty
    self.sortedKeys = sortedKeys
    out.reserveCapacity(1024)
  }

  mutating func write(_ value: JSONValue, indent: Int = 0) {
    switch value {
    case .null: out += Array("null".utf8)
    case .bool(let b): out += Array((b ? "true" : "false").utf8)
    case .number(let n): out += Array(n.utf8)
    case .string(let s): writeString(s)
    case .array(let items):
      if items.isEmpty {
        out += [UInt8(ascii: "["), UInt8(ascii: "]")]
        return
      }
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent + 1)
        write(item, indent: indent + 1)
      }
      newline(indent)
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty {
        out += [UInt8(ascii: "{"), UInt8(ascii: "}")]
        return
      }
      let ordered = sortedKeys ? members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : members
      out.append(UInt8(ascii: "{"))
      for (i, member) in ordered.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent + 1)
        writeString(member.key)
        out.append(UInt8(ascii: ":"))
        if pretty { out.append(UInt8(ascii: " ")) }
        write(member.value, indent: indent + 1)
      }
      newline(indent)
      out.append(UInt8(ascii: "}"))
    }
  }

  private mutating func newline(_ indent: Int) {
    guard pretty else { return }
    out.append(0x0A)
    out += [UInt8](repeating: UInt8(ascii: " "), count: indent * 2)
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  private mutating func writeString(_ s: String) {
    out.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
      case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0x00..<0x20:
        out += Array("\\u00".utf8) + [Self.hexDigits[Int(b >> 4)], Self.hexDigits[Int(b & 0xF)]]
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
