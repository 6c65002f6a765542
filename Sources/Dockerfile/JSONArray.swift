/// The exec form's JSON: what Go's `json.Unmarshal` into `[]interface{}` accepts, then the
/// check that every element is a string.
enum JSONArray {
  enum Outcome: Equatable {
    /// A JSON array of strings.
    case strings([String])
    /// Not JSON (or not an array): the instruction falls back to its shell form.
    case notJSON
    /// Valid JSON array with a non-string element: an error, as in BuildKit.
    case notStringArray
  }

  static let notStringArrayMessage = "when using JSON array syntax, arrays must be comprised of strings only"

  static func parse(_ text: String) -> Outcome {
    let trimmed = text.trimmingLeadingSpace()
    guard trimmed.hasPrefix("[") else { return .notJSON }
    var p = Parser(bytes: Array(trimmed.utf8))
    guard let value = p.document() else { return .notJSON }
    guard case .array(let items) = value else { return .notJSON }
    var out: [String] = []
    for item in items {
      guard case .string(let s) = item else { return .notStringArray }
      out.append(s)
    }
    return .strings(out)
  }

  enum Value {
    case string(String)
    case array([Value])
    case other
  }

  struct Parser {
    let bytes: [UInt8]
    var i = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() -> Value? {
      guard let v = value() else { return nil }
      skipSpace()
      return i == bytes.count ? v : nil
    }

    mutating func skipSpace() {
      while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    mutating func value() -> Value? {
      skipSpace()
      guard i < bytes.count else { return nil }
      switch bytes[i] {
      case UInt8(ascii: "["): return array()
      case UInt8(ascii: "{"): return object()
      case UInt8(ascii: "\""): return string().map { .string($0) }
      case UInt8(ascii: "t"): return keyword("true")
      case UInt8(ascii: "f"): return keyword("false")
      case UInt8(ascii: "n"): return keyword("null")
      default: return number()
      }
    }

    mutating func keyword(_ word: String) -> Value? {
      let w = Array(word.utf8)
      guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return nil }
      i += w.count
      return .other
    }

    mutating func number() -> Value? {
      let start = i
      if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
      func digits() -> Int {
        let s = i
        while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
        return i - s
      }
      guard i < bytes.count else { return nil }
      if bytes[i] == UInt8(ascii: "0") {
        i += 1
      } else if digits() == 0 {
        return nil
      }
      if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
        i += 1
        guard digits() > 0 else { return nil }
      }
      if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
        i += 1
        if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
        guard digits() > 0 else { return nil }
      }
      return i > start ? .other : nil
    }

    mutating func array() -> Value? {
      depth += 1
      defer { depth -= 1 }
      guard depth < 512 else { return nil }
      i += 1
      var items: [Value] = []
      skipSpace()
      if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(items)
      }
      while true {
        guard let v = value() else { return nil }
        items.append(v)
        skipSpace()
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard bytes[i] == UInt8(ascii: "]") else { return nil }
        i += 1
        return .array(items)
      }
    }

    mutating func object() -> Value? {
      depth += 1
      defer { depth -= 1 }
      guard depth < 512 else { return nil }
      i += 1
      skipSpace()
      if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .other
      }
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), string() != nil else { return nil }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard value() != nil else { return nil }
        skipSpace()
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard bytes[i] == UInt8(ascii: "}") else { return nil }
        i += 1
        return .other
      }
    }

    /// A JSON string; invalid UTF-8 and lone surrogates become U+FFFD as in Go.
    mutating func string() -> String? {
      i += 1
      var out: [UInt8] = []
      while i < bytes.count {
        let b = bytes[i]
        if b == UInt8(ascii: "\"") {
          i += 1
          return String(decoding: out, as: UTF8.self)
        }
        if b < 0x20 { return nil }
        if b != UInt8(ascii: "\\") {
          out.append(b)
          i += 1
          continue
        }
        i += 1
        guard i < bytes.count else { return nil }
        let e = bytes[i]
        i += 1
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
          guard var code = hex4() else { return nil }
          if (0xD800..<0xDC00).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
            bytes[i + 1] == UInt8(ascii: "u")
          {
            let save = i
            i += 2
            if let low = hex4(), (0xDC00..<0xE000).contains(low) {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
              i = save
            }
          }
          let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
          return nil
        }
      }
      return nil
    }

    mutating func hex4() -> UInt32? {
      guard i + 4 <= bytes.count else { return nil }
      var v: UInt32 = 0
      for b in bytes[i..<i + 4] {
        guard let d = Character(Unicode.Scalar(b)).hexDigitValue else { return nil }
        v = v * 16 + UInt32(d)
      }
      i += 4
      return v
    }
  }
}
