/// One json-file log entry, encoded the way docker's jsonlog does it:
/// `{"log":"text\n","stream":"stdout","time":"…"}` + "\n", invalid UTF-8 replaced by
/// U+FFFD, and <, >, &, U+2028 and U+2029 escaped as \uXXXX (Go's HTML-safe escaping).
enum JSONLogLine {
  static func encode(_ bytes: some Collection<UInt8>, stream: String, time: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 64)
    out += Array(#"{"log":""#.utf8)
    appendEscaped(String(decoding: bytes, as: UTF8.self), to: &out)
    out += Array(#"","stream":""#.utf8)
    out += Array(stream.utf8)
    out += Array(#"","time":""#.utf8)
    out += Array(time.utf8)
    out += Array("\"}\n".utf8)
    return out
  }

  static func appendEscaped(_ text: String, to out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x22: out += [0x5c, 0x22]
      case 0x5c: out += [0x5c, 0x5c]
      case 0x0a: out += [0x5c, 0x6e]
      case 0x0d: out += [0x5c, 0x72]
      case 0x09: out += [0x5c, 0x74]
      case 0x00..<0x20, 0x3c, 0x3e, 0x26, 0x2028, 0x2029:
        let v = Int(scalar.value)
        out += [0x5c, 0x75, hex[(v >> 12) & 0xf], hex[(v >> 8) & 0xf], hex[(v >> 4) & 0xf], hex[v & 0xf]]
      default:
        out += Array(String(scalar).utf8)
      }
    }
  }
}
