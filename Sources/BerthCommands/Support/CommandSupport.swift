import EngineClient

extension CommandContext {
  /// Runs `action` for each name, printing the name on success (docker's stop/rm/kill/…);
  /// failures are printed on stderr and make the exit code 1.
  func forEach(_ names: [String], printName: Bool = true, _ action: (String) throws -> Void) -> Int32 {
    var failed = false
    for name in names {
      do {
        try action(name)
        if printName { outLine(name) }
      } catch {
        errLine(describe(error))
        failed = true
      }
    }
    return failed ? 1 : 0
  }
}

/// The text docker would print for an error.
func describe(_ error: any Error) -> String {
  switch error {
  case let e as EngineClientError: return e.description
  case let e as CommandError:
    switch e {
    case .failure(let m), .status(let m, _): return m
    default: return "\(e)"
    }
  default: return "\(error)"
  }
}

/// `--filter a=b --filter c=d` → `{"a":{"b":true},"c":{"d":true}}` (docker's wire form).
func filtersQuery(_ values: [String]) throws -> [(String, String)] {
  guard !values.isEmpty else { return [] }
  var map: [(String, [String])] = []
  for value in values {
    guard let eq = value.firstIndex(of: "=") else {
      throw CommandError.failure("bad format of filter (expected name=value)")
    }
    let key = String(value[..<eq]).lowercased().trimmedSpaces()
    let v = String(value[value.index(after: eq)...])
    if let i = map.firstIndex(where: { $0.0 == key }) {
      map[i].1.append(v)
    } else {
      map.append((key, [v]))
    }
  }
  let json = JSON.object(map.map { JSON.Member($0.0, .object($0.1.map { JSON.Member($0, .bool(true)) })) })
  return [("filters", json.serialized())]
}

/// `KEY=VALUE` list → dictionary (labels, options); a bare `KEY` maps to "".
func keyValues(_ items: [String]) -> [String: String] {
  var out: [String: String] = [:]
  for item in items {
    if let eq = item.firstIndex(of: "=") {
      out[String(item[..<eq])] = String(item[item.index(after: eq)...])
    } else {
      out[item] = ""
    }
  }
  return out
}

/// Path component percent-encoding for names and ids in URLs.
func pathEscape(_ s: String) -> String {
  var out = ""
  for byte in s.utf8 {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
      UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "/"):
      out.unicodeScalars.append(Unicode.Scalar(byte))
    default:
      let hex = String(byte, radix: 16, uppercase: true)
      out += "%" + (hex.count == 1 ? "0" + hex : hex)
    }
  }
  return out
}

/// Quotes like Go's strconv.Quote for printable ASCII/UTF-8 text.
func goQuote(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\t": out += "\\t"
    case "\r": out += "\\r"
    default:
      if scalar.value < 0x20 || scalar.value == 0x7f {
        let hex = String(scalar.value, radix: 16)
        out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}
