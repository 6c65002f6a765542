/// Go's `time.ParseDuration` (`30s`, `1m30s`, `1.5h`, `300ms`, `10us`), in nanoseconds, as
/// HEALTHCHECK options are written.
enum GoDuration {
  static func parse(_ text: String) -> Int64? {
    var s = Substring(text)
    var negative = false
    if s.first == "-" || s.first == "+" {
      negative = s.first == "-"
      s = s.dropFirst()
    }
    if s == "0" { return 0 }
    guard !s.isEmpty else { return nil }
    let units: [(String, Double)] = [
      ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]
    var total: Double = 0
    while !s.isEmpty {
      let number = s.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
      guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : number) else {
        return nil
      }
      s = s.dropFirst(number.count)
      let unitText = s.prefix(while: { !($0.isASCII && ($0.isNumber || $0 == ".")) })
      guard let unit = units.first(where: { $0.0 == String(unitText) }) else { return nil }
      s = s.dropFirst(unitText.count)
      total += value * unit.1
    }
    guard total < 9.2e18 else { return nil }
    return Int64(negative ? -total : total)
  }
}
