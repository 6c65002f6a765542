/// Sizes as docker's `units.RAMInBytes` reads them: `64m`, `1g`, `512k`, `1.5GiB`, `100`
/// (binary multiples, an optional `i` and `b`).
enum ByteSize {
  static func parse(_ text: String) -> Int64? {
    var s = Substring(text)
    var multiplier: Double = 1
    if let last = s.last, last == "b" || last == "B" { s = s.dropLast() }
    if let last = s.last, last == "i" || last == "I" { s = s.dropLast() }
    if let last = s.last?.lowercased() {
      let units = [
        "k": 1024.0, "m": 1_048_576.0, "g": 1_073_741_824.0, "t": 1_099_511_627_776.0, "p": 1_125_899_906_842_624.0,
      ]
      if let m = units[last] {
        multiplier = m
        s = s.dropLast()
      }
    }
    if s.last == " " { s = s.dropLast() }
    guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), s.first != ".",
      let value = Double(s)
    else { return nil }
    let bytes = value * multiplier
    guard bytes.isFinite, bytes < 9.2e18 else { return nil }
    return Int64(bytes)
  }
}
