import Glibc

/// go-units: sizes and durations as docker prints them.
public enum Units {
  static let decimal = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
  static let binary = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]

  /// `HumanSizeWithPrecision(size, precision)`: decimal units, `%.<p>g` ("4.26MB", "0B").
  public static func humanSize(_ size: Double, precision: Int = 4) -> String {
    let (value, unit) = scale(size, base: 1000, units: decimal)
    return formatG(value, precision: precision) + unit
  }

  /// `BytesSize`: binary units with 4 significant digits ("1.5MiB").
  public static func bytesSize(_ size: Double) -> String {
    let (value, unit) = scale(size, base: 1024, units: binary)
    return formatG(value, precision: 4) + unit
  }

  static func scale(_ size: Double, base: Double, units: [String]) -> (Double, String) {
    var value = size
    var i = 0
    while value >= base && i < units.count - 1 {
      value /= base
      i += 1
    }
    return (value, units[i])
  }

  /// C's (and, for these magnitudes, Go's) `%.<p>g`.
  public static func formatG(_ value: Double, precision: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let count = withVaList([Int32(precision), value]) { args in
      vsnprintf(&buffer, buffer.count, "%.*g", args)
    }
    guard count > 0 else { return String(value) }
    return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// go-units `HumanDuration`.
  public static func humanDuration(seconds: Double) -> String {
    let s = Int(seconds)
    if s < 1 { return "Less than a second" }
    if s == 1 { return "1 second" }
    if s < 60 { return "\(s) seconds" }
    let minutes = Int(seconds / 60)
    if minutes == 1 { return "About a minute" }
    if minutes < 60 { return "\(minutes) minutes" }
    let hours = Int(seconds / 3600 + 0.5)
    if hours == 1 { return "About an hour" }
    if hours < 48 { return "\(hours) hours" }
    if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
    if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
    if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
    return "\(Int(seconds / 3600) / 24 / 365) years"
  }

  /// Parses docker's memory sizes: "64m", "1g", "512k", "100" (bytes), "1.5g".
  public static func parseBytes(_ text: String) -> Int64? {
    let lower = text.lowercased().trimmedSpaces()
    guard !lower.isEmpty else { return nil }
    var number = lower
    var multiplier: Double = 1
    let k = 1024.0
    let suffixes: [(String, Double)] = [
      ("kib", k), ("mib", k * k), ("gib", k * k * k), ("tib", k * k * k * k),
      ("kb", k), ("mb", k * k), ("gb", k * k * k), ("tb", k * k * k * k), ("pb", k * k * k * k * k),
      ("k", k), ("m", k * k), ("g", k * k * k), ("t", k * k * k * k), ("p", k * k * k * k * k), ("b", 1),
    ]
    for (suffix, m) in suffixes where lower.hasSuffix(suffix) {
      number = String(lower.dropLast(suffix.count))
      multiplier = m
      break
    }
    guard let value = Double(number.trimmedSpaces()), value >= 0 else { return nil }
    return Int64(value * multiplier)
  }
}

/// Identifiers and strings as the docker CLI shortens them.
public enum Shorten {
  /// `stringid.TruncateID`: drops an `algo:` prefix and keeps 12 characters.
  public static func id(_ id: String) -> String {
    var s = Substring(id)
    if let colon = s.firstIndex(of: ":") { s = s[s.index(after: colon)...] }
    return String(s.prefix(12))
  }

  /// docker's `Ellipsis`: at most `max` characters, the last one "…" when cut.
  public static func ellipsis(_ s: String, _ max: Int) -> String {
    let scalars = Array(s.unicodeScalars)
    if scalars.count <= max { return s }
    if max <= 1 { return String(String.UnicodeScalarView(scalars.prefix(max))) }
    return String(String.UnicodeScalarView(scalars.prefix(max - 1))) + "…"
  }
}

extension Units {
  /// `%.<digits>f`.
  public static func formatFixed(_ value: Double, _ digits: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    let count = withVaList([Int32(digits), value]) { args in vsnprintf(&buffer, buffer.count, "%.*f", args) }
    guard count > 0 else { return String(value) }
    return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
